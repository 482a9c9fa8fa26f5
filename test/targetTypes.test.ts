import { execFileSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { NodeFileSystem } from "../src/fs/nodeFileSystem.js";
import { recording } from "../src/fs/wrappers.js";
import { resolveFile, testContext } from "./helpers/resolve.js";
import { makeTree, type Tree } from "./helpers/tree.js";

/** A package directory holding many targets of every kind, and a manifest linking each one. */
async function packageOfTargets() {
  const pkg: Tree = {
    dir: { inside: "x" },
    "to-file": { symlink: "f0" },
    "to-dir": { symlink: "dir" },
    dangling: { symlink: "nowhere" },
  };
  for (let i = 0; i < 20; i++) pkg[`f${i}`] = `${i}`;
  const names = [...Object.keys(pkg), "fifo", "missing"];
  const manifest = `version: 1\nlinks:\n${names.map((n) => `  "~/${n}": pkg/${n}`).join("\n")}\n`;
  const root = await makeTree({ home: {}, dots: { "links.yaml": manifest, pkg } });
  execFileSync("mkfifo", [path.join(root, "dots/pkg/fifo")]);
  return { root, names, file: path.join(root, "dots/links.yaml"), home: path.join(root, "home") };
}

describe("the types of many targets in one directory", () => {
  it("are what stat says of each, whether a file, a directory, a link to one, dangling, missing or other", async () => {
    const { names, file, home } = await packageOfTargets();
    const result = await resolveFile(file, testContext(home));
    if (!result.ok) throw new Error("expected the manifest to resolve");
    const types = Object.fromEntries(
      result.value.map((l) => [path.basename(l.link), l.targetType]),
    );
    const expected = Object.fromEntries(names.map((n) => [n, /^f\d+$/.test(n) ? "file" : ""]));
    Object.assign(expected, {
      dir: "directory",
      "to-file": "file",
      "to-dir": "directory",
      dangling: "missing",
      fifo: "other",
      missing: "missing",
    });
    expect(types).toEqual(expected);
  });

  it("come from one listing of the directory, with a stat only where the listing cannot tell", async () => {
    const { file, home } = await packageOfTargets();
    const fs = recording(new NodeFileSystem());
    const result = await resolveFile(file, testContext(home, { fs }));
    expect(result.ok).toBe(true);
    const pkg = path.join(path.dirname(file), "pkg");
    const of = (operation: string) =>
      fs.calls.filter((c) => c.operation === operation && path.dirname(String(c.args[0])) === pkg)
        .length;
    expect(fs.calls.filter((c) => c.operation === "readdir" && c.args[0] === pkg)).toHaveLength(1);
    // 26 targets: the listing is made first, then only the links, the FIFO and the missing name are stat'ed.
    expect(of("statIfExists")).toBe(5);
  });

  it("come from a stat of each where their directory holds many more names than targets", async () => {
    const pkg: Tree = {};
    for (let i = 0; i < 200; i++) pkg[`other${i}`] = "";
    for (let i = 0; i < 10; i++) pkg[`f${i}`] = `${i}`;
    const lines = Array.from({ length: 10 }, (_, i) => `  "~/f${i}": pkg/f${i}`);
    const root = await makeTree({
      home: {},
      dots: { "links.yaml": `version: 1\nlinks:\n${lines.join("\n")}\n`, pkg },
    });
    const fs = recording(new NodeFileSystem());
    const result = await resolveFile(
      path.join(root, "dots/links.yaml"),
      testContext(path.join(root, "home"), { fs }),
    );
    if (!result.ok) throw new Error("expected the manifest to resolve");
    expect(result.value.map((l) => l.targetType)).toEqual(Array(10).fill("file"));
    // The listing stops past eight names a target (80 of 210), and each target is stat'ed.
    const dir = path.join(root, "dots/pkg");
    const listings = fs.calls.filter((c) => c.operation === "readdir" && c.args[0] === dir);
    expect(listings.map((c) => c.args[1])).toEqual([80]);
    const stats = fs.calls.filter(
      (c) => c.operation === "statIfExists" && path.dirname(String(c.args[0])) === dir,
    );
    expect(stats).toHaveLength(10);
  });
});
