import { existsSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { applyCommand } from "../src/cli/commands/apply.js";
import { NodeFileSystem } from "../src/fs/nodeFileSystem.js";
import { recording } from "../src/fs/wrappers.js";
import { commandOutput, makeWorld } from "./helpers/world.js";

describe("links into directories the apply makes", () => {
  it("checks the roots at the nearest existing directory without resolving a missing one, and makes each directory once", async () => {
    const w = await makeWorld(
      "version: 1\nlinks:\n  ~/a/b/one: vim/vimrc\n  ~/a/b/two: vim/vimrc\n  ~/a/c/three: vim/vimrc\n  ~/.four: vim/vimrc\n",
    );
    const fs = recording(new NodeFileSystem());
    const missing: string[] = [];
    const realpath = fs.realpath.bind(fs);
    fs.realpath = async (p: string) => {
      if (!existsSync(p)) missing.push(path.relative(w.home, p));
      return realpath(p);
    };
    expect(await applyCommand(commandOutput(w, { quiet: true }, { fs }).out)).toBe(0);
    expect(missing).toEqual([]);
    const made = fs.calls.filter(
      (c) => c.operation === "mkdir" && String(c.args[0]).startsWith(w.home),
    );
    expect(made.map((c) => path.relative(w.home, String(c.args[0])))).toEqual(["a", "a/b", "a/c"]);
    const plan = await w.plan();
    expect(plan.actions.map((a) => a.reason)).toEqual(plan.actions.map(() => "up-to-date"));
  });
});
