import { spawnSync } from "node:child_process";
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

  it.skipIf(!process.versions.node.startsWith("20."))(
    "keeps it at its first size on Node 20, without a warning",
    () => {
      // A process that keeps 40 MB of young objects alive a while: V8 grows the young
      // generation for them unless told not to.
      const built = path.join(import.meta.dirname, "..", "dist", "cli", "youngGeneration.js");
      const script = `
        const v8 = await import("node:v8");
        if (process.argv[1] === "keep") (await import(${JSON.stringify(built)})).keepYoungGeneration();
        const kept = new Array(20000);
        for (let i = 0; i < 400000; i++) kept[i % 20000] = { i, s: "x" + i };
        const young = v8.getHeapSpaceStatistics().find((s) => s.space_name === "new_space");
        console.log(young.space_size);`;
      const run = (how: string) => {
        const r = spawnSync(process.execPath, ["--input-type=module", "-e", script, how], {
          encoding: "utf8",
        });
        return { size: Number(r.stdout.trim()), stderr: r.stderr };
      };
      const kept = run("keep");
      const grown = run("grow");
      expect(kept.stderr).toBe("");
      expect(kept.size).toBeGreaterThan(0);
      expect(kept.size).toBeLessThan(grown.size);
    },
  );
});
