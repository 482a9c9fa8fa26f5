import path from "node:path";
import { describe, expect, it } from "vitest";
import { WRITE_OPERATIONS, type FileSystem } from "../src/fs/fileSystem.js";
import { NodeFileSystem } from "../src/fs/nodeFileSystem.js";
import { readOnly, ReadOnlyViolation, recording } from "../src/fs/wrappers.js";
import { makeTree } from "./helpers/tree.js";

describe("the read-only filesystem", () => {
  it.each(WRITE_OPERATIONS)(
    "refuses %s, naming its first argument, and writes nothing",
    async (op) => {
      const dir = await makeTree({ f: "x" });
      const fs = readOnly(new NodeFileSystem()) as unknown as Record<
        string,
        (...a: unknown[]) => Promise<unknown>
      >;
      const first = path.join(dir, "f");
      const call = fs[op]!(first, path.join(dir, "g"), "file");
      await expect(call).rejects.toBeInstanceOf(ReadOnlyViolation);
      await expect(call).rejects.toThrow(`attempted ${op} on ${first}`);
      expect((await new NodeFileSystem().readdir(dir)).map((e) => e.name)).toEqual(["f"]);
    },
  );

  it("reads through the method the inner filesystem has at the call, replaced since or not", async () => {
    const dir = await makeTree({ f: "x" });
    const inner: FileSystem = new NodeFileSystem();
    const fs = readOnly(inner);
    expect((await fs.lstat(path.join(dir, "f"))).type).toBe("file");
    inner.readlink = async (p) => `read ${p}`;
    expect(await fs.readlink("/x")).toBe("read /x");
    expect(await fs.readdir(dir, 5)).toEqual([{ name: "f", type: "file" }]);
    expect(new TextDecoder().decode(await fs.readFile(path.join(dir, "f"), 10))).toBe("x");
  });

  it("passes each call on as it was made, as a recording filesystem below it sees", async () => {
    const dir = await makeTree({ f: "x" });
    const below = recording(new NodeFileSystem());
    const fs = readOnly(below);
    await fs.readdir(dir);
    await fs.readdir(dir, 5);
    await fs.readlink(path.join(dir, "f")).catch(() => undefined);
    expect(below.calls).toStrictEqual([
      { operation: "readdir", args: [dir] },
      { operation: "readdir", args: [dir, 5] },
      { operation: "readlink", args: [path.join(dir, "f")] },
    ]);
  });
});
