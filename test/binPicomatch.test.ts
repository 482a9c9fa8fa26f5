import { spawnSync } from "node:child_process";
import { readlinkSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { makeTree, tempDir } from "./helpers/tree.js";

const bin = path.resolve(import.meta.dirname, "../dist/bundle/linkman.js");

/** Runs the built bin in `home`, with picomatch's start reported on stderr. */
function run(args: string[], home: string) {
  const result = spawnSync(process.execPath, [bin, ...args], {
    cwd: home,
    encoding: "utf8",
    env: {
      PATH: process.env.PATH,
      HOME: home,
      XDG_STATE_HOME: path.join(home, ".state"),
      NO_COLOR: "1",
      LINKMAN_DEBUG_PICOMATCH: "1",
    },
  });
  const loaded = result.stderr.includes("linkman: picomatch loaded\n");
  return { code: result.status, loaded };
}

describe("the bin starts picomatch only for a glob", () => {
  it("applies an explicit manifest, twice, without starting picomatch", async () => {
    const dots = await makeTree({
      "links.yaml":
        "version: 1\nlinks:\n  - link: ~/.a\n    target: a\n  - { link: ~/.b, target: b }\n",
      a: "a",
      b: "b",
    });
    const home = tempDir();
    expect(run(["apply", "-c", path.join(dots, "links.yaml")], home)).toEqual({
      code: 0,
      loaded: false,
    });
    expect(readlinkSync(path.join(home, ".b"))).toBe(path.join(dots, "b"));
    expect(run(["apply", "-c", path.join(dots, "links.yaml")], home)).toEqual({
      code: 0,
      loaded: false,
    });
  });

  it("starts it for a glob entry, and links every match", async () => {
    const dots = await makeTree({
      "links.yaml": "version: 1\nlinks:\n  - { link: ~/, target: pkg/** }\n",
      pkg: { ".a": "a", sub: { b: "b" } },
    });
    const home = tempDir();
    expect(run(["apply", "-c", path.join(dots, "links.yaml")], home)).toEqual({
      code: 0,
      loaded: true,
    });
    expect(readlinkSync(path.join(home, ".a"))).toBe(path.join(dots, "pkg/.a"));
    expect(readlinkSync(path.join(home, "sub/b"))).toBe(path.join(dots, "pkg/sub/b"));
  });
});
