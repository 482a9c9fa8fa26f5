import { readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { NodeFileSystem } from "../src/fs/nodeFileSystem.js";
import { failing, readOnly, recording, ReadOnlyViolation } from "../src/fs/wrappers.js";
import { makeTree } from "./helpers/tree.js";

const node = new NodeFileSystem();

describe("filesystem wrappers", () => {
  it("read-only passes reads through and refuses every write", async () => {
    const dir = await makeTree({ f: "x" });
    const fs = readOnly(node);
    expect((await fs.lstat(path.join(dir, "f"))).type).toBe("file");
    await expect(fs.symlink("f", path.join(dir, "l"), "file")).rejects.toBeInstanceOf(
      ReadOnlyViolation,
    );
    await expect(fs.mkdir(path.join(dir, "d"))).rejects.toBeInstanceOf(ReadOnlyViolation);
    await expect(fs.unlink(path.join(dir, "f"))).rejects.toBeInstanceOf(ReadOnlyViolation);
    expect((await node.readdir(dir)).map((e) => e.name)).toEqual(["f"]);
  });

  it("readdir with a bound reads a directory up to it, and fails with EFBIG past it, closing it either way", async () => {
    const dir = await makeTree(
      Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`f${i}`, ""])),
    );
    const open = () => readdirSync("/proc/self/fd").length;
    const before = open();
    expect(await node.readdir(dir, 300)).toHaveLength(300);
    expect((await node.readdir(dir, 300)).find((e) => e.name === "f7")).toEqual({
      name: "f7",
      type: "file",
    });
    await expect(node.readdir(dir, 299)).rejects.toMatchObject({ code: "EFBIG", path: dir });
    await expect(node.readdir(dir, 10)).rejects.toMatchObject({ code: "EFBIG" });
    expect(open()).toBe(before);
  });

  it("recording lists every call in order", async () => {
    const dir = await makeTree({ f: "x" });
    const fs = recording(node);
    await fs.symlink("f", path.join(dir, "l"), "file");
    await fs.readlink(path.join(dir, "l"));
    expect(fs.calls).toEqual([
      { operation: "symlink", args: ["f", path.join(dir, "l"), "file"] },
      { operation: "readlink", args: [path.join(dir, "l")] },
    ]);
  });

  it("failing fails the n-th matching call with the chosen code, and nothing else", async () => {
    const dir = await makeTree({});
    const fs = failing(node, [{ operation: "mkdir", nth: 2, code: "ENOSPC" }]);
    await fs.mkdir(path.join(dir, "a"));
    await expect(fs.mkdir(path.join(dir, "b"))).rejects.toMatchObject({
      code: "ENOSPC",
      path: path.join(dir, "b"),
      syscall: "mkdir",
    });
    await fs.mkdir(path.join(dir, "c"));
    expect((await node.readdir(dir)).map((e) => e.name).sort()).toEqual(["a", "c"]);
  });

  it("failing matches a path given as a pattern, and any write when no operation is named", async () => {
    const dir = await makeTree({});
    const fs = failing(node, [{ path: /secret/, code: "EACCES" }]);
    await expect(fs.symlink("x", path.join(dir, "secret"), "file")).rejects.toMatchObject({
      code: "EACCES",
    });
    await fs.symlink("x", path.join(dir, "public"), "file");
    await expect(fs.readdir(dir)).resolves.toHaveLength(1);
  });
});
