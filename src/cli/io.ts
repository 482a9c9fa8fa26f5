import os from "node:os";

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
  };
}
