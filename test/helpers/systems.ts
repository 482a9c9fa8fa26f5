import type { FileSystem } from "../../src/fs/fileSystem.js";
import { NodeFileSystem } from "../../src/fs/nodeFileSystem.js";
import { macModel, windowsModel, type WindowsModelOptions } from "./windowsModel.js";

/**
 * This machine is Windows: a test that needs a POSIX system (a pure test written with POSIX
 * paths, /dev, npm run without a shell) is skipped there, saying so in its name.
 */
export const onWindows = process.platform === "win32";

/** This machine is Linux: a test of what only a case-sensitive filesystem does runs only here. */
export const onLinux = process.platform === "linux";

/** A platform and the filesystem rules a test runs under. */
export interface System {
  name: string;
  /** As `process.platform` names it: what the engine is told. */
  platform: string;
  /** A filesystem with this system's rules (a new one per world: a model remembers its junctions). */
  fs(): FileSystem;
}

/** The real filesystem, and the platform this test runs on. */
export const THIS_MACHINE: System = {
  name: `this machine (${process.platform})`,
  platform: process.platform,
  fs: () => new NodeFileSystem(),
};

/** Windows' rules over the real filesystem (see windowsModel). */
export function windows(options: WindowsModelOptions = {}): System {
  return {
    name:
      options.privileged === false
        ? "the Windows model without the symlink privilege"
        : "the Windows model",
    platform: "win32",
    fs: () => windowsModel(new NodeFileSystem(), options),
  };
}

/** macOS' case-insensitive names over the real filesystem. */
export const MAC_MODEL: System = {
  name: "the macOS model",
  platform: "darwin",
  fs: () => macModel(new NodeFileSystem()),
};

/**
 * The systems the end-to-end suites run on: this machine and, where this machine is not
 * Windows, the Windows model (on Windows the real thing replaces it).
 */
export const SYSTEMS: System[] =
  process.platform === "win32" ? [THIS_MACHINE] : [THIS_MACHINE, windows()];
