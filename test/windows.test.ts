import { existsSync, readdirSync, readlinkSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { applyPlan } from "../src/engine/apply.js";
import { planRemovals } from "../src/engine/removals.js";
import { summarize } from "../src/engine/action.js";
import { NodeFileSystem } from "../src/fs/nodeFileSystem.js";
import { failing } from "../src/fs/wrappers.js";
import { makeWorld } from "./helpers/world.js";
import { windowsModel } from "./helpers/windowsModel.js";

const manifest = "version: 1\nlinks:\n  ~/.config/nvim: nvim\n";

describe("Windows' rules, on the Windows model", () => {
  it("replaces a directory link by moving the old one aside, since rename cannot replace it", async () => {
    const w = await makeWorld(manifest, {
      home: { ".config": { nvim: { symlink: "../../dots/vim" } } },
    });
    const fs = windowsModel(new NodeFileSystem());
    const result = await applyPlan(await w.plan({ fs }), { fs, platform: "win32" });
    expect(result.actions[0]?.result).toBe("done");
    expect(readlinkSync(path.join(w.home, ".config/nvim"))).toBe(path.join(w.dots, "nvim"));
    expect(readdirSync(path.join(w.home, ".config"))).toEqual(["nvim"]);
  });

  it("puts the old directory link back when the new one cannot take its place", async () => {
    const w = await makeWorld(manifest, {
      home: { ".config": { nvim: { symlink: "../../dots/vim" } } },
    });
    const link = path.join(w.home, ".config/nvim");
    // The swap's second rename (the new link into place) fails.
    const fs = failing(windowsModel(new NodeFileSystem()), [
      { operation: "rename", path: link, nth: 3, code: "EIO" },
    ]);
    const result = await applyPlan(await w.plan({ fs }), { fs, platform: "win32" });
    expect(result.actions[0]).toMatchObject({
      result: "failed",
      error: expect.stringContaining("(EIO)"),
    });
    expect(readlinkSync(link)).toBe("../../dots/vim");
    expect(readdirSync(path.join(w.home, ".config"))).toEqual(["nvim"]);
  });

  it("removes a directory link with rmdir, as Windows requires, never recursively", async () => {
    const w = await makeWorld(manifest);
    await w.apply();
    const fs = windowsModel(new NodeFileSystem());
    const record = {
      link: path.join(w.home, ".config/nvim"),
      kind: "symlink" as const,
      target: path.join(w.dots, "nvim"),
      text: path.join(w.dots, "nvim"),
      dev: null,
      ino: null,
      previous: null,
      backup: null,
      createdAt: "now",
    };
    const actions = await planRemovals([record], fs, false, "win32");
    const result = await applyPlan(
      { version: 1, manifest: w.manifest, actions, summary: summarize(actions) },
      { fs, platform: "win32" },
    );
    expect(result.actions[0]?.result).toBe("done");
    expect(existsSync(path.join(w.home, ".config/nvim"))).toBe(false);
    expect(readdirSync(path.join(w.dots, "nvim"))).toContain("init.lua");
  });
});
