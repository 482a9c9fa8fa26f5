import { fstatSync, writeSync } from "node:fs";
import path from "node:path";
import { errorCode } from "../fs/fileSystem.js";
import { expandTilde } from "../resolve/expand.js";
import { nodeContext, type Context } from "../session/context.js";
import { sizingHeap } from "./youngGeneration.js";

/** Somewhere text can be written: a process stream or, in tests, a buffer. */
export interface Sink {
  write(text: string): unknown;
  isTTY?: boolean;
  /** The stream itself, for a prompt that needs one (the process's sinks write to its descriptor). */
  readonly stream?: NodeJS.WritableStream;
}

/** Everything the CLI takes from its process: the library's context, and two streams. */
export interface CliIO extends Context {
  stdout: Sink;
  stderr: Sink;
  /** The terminal `apply --interactive` asks on (absent in tests that never ask). */
  stdin?: NodeJS.ReadableStream & { isTTY?: boolean };
}

/** The real process's IO, and how a run of the CLI ends the process. */
export interface ProcessIO extends CliIO {
  /** Ends the process with `code` once everything written has gone out. */
  end(code: number): void;
}

/** The real process's streams, environment, directory, home and filesystem. */
export function processIO(): ProcessIO {
  const context = nodeContext();
  let streamed = false; // whether a Node stream of the process was made
  const made = () => (streamed = true);
  const io: CliIO = {
    ...context,
    fs: sizingHeap(context.fs),
    stdout: descriptorSink(1, made),
    stderr: descriptorSink(2, made),
  };
  return Object.defineProperties(io as ProcessIO, {
    // Made on first use, and not copied where a session spreads the context: process.stdin on
    // a file or pipe loads Node's file streams, fs/promises and readline (~3% of a 100-link
    // no-op's CPU), which only `apply --interactive` reads.
    stdin: { get: () => (made(), process.stdin), enumerable: false },
    end: {
      // Node's orderly end tears V8's heap down (100-link no-op: ~15 ms of its CPU here);
      // process.exit skips that, but would cut short what a stream has not written yet, so it
      // is taken only when all output went straight to the descriptors.
      value: (code: number) => {
        process.exitCode = code;
        if (!streamed) process.exit(code);
      },
      enumerable: false,
    },
  });
}

/**
 * The process's stdout (1) or stderr (2), written with `fs.writeSync`: process.stdout and
 * process.stderr on a pipe, a file or /dev/null load Node's stream modules (~6 ms of a short
 * run's start), and a write to them is synchronous there anyway. Once a write would block (a
 * descriptor left non-blocking: EAGAIN), the rest of it and every later write go to the
 * process's stream, so nothing is lost or reordered. A reader that has gone (`linkman plan |
 * head`: EPIPE) is not an error: the run ends with its exit code so far.
 */
function descriptorSink(fd: 1 | 2, made: () => void): Sink {
  let stream: NodeJS.WriteStream | undefined;
  let tty: boolean | undefined;
  const real = () => {
    if (!stream) {
      made();
      stream = fd === 1 ? process.stdout : process.stderr;
      stream.on("error", (error: NodeJS.ErrnoException) => {
        if (error.code === "EPIPE") readerGone();
        throw error;
      });
    }
    return stream;
  };
  // A Windows console takes text through the stream (UTF-16, whatever its code page): bytes
  // written to its descriptor would show non-ASCII characters (→, …) garbled.
  if (process.platform === "win32") real();
  return {
    write(text: string) {
      if (stream) return stream.write(text);
      const bytes = Buffer.from(text);
      let done = 0;
      try {
        while (done < bytes.length) done += writeSync(fd, bytes, done);
      } catch (error) {
        if (errorCode(error) === "EAGAIN") return real().write(bytes.subarray(done));
        if (errorCode(error) === "EPIPE") readerGone();
        // A full disk or a failing device is the machine's answer, not a bug: named so.
        throw Object.assign(error as Error, {
          path: fd === 1 ? "standard output" : "standard error",
        });
      }
      return true;
    },
    // Only a character device can be a terminal; the stream tells which one is (/dev/null is not).
    get isTTY() {
      return (tty ??= isCharacterDevice(fd) && real().isTTY === true);
    },
    get stream() {
      return real();
    },
  };
}

function isCharacterDevice(fd: number): boolean {
  try {
    return fstatSync(fd).isCharacterDevice();
  } catch {
    return false; // closed
  }
}

function readerGone(): never {
  process.exit(process.exitCode ?? 0);
}

/** A path given on the command line, as the user means it: `~` is their home, relative is from the current directory. */
export function userPath(io: CliIO, p: string): string {
  const expanded = expandTilde(p, io.homedir);
  return path.resolve(io.cwd, expanded.ok ? expanded.value : p);
}
