import { readlinkSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runBin } from "./helpers/bin.js";
import { makeTree, tempDir } from "./helpers/tree.js";

/** Runs the built bin in `home`, with picomatch's start reported on stderr. */
function run(args: string[], home: string) {
  const result = runBin(args, home, { LINKMAN_DEBUG_PICOMATCH: "1" });
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
