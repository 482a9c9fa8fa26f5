import os from "node:os";
import path from "node:path";
import type { FileSystem } from "../fs/fileSystem.js";
import { NodeFileSystem } from "../fs/nodeFileSystem.js";
import { expandTilde } from "../resolve/expand.js";

/** Somewhere text can be written: a process stream or, in tests, a buffer. */
export interface Sink {
  write(text: string): unknown;
  isTTY?: boolean;
}

/** Everything the CLI takes from its process, so tests can run it in-process. */
export interface CliIO {
  stdout: Sink;
  stderr: Sink;
  env: Record<string, string | undefined>;
  cwd: string;
  /** The user's home directory, for `~`. */
  homedir: string;
  /** The platform, as `process.platform` names it. */
  platform: string;
  /** Every filesystem access the commands make. */
  fs: FileSystem;
}

/** The real process's streams, environment, directory and home. */
export function processIO(): CliIO {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    cwd: process.cwd(),
    homedir: os.homedir(),
    platform: process.platform,
    fs: new NodeFileSystem(),
  };
}

/** A path given on the command line, as the user means it: `~` is their home, relative is from the current directory. */
export function userPath(io: CliIO, p: string): string {
  const expanded = expandTilde(p, io.homedir);
  return path.resolve(io.cwd, expanded.ok ? expanded.value : p);
}
