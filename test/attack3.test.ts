import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { tempDir } from "./helpers/tree.js";

const root = path.resolve(import.meta.dirname, "..");
const built = path.join(root, "dist/bundle");
const { version } = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as {
  version: string;
};
const nodeCompileCache =
  typeof (createRequire(import.meta.url)("node:module") as { enableCompileCache?: unknown })
    .enableCompileCache === "function";

/** A copy of the built bin's directory whose main.cache `replace` swaps for something else. */
function binWithCache(replace: (cache: string) => void): string {
  const dir = path.join(tempDir(), "bundle");
  cpSync(built, dir, { recursive: true });
  const cache = path.join(dir, "main.cache");
  rmSync(cache);
  replace(cache);
  return dir;
}

/** `linkman --version` with the bin in `dir`, stopped after 10 s. */
function version10s(dir: string) {
  return spawnSync(process.execPath, [path.join(dir, "linkman.js"), "--version"], {
    encoding: "utf8",
    timeout: 10_000,
    env: { PATH: process.env.PATH, HOME: tempDir(), LINKMAN_DEBUG_CODE_CACHE: "1" },
  });
}

describe.skipIf(nodeCompileCache || process.platform !== "linux")(
  "the bin's code cache replaced by something not a file",
  () => {
    it("a FIFO in its place is not waited on: the bin compiles without it", () => {
      const dir = binWithCache((cache) => {
        expect(spawnSync("mkfifo", [cache]).status).toBe(0);
      });
      expect(version10s(dir)).toMatchObject({
        status: 0,
        stdout: `${version}\n`,
        stderr: "linkman: code cache: none\n",
      });
    });

    it("a symlink to an endless device (/dev/zero) is not read: the bin compiles without it", () => {
      const dir = binWithCache((cache) => symlinkSync("/dev/zero", cache));
      expect(version10s(dir)).toMatchObject({
        status: 0,
        stdout: `${version}\n`,
        stderr: "linkman: code cache: none\n",
      });
    });

    it("a symlink to a file that says it is empty and never ends (/proc/self/pagemap) is not read", () => {
      const dir = binWithCache((cache) => symlinkSync("/proc/self/pagemap", cache));
      expect(version10s(dir)).toMatchObject({
        status: 0,
        stdout: `${version}\n`,
        stderr: "linkman: code cache: none\n",
      });
    });

    it("a directory in its place means a plain compile", () => {
      const dir = binWithCache((cache) => mkdirSync(cache));
      expect(version10s(dir)).toMatchObject({
        status: 0,
        stdout: `${version}\n`,
        stderr: "linkman: code cache: none\n",
      });
    });
  },
);
