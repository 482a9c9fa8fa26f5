import path from "node:path";
import type { FileSystem, Operation } from "../../src/fs/fileSystem.js";
import { linkman } from "./cli.js";
import type { World } from "./world.js";

/** A FileSystem that runs `before(operation, args)` before passing each call through: a second process acting at that moment. */
export function hooked(
  inner: FileSystem,
  before: (operation: Operation, args: unknown[]) => Promise<void> | void,
): FileSystem {
  return new Proxy(inner, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver) as unknown;
      if (typeof value !== "function") return value;
      return async (...args: unknown[]) => {
        await before(key as Operation, args);
        return (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
      };
    },
  });
}

/** Runs the CLI in the world's repository through `fs`. */
export function cliThrough(w: World, fs: FileSystem, ...args: string[]) {
  return linkman(args, {
    cwd: w.dots,
    home: w.home,
    env: { XDG_STATE_HOME: path.join(w.root, "state") },
    platform: w.platform,
    fs,
  });
}
