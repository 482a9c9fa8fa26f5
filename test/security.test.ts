import { readFileSync, readdirSync } from "node:fs";
import { rename, symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { applyPlan } from "../src/engine/apply.js";
import { rootsFor } from "../src/engine/roots.js";
import { NodeFileSystem } from "../src/fs/nodeFileSystem.js";
import { makeWorld } from "./helpers/world.js";

describe("a manifest from a cloned repository is untrusted", () => {
  it("refuses a link whose directory became a symlink out of home between plan and apply", async () => {
    const w = await makeWorld("version: 1\nlinks:\n  ~/sub/.vimrc: vim/vimrc\n", {
      home: { sub: {} },
      root: { outside: {} },
    });
    const fs = new NodeFileSystem();
    const plan = await w.plan();
    await rename(path.join(w.home, "sub"), path.join(w.home, "sub-was"));
    await symlink(path.join(w.root, "outside"), path.join(w.home, "sub"));
    const roots = await rootsFor(fs, { homedir: w.home, manifest: w.manifest });
    const result = await applyPlan(plan, { fs, platform: "linux", roots });
    expect(result.actions[0]).toMatchObject({
      result: "conflict",
      error: expect.stringContaining("outside your home and the manifest's directory"),
    });
    expect(readdirSync(path.join(w.root, "outside"))).toEqual([]);
  });

  it("never writes through a symlink planted at the backup name", async () => {
    const w = await makeWorld(
      "version: 1\nlinks:\n  - { link: ~/.vimrc, target: vim/vimrc, onConflict: backup }\n",
      {
        home: { ".vimrc": "the user's\n" },
        root: { outside: { precious: "do not touch\n" } },
      },
    );
    await symlink(
      path.join(w.root, "outside/precious"),
      path.join(w.home, ".vimrc.linkman-backup"),
    );
    const result = await w.apply();
    expect(result.actions[0]?.movedTo).toBe(path.join(w.home, ".vimrc.linkman-backup-2"));
    expect(readFileSync(path.join(w.root, "outside/precious"), "utf8")).toBe("do not touch\n");
    expect(readFileSync(path.join(w.home, ".vimrc.linkman-backup-2"), "utf8")).toBe("the user's\n");
  });

  it("never writes through a symlink planted at the temporary name's place (names are random)", async () => {
    const w = await makeWorld("version: 1\nlinks:\n  ~/.vimrc: vim/vimrc\n", {
      home: { ".vimrc": { symlink: "/old" } },
    });
    await writeFile(path.join(w.home, `.vimrc.linkman-${process.pid}-000000000000`), "guessed");
    await w.apply();
    expect(
      readFileSync(path.join(w.home, `.vimrc.linkman-${process.pid}-000000000000`), "utf8"),
    ).toBe("guessed");
  });

  it("takes --allow-outside only from the command line: a manifest key for it is an error", async () => {
    const w = await makeWorld("version: 1\nallowOutside: [/etc]\nlinks: {}\n");
    const run = await w.cli("apply");
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("unknown key `allowOutside`");
  });
});
