import { execFileSync, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import {
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { makeTree, tempDir } from "./helpers/tree.js";

const root = path.resolve(import.meta.dirname, "..");
const built = path.join(root, "dist/bundle");
const { version } = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as {
  version: string;
};
// Node 22.1+ runs the bin with its own compile cache; dist/bundle/main.cache is for the others.
const nodeCompileCache =
  typeof (createRequire(import.meta.url)("node:module") as { enableCompileCache?: unknown })
    .enableCompileCache === "function";

/** A copy of the built bin's directory, as npm installs it, whose files a test may change. */
function binCopy(): string {
  const dir = path.join(tempDir(), "bundle");
  cpSync(built, dir, { recursive: true });
  return dir;
}

/** Runs the bin in `dir` with the code cache reported on stderr (or not, with `debug: false`). */
function run(dir: string, args: string[], options: { debug?: boolean; cwd?: string } = {}) {
  const home = tempDir();
  const result = spawnSync(process.execPath, [path.join(dir, "linkman.js"), ...args], {
    cwd: options.cwd ?? home,
    encoding: "utf8",
    // A bin that hangs (a FIFO in the cache's place, say) fails its test instead of the run.
    timeout: 10_000,
    env: {
      PATH: process.env.PATH,
      HOME: home,
      XDG_STATE_HOME: path.join(home, ".state"),
      NO_COLOR: "1",
      ...(options.debug === false ? {} : { LINKMAN_DEBUG_CODE_CACHE: "1" }),
    },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr, home };
}

/** Applies a two-link manifest with the bin in `dir`, and says where the links point. */
async function applyTwoLinks(dir: string) {
  const dots = await makeTree({
    "links.yaml":
      "version: 1\nlinks:\n  - link: ~/.a\n    target: a\n  - link: ~/.b\n    target: b\n",
    a: "a",
    b: "b",
  });
  const result = run(dir, ["apply", "-c", path.join(dots, "links.yaml")]);
  const links = [".a", ".b"].map((name) => {
    const link = path.join(result.home, name);
    return existsSync(link) ? readlinkSync(link) : undefined;
  });
  return { ...result, links, dots };
}

describe.skipIf(nodeCompileCache)("the bin's code cache (Node before 22.1)", () => {
  beforeAll(() => {
    expect(existsSync(path.join(built, "main.cache")), "run npm run build first").toBe(true);
  });

  it("is used when it is the build's own", async () => {
    const dir = binCopy();
    expect(run(dir, ["--version"])).toMatchObject({
      code: 0,
      stdout: `${version}\n`,
      stderr: "linkman: code cache: used\n",
    });
    const apply = await applyTwoLinks(dir);
    expect(apply.stderr).toBe("linkman: code cache: used\n");
    expect(apply.links).toEqual([path.join(apply.dots, "a"), path.join(apply.dots, "b")]);
  });

  it.each([
    ["missing", (cache: Buffer) => cache.subarray(0, 0), true],
    ["empty", () => Buffer.alloc(0), false],
    ["truncated to half", (cache: Buffer) => cache.subarray(0, cache.length >> 1), false],
    ["random bytes of the same length", (cache: Buffer) => randomBytes(cache.length), false],
    [
      "two bytes changed in the middle (V8 alone ran wrong code or crashed)",
      (cache: Buffer) => {
        const changed = Buffer.from(cache);
        const middle = changed.length >> 1;
        changed[middle] = (changed[middle] ?? 0) ^ 0xff;
        changed[middle + 1] = (changed[middle + 1] ?? 0) ^ 0x5a;
        return changed;
      },
      false,
    ],
  ])(
    "is not used, and the bin works as without it, when it is %s",
    async (_name, damage, remove) => {
      const dir = binCopy();
      const file = path.join(dir, "main.cache");
      if (remove) rmSync(file);
      else writeFileSync(file, damage(readFileSync(file)));
      expect(run(dir, ["--version"])).toMatchObject({
        code: 0,
        stdout: `${version}\n`,
        stderr: "linkman: code cache: none\n",
      });
      const apply = await applyTwoLinks(dir);
      expect(apply).toMatchObject({ code: 0, stderr: "linkman: code cache: none\n" });
      expect(apply.links).toEqual([path.join(apply.dots, "a"), path.join(apply.dots, "b")]);
      // Silent without the variable the tests set.
      expect(run(dir, ["--version"], { debug: false })).toMatchObject({ code: 0, stderr: "" });
    },
  );

  it.runIf(process.platform === "linux").each([
    ["a FIFO (not waited on)", (cache: string) => execFileSync("mkfifo", [cache])],
    [
      "a symlink to an endless device (/dev/zero)",
      (cache: string) => symlinkSync("/dev/zero", cache),
    ],
    [
      "a symlink to a file that says it is empty and never ends (/proc/self/pagemap)",
      (cache: string) => symlinkSync("/proc/self/pagemap", cache),
    ],
    ["a directory", (cache: string) => mkdirSync(cache)],
  ])("is not read, and the bin compiles without it, when it is %s", (_name, replace) => {
    const dir = binCopy();
    const file = path.join(dir, "main.cache");
    rmSync(file);
    replace(file);
    expect(run(dir, ["--version"])).toMatchObject({
      code: 0,
      stdout: `${version}\n`,
      stderr: "linkman: code cache: none\n",
    });
  });

  it("is not used for another build of the bundle, even one of the same length (V8 checks only the length)", () => {
    const dir = binCopy();
    const bundle = path.join(dir, "main.js");
    const source = readFileSync(bundle, "utf8");
    expect(source).toContain("print the version");
    writeFileSync(bundle, source.replace("print the version", "print the VERSION"));
    const help = run(dir, ["--help"]);
    expect(help.stderr).toBe("linkman: code cache: none\n");
    expect(help.stdout).toContain("print the VERSION");
  });

  it.each(["--pending-deprecation", "--throw-deprecation"])(
    "is checked without a deprecation warning, even under %s",
    (flag) => {
      const result = spawnSync(
        process.execPath,
        [flag, path.join(binCopy(), "linkman.js"), "--version"],
        {
          encoding: "utf8",
          env: { PATH: process.env.PATH, LINKMAN_DEBUG_CODE_CACHE: "1" },
        },
      );
      expect(result).toMatchObject({
        status: 0,
        stdout: `${version}\n`,
        stderr: "linkman: code cache: used\n",
      });
    },
  );

  it("falls back to compiling, silently, when V8 refuses it (other V8 flags, another Node)", () => {
    const dir = binCopy();
    const withFlag = (debug: boolean) =>
      spawnSync(process.execPath, ["--no-opt", path.join(dir, "linkman.js"), "--version"], {
        encoding: "utf8",
        env: { PATH: process.env.PATH, ...(debug ? { LINKMAN_DEBUG_CODE_CACHE: "1" } : {}) },
      });
    expect(withFlag(true)).toMatchObject({
      status: 0,
      stdout: `${version}\n`,
      stderr: "linkman: code cache: rejected\n",
    });
    expect(withFlag(false)).toMatchObject({ status: 0, stdout: `${version}\n`, stderr: "" });
  });
});

describe.runIf(nodeCompileCache)("the bin on Node 22.1+", () => {
  it("uses Node's own compile cache", () => {
    const result = run(binCopy(), ["--version"]);
    expect(result.stdout).toBe(`${version}\n`);
    expect(result.stderr).toMatch(/^linkman: code cache: node \d\n$/);
  });
});
