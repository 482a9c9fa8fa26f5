import {
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { applyPlan } from "../src/engine/apply.js";
import { NodeFileSystem } from "../src/fs/nodeFileSystem.js";
import { interleaved, recording } from "../src/fs/wrappers.js";
import { onWindows } from "./helpers/systems.js";
import { makeWorld, type World } from "./helpers/world.js";

const NESTED = "version: 1\nlinks:\n  ~/a/b/one: vim/vimrc\n  ~/a/c/two: vim/vimrc\n";

/** Plans with the world's filesystem, then applies through `fs`. */
async function applyThrough(w: World, fs: ReturnType<typeof recording> | typeof w.fs) {
  return applyPlan(await w.plan(), { fs, platform: w.platform, roots: await w.roots() });
}

describe.skipIf(onWindows)("links into directories the apply makes, as it goes", () => {
  it("looks at each missing level once, and never again at a directory it made or found", async () => {
    const w = await makeWorld(
      "version: 1\nlinks:\n  ~/a/b/one: vim/vimrc\n  ~/a/c/two: vim/vimrc\n  ~/a/c/three: vim/vimrc\n  ~/.four: vim/vimrc\n",
    );
    const fs = recording(new NodeFileSystem());
    const result = await applyThrough(w, fs);
    expect(result.actions.map((a) => a.result)).toEqual(["done", "done", "done", "done"]);
    const inHome = (op: string) =>
      fs.calls
        .filter((c) => c.operation === op && String(c.args[0]).startsWith(w.home))
        .map((c) => path.relative(w.home, String(c.args[0])));
    expect(inHome("statIfExists")).toEqual(["a/b", "a", ""]);
    expect(inHome("mkdir")).toEqual(["a", "a/b", "a/c"]);
  });

  it("resolves the directory of every write right before it (SPEC rule 8)", async () => {
    const w = await makeWorld(
      "version: 1\nlinks:\n  ~/a/b/one: vim/vimrc\n  ~/a/c/two: vim/vimrc\n  ~/a/c/three: vim/vimrc\n  ~/.four: vim/vimrc\n",
    );
    const fs = recording(new NodeFileSystem());
    await applyThrough(w, fs);
    let resolved: string[] = [];
    const writes: string[] = [];
    for (const { operation, args } of fs.calls) {
      if (operation === "realpath") resolved.push(String(args[0]));
      const at = operation === "mkdir" ? args[0] : operation === "symlink" ? args[1] : undefined;
      if (at === undefined) continue;
      writes.push(String(at));
      expect(resolved.at(-1)).toBe(path.dirname(String(at)));
      resolved = [];
    }
    expect(writes).toHaveLength(7);
  });

  it("a directory it made for an earlier link, swapped for a symlink out of the roots before a level is made in it, leads nothing outside", async () => {
    const w = await makeWorld(NESTED, { root: { outside: {} } });
    const outside = path.join(w.root, "outside");
    const a = path.join(w.home, "a");
    let state: "waiting" | "linked" | "swapped" = "waiting";
    const fs = interleaved(new NodeFileSystem(), (operation, args) => {
      if (state === "linked") {
        state = "swapped"; // another process, right after the first link was made
        renameSync(a, `${a}-moved`);
        symlinkSync(outside, a);
      }
      if (operation === "symlink" && args[1] === path.join(a, "b/one")) state = "linked";
    });
    const result = await applyThrough(w, fs);
    expect(state).toBe("swapped");
    expect(result.actions.map((a) => a.result)).toEqual(["done", "conflict"]);
    expect(readdirSync(outside)).toEqual([]);
  });

  it("a level another process made meanwhile inside a directory it made is used as it is", async () => {
    const w = await makeWorld(NESTED);
    const c = path.join(w.home, "a/c");
    const fs = interleaved(new NodeFileSystem(), (operation, args) => {
      if (operation === "mkdir" && args[0] === c) {
        mkdirSync(c);
        writeFileSync(path.join(c, "theirs"), "theirs\n");
      }
    });
    const result = await applyThrough(w, fs);
    expect(result.actions.map((a) => a.result)).toEqual(["done", "done"]);
    expect(result.createdDirectories.map((d) => path.relative(w.home, d))).toEqual(["a", "a/b"]);
    expect(readFileSync(path.join(c, "theirs"), "utf8")).toBe("theirs\n");
  });

  it("a file another process put meanwhile where it is about to make a level fails that link, and stays", async () => {
    const w = await makeWorld(NESTED);
    const c = path.join(w.home, "a/c");
    const fs = interleaved(new NodeFileSystem(), (operation, args) => {
      if (operation === "mkdir" && args[0] === c) writeFileSync(c, "theirs\n");
    });
    const result = await applyThrough(w, fs);
    expect(result.actions.map((a) => [a.result, a.error?.includes("ENOTDIR") ?? null])).toEqual([
      ["done", null],
      ["failed", true],
    ]);
    expect(readFileSync(c, "utf8")).toBe("theirs\n");
  });
});
