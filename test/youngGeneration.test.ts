import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { NodeFileSystem } from "../src/fs/nodeFileSystem.js";
import { LARGE_FILE_BYTES, LARGE_LISTING, sizingHeap } from "../src/cli/youngGeneration.js";
import { tempDir } from "./helpers/tree.js";

/** The CLI's filesystem over a real directory, and how often it found the run large. */
function sized() {
  let large = 0;
  const fs = sizingHeap(new NodeFileSystem(), () => large++);
  return { fs, large: () => large, dir: tempDir() };
}

describe("the CLI keeps V8's young generation small only for a large run", () => {
  it("does nothing for a small manifest and state, and passes their bytes on", async () => {
    const { fs, large, dir } = sized();
    writeFileSync(path.join(dir, "links.yaml"), "version: 1\n");
    expect(new TextDecoder().decode(await fs.readFile(path.join(dir, "links.yaml"), 1000))).toBe(
      "version: 1\n",
    );
    expect(await fs.lstat(path.join(dir, "links.yaml"))).toMatchObject({ type: "file" });
    expect(large()).toBe(0);
  });

  it("sets it once when a large file is read", async () => {
    const { fs, large, dir } = sized();
    writeFileSync(path.join(dir, "big.yaml"), "#".repeat(LARGE_FILE_BYTES));
    await fs.readFile(path.join(dir, "big.yaml"), 2 * LARGE_FILE_BYTES);
    await fs.readFile(path.join(dir, "big.yaml"), 2 * LARGE_FILE_BYTES);
    expect(large()).toBe(1);
  });

  it("sets it once the directories listed hold many names together", async () => {
    const { fs, large, dir } = sized();
    const half = LARGE_LISTING / 2;
    for (const sub of ["a", "b"]) {
      mkdirSync(path.join(dir, sub));
      for (let i = 0; i < half; i++) writeFileSync(path.join(dir, sub, `f${i}`), "");
    }
    expect(await fs.readdir(path.join(dir, "a"))).toHaveLength(half);
    expect(large()).toBe(0);
    await fs.readdir(path.join(dir, "b"));
    expect(large()).toBe(1);
  });
});
