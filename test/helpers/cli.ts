import { main } from "../../src/cli/main.js";
import type { CliIO } from "../../src/cli/io.js";
import type { FileSystem } from "../../src/fs/fileSystem.js";
import { NodeFileSystem } from "../../src/fs/nodeFileSystem.js";

/** What one in-process run of the CLI printed and returned. */
export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `linkman …args` in-process, in `cwd`, with a private HOME and environment. */
export async function linkman(
  args: string[],
  options: {
    cwd: string;
    home?: string;
    env?: Record<string, string | undefined>;
    tty?: boolean;
    /** The platform the CLI is told it runs on, and the filesystem it uses: this machine's by default. */
    platform?: string;
    fs?: FileSystem;
  },
): Promise<Run> {
  let stdout = "";
  let stderr = "";
  const io: CliIO = {
    stdout: { write: (s: string) => (stdout += s), isTTY: options.tty ?? false },
    stderr: { write: (s: string) => (stderr += s) },
    env: { HOME: options.home ?? options.cwd, ...options.env },
    cwd: options.cwd,
    homedir: options.home ?? options.cwd,
    platform: options.platform ?? process.platform,
    arch: process.arch,
    hostname: "test-host",
    fs: options.fs ?? new NodeFileSystem(),
  };
  const code = await main(args, io);
  return { code, stdout, stderr };
}

/** The commands SPEC.md names. */
export const SPEC_COMMANDS = [
  "plan",
  "apply",
  "status",
  "unlink",
  "prune",
  "adopt",
  "validate",
  "init",
  "schema",
  "doctor",
];
