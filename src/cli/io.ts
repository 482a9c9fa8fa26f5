import path from "node:path";
import { expandTilde } from "../resolve/expand.js";
import { nodeContext, type Context } from "../session/context.js";
import { sizingHeap } from "./youngGeneration.js";

/** Somewhere text can be written: a process stream or, in tests, a buffer. */
export interface Sink {
  write(text: string): unknown;
  isTTY?: boolean;
}

/** Everything the CLI takes from its process: the library's context, and two streams. */
export interface CliIO extends Context {
  stdout: Sink;
  stderr: Sink;
  /** The terminal `apply --interactive` asks on (absent in tests that never ask). */
  stdin?: NodeJS.ReadableStream & { isTTY?: boolean };
}

/** The real process's streams, environment, directory, home and filesystem. */
export function processIO(): CliIO {
  const context = nodeContext();
  const io: CliIO = {
    ...context,
    fs: sizingHeap(context.fs),
    stdout: process.stdout,
    stderr: process.stderr,
  };
  // Made on first use, and not copied where a session spreads the context: process.stdin on a
  // file or pipe loads Node's file streams, fs/promises and readline (~3% of a 100-link no-op's
  // CPU), which only `apply --interactive` reads.
  return Object.defineProperty(io, "stdin", { get: () => process.stdin, enumerable: false });
}

/** A path given on the command line, as the user means it: `~` is their home, relative is from the current directory. */
export function userPath(io: CliIO, p: string): string {
  const expanded = expandTilde(p, io.homedir);
  return path.resolve(io.cwd, expanded.ok ? expanded.value : p);
}
