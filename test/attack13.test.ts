import {
  existsSync,
  lstatSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { rm, symlink } from "node:fs/promises";
import { NodeFileSystem } from "../src/fs/nodeFileSystem.js";
import { WRITE_OPERATIONS } from "../src/fs/fileSystem.js";
import { crashing, recording } from "../src/fs/wrappers.js";
import { lockPathFor } from "../src/state/lock.js";
import { cliThrough, hooked } from "./helpers/hooked.js";
import { TEMPORARY } from "./helpers/sessions.js";
import { MAC_MODEL, onWindows } from "./helpers/systems.js";
import { makeWorld, type World } from "./helpers/world.js";

/** The plan's actions as `op(reason) path` relative to home, through the CLI's JSON. */
async function planned(w: World, ...args: string[]): Promise<string[]> {
  const run = await w.cli("plan", "--json", ...args);
  const plan = JSON.parse(run.stdout) as {
    actions: { op: string; reason: string | null; link: string }[];
  };
  return plan.actions.map(
    (a) => `${a.op}${a.reason ? `(${a.reason})` : ""} ${path.relative(w.home, a.link)}`,
  );
}

/** Whether a symlink is at `p` (not followed). */
const isLink = (p: string) => {
  try {
    return lstatSync(p).isSymbolicLink();
  } catch {
    return false;
  }
};
const isDir = (p: string) => existsSync(p) && lstatSync(p).isDirectory();
const VIM_UNDO = "version: 1\nlinks:\n  ~/.vim: vim\ndirectories:\n  - ~/.vim/undo-history\n";

/** Applies twice: the first succeeds, the second is all skip (SPEC rule 4). */
async function appliesOnceThenSkips(w: World): Promise<void> {
  const first = await w.cli("apply");
  expect(first.code, first.stdout + first.stderr).toBe(0);
  const ops = await planned(w);
  expect(
    ops.filter((op) => !op.startsWith("skip")),
    "the plan after one apply",
  ).toEqual([]);
}

describe.skipIf(onWindows)("attack13: listed directories inside a directory link", () => {
  it("on a fresh machine whose repository already holds the directory, the plan says it is there and apply succeeds", async () => {
    const w = await makeWorld(VIM_UNDO, {
      dots: { vim: { vimrc: "x", "undo-history": { ".gitkeep": "" } } },
    });
    expect(await planned(w)).toEqual(["create .vim", "skip(up-to-date) .vim/undo-history"]);
    await appliesOnceThenSkips(w);
    expect(readdirSync(path.join(w.dots, "vim", "undo-history"))).toEqual([".gitkeep"]);
  });

  it("a directory inside a link that is replaced is looked at in the new target: the first apply makes it", async () => {
    const w = await makeWorld(VIM_UNDO, { home: { oldvim: { "undo-history": {} } } });
    symlinkSync(path.join(w.home, "oldvim"), path.join(w.home, ".vim"));
    expect(await planned(w)).toEqual(["replace .vim", "mkdir .vim/undo-history"]);
    await appliesOnceThenSkips(w);
    expect(isDir(path.join(w.dots, "vim", "undo-history"))).toBe(true);
  });

  it("a directory inside a link that is replaced, already in the new target, is not a change since the plan", async () => {
    const w = await makeWorld(VIM_UNDO, {
      home: { oldvim: {} },
      dots: { vim: { vimrc: "x", "undo-history": { ".gitkeep": "" } } },
    });
    symlinkSync(path.join(w.home, "oldvim"), path.join(w.home, ".vim"));
    await appliesOnceThenSkips(w);
    expect(readdirSync(path.join(w.home, "oldvim"))).toEqual([]);
  });

  it("a directory inside a link that replaces a real directory with a backup is made in the link's target, the backup untouched", async () => {
    const w = await makeWorld(
      "version: 1\nlinks:\n  - { link: ~/.vim, target: vim, onConflict: backup }\ndirectories:\n  - ~/.vim/undo-history\n",
      { home: { ".vim": { "undo-history": { f: "the user's" } } } },
    );
    await appliesOnceThenSkips(w);
    expect(isDir(path.join(w.dots, "vim", "undo-history"))).toBe(true);
    expect(
      readFileSync(path.join(w.home, ".vim.linkman-backup", "undo-history", "f"), "utf8"),
    ).toBe("the user's");
  });

  it("a directory inside a folded directory link that is unfolded is made in the new directory", async () => {
    const w = await makeWorld(
      "version: 1\nlinks:\n  ~/.vim/vimrc: vim/vimrc\ndirectories:\n  - ~/.vim/undo\n",
      { dots: { vim: { vimrc: "x", undo: { ".gitkeep": "" } } } },
    );
    symlinkSync(path.join(w.dots, "vim"), path.join(w.home, ".vim"));
    await appliesOnceThenSkips(w);
    expect(isDir(path.join(w.home, ".vim", "undo"))).toBe(true);
    expect(lstatSync(path.join(w.home, ".vim")).isSymbolicLink()).toBe(false);
  });

  it("a directory inside a link whose target lies outside the roots is refused by the plan, before anything is written", async () => {
    const w = await makeWorld(
      "version: 1\nlinks:\n  ~/.vim: ../out\ndirectories:\n  - ~/.vim/evil\n",
      { root: { out: {} } },
    );
    const run = await w.cli("apply");
    expect(run.code).toBe(1);
    expect(run.stdout + run.stderr).toContain("outside your home directory");
    expect(readdirSync(path.join(w.root, "out"))).toEqual([]);
    expect(existsSync(path.join(w.home, ".vim"))).toBe(false);
  });

  it("explain of a directory inside a link the run makes says what plan says", async () => {
    const w = await makeWorld(VIM_UNDO, {
      dots: { vim: { vimrc: "x", "undo-history": { ".gitkeep": "" } } },
    });
    const run = await w.cli("explain", "~/.vim/undo-history", "--json");
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      link: path.join(w.home, ".vim", "undo-history"),
      action: { op: "skip", rule: "directory-there" },
    });
  });

  it("a directory made through a link is not linkman's to remove: after the link is pointed elsewhere, prune keeps the empty directory the new target holds", async () => {
    const w = await makeWorld(VIM_UNDO, { dots: { vim2: { "undo-history": {} } } });
    expect((await w.cli("apply")).code).toBe(0);
    expect(isDir(path.join(w.dots, "vim", "undo-history"))).toBe(true);
    writeFileSync(w.manifest, "version: 1\nlinks:\n  ~/.vim: vim2\n");
    const run = await w.cli("apply", "--prune");
    expect(run.code).toBe(0);
    expect(run.stdout + run.stderr).not.toContain("removed the empty directories");
    expect(isDir(path.join(w.dots, "vim2", "undo-history"))).toBe(true);
  });

  it("killed after any write of an apply that backs up a directory, links it and makes directories in its target, a rerun converges with nothing lost", async () => {
    const manifest =
      "version: 1\nlinks:\n  - { link: ~/.vim, target: vim, onConflict: backup }\n  - { link: ~/.nvim, target: nvim }\ndirectories:\n  - ~/.vim/undo/deep\n  - ~/.nvim/lua/spell\n  - ~/.cache/x\n";
    const home = { ".vim": { undo: { f: "the user's undo\n" } }, ".nvim": { symlink: "/old" } };
    const counting = await makeWorld(manifest, { home });
    const recorder = recording(counting.fs);
    expect((await cliThrough(counting, recorder, "apply")).code).toBe(0);
    const total = recorder.calls.filter((c) =>
      (WRITE_OPERATIONS as readonly string[]).includes(c.operation),
    ).length;
    expect(total).toBeGreaterThan(8);
    for (let k = 0; k <= total; k++) {
      const w = await makeWorld(manifest, { home });
      await cliThrough(w, crashing(w.fs, k), "apply").catch(() => undefined);
      await rm(lockPathFor(w.stateFile), { force: true });
      const rerun = await w.cli("apply");
      expect(rerun.code, `rerun after write ${k}: ${rerun.stdout}${rerun.stderr}`).toBe(0);
      expect(
        (await planned(w)).filter((op) => !op.startsWith("skip")),
        `after write ${k}`,
      ).toEqual([]);
      expect(readFileSync(path.join(w.home, ".vim.linkman-backup", "undo", "f"), "utf8")).toBe(
        "the user's undo\n",
      );
      for (const dir of ["vim/undo/deep", "nvim/lua/spell"])
        expect(isDir(path.join(w.dots, dir)), `${dir} after write ${k}`).toBe(true);
      expect(Object.keys(w.snapshot()).filter((p) => TEMPORARY.test(p))).toEqual([]);
    }
  });

  it("a link's target swapped for a symlink out of the roots right after the link is made: the directory is not made outside", async () => {
    const w = await makeWorld(
      "version: 1\nlinks:\n  ~/.vim: vim/sub\ndirectories:\n  - ~/.vim/undo/deep\n",
      {
        dots: { vim: { sub: {} } },
        root: { outside: {} },
      },
    );
    let swapped = false;
    const fs = hooked(new NodeFileSystem(), async () => {
      if (!swapped && isLink(path.join(w.home, ".vim"))) {
        swapped = true; // the link was just made; the directories come next
        await rm(path.join(w.dots, "vim", "sub"), { recursive: true });
        await symlink(path.join(w.root, "outside"), path.join(w.dots, "vim", "sub"));
      }
    });
    const run = await cliThrough(w, fs, "apply");
    expect(swapped).toBe(true);
    expect(run.code).toBe(1);
    expect(run.stdout + run.stderr).toContain("outside your home");
    expect(readdirSync(path.join(w.root, "outside"))).toEqual([]);
  });

  it("apply --prune that removes the link a listed directory lies in makes the directory where the link was, and a second apply is all skip", async () => {
    const w = await makeWorld(VIM_UNDO);
    expect((await w.cli("apply")).code).toBe(0);
    writeFileSync(w.manifest, "version: 1\ndirectories:\n  - ~/.vim/undo-history\n");
    expect(await planned(w, "--prune")).toEqual(["remove .vim", "mkdir .vim/undo-history"]);
    const run = await w.cli("apply", "--prune");
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(isLink(path.join(w.home, ".vim"))).toBe(false);
    expect(isDir(path.join(w.home, ".vim", "undo-history"))).toBe(true);
    expect((await planned(w)).filter((op) => !op.startsWith("skip"))).toEqual([]);
  });

  it("apply --prune that removes such a link and puts back the directory it replaced looks in that directory", async () => {
    const w = await makeWorld(
      "version: 1\nlinks:\n  - { link: ~/.vim, target: vim, onConflict: backup }\ndirectories:\n  - ~/.vim/undo-history\n  - ~/.vim/spell\n",
      { home: { ".vim": { "undo-history": { f: "the user's" } } } },
    );
    expect((await w.cli("apply")).code).toBe(0);
    writeFileSync(
      w.manifest,
      "version: 1\ndirectories:\n  - ~/.vim/undo-history\n  - ~/.vim/spell\n",
    );
    expect(await planned(w, "--prune")).toEqual([
      "remove .vim",
      "skip(up-to-date) .vim/undo-history",
      "mkdir .vim/spell",
    ]);
    const run = await w.cli("apply", "--prune");
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(readFileSync(path.join(w.home, ".vim", "undo-history", "f"), "utf8")).toBe("the user's");
    expect(isDir(path.join(w.home, ".vim", "spell"))).toBe(true);
    expect((await planned(w)).filter((op) => !op.startsWith("skip"))).toEqual([]);
  });

  it("on a case-insensitive system, a directory spelled in another case than its link is looked at in the link's target", async () => {
    const w = await makeWorld(
      "version: 1\nlinks:\n  ~/.Vim: vim\ndirectories:\n  - ~/.vim/undo\n",
      { dots: { vim: { vimrc: "x", undo: { ".gitkeep": "" } } } },
      MAC_MODEL,
    );
    expect(await planned(w)).toEqual(["create .Vim", "skip(up-to-date) .vim/undo"]);
    await appliesOnceThenSkips(w);
  });

  it("a file in the new link's target where a directory is listed is a conflict in the plan, and nothing is changed", async () => {
    const w = await makeWorld(VIM_UNDO, {
      dots: { vim: { vimrc: "x", "undo-history": "a file of the repository" } },
    });
    expect(await planned(w)).toEqual(["create .vim", "conflict .vim/undo-history"]);
    const run = await w.cli("apply");
    expect(run.code).toBe(1);
    expect(existsSync(path.join(w.home, ".vim"))).toBe(false);
    expect(readFileSync(path.join(w.dots, "vim", "undo-history"), "utf8")).toBe(
      "a file of the repository",
    );
  });
});
