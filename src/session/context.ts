import os from "node:os";
import type { FileSystem } from "../fs/fileSystem.js";
import { NodeFileSystem } from "../fs/nodeFileSystem.js";

/**
 * Everything linkman takes from the world it runs in: the filesystem (every read and write
 * of links, state and manifests goes through it) and the process's facts. A test, or a
 * script, chooses each of them.
 */
export interface Context {
  fs: FileSystem;
  /** As `process.platform` names it. */
  platform: string;
  /** As `process.arch` names it. */
  arch: string;
  hostname: string;
  env: Readonly<Record<string, string | undefined>>;
  /** The user's home directory, for `~` and the state. */
  homedir: string;
  /** Where relative paths given by the user start, and where the manifest search starts. */
  cwd: string;
}

/** This process's context on the real filesystem, with any part replaced. */
export function nodeContext(overrides: Partial<Context> = {}): Context {
  return {
    fs: new NodeFileSystem(),
    platform: process.platform,
    arch: process.arch,
    hostname: os.hostname(),
    env: process.env,
    homedir: os.homedir(),
    cwd: process.cwd(),
    ...overrides,
  };
}
