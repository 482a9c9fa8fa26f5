import {
  existsSync,
  lstatSync,
  mkdtempSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
} from "node:fs";
import os from "node:os";
import { mkdir, rename, symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { linkFromReadlink } from "../src/platform.js";
import { SYSTEMS } from "./helpers/systems.js";
import { failing, recording, type RecordedCall } from "../src/fs/wrappers.js";
import { worldsOn, ops } from "./helpers/world.js";

const entry = (link: string, target: string, extra = "") =>
  `version: 1\nlinks:\n  - link: ${link}\n    target: ${target}\n${extra}`;
/** Whether /dev/shm is a writable filesystem on another device than the temporary directory. */
function crossDevice(): boolean {
  return existsSync("/dev/shm") && statSync("/dev/shm").dev !== statSync(os.tmpdir()).dev;
}

const writes = (calls: RecordedCall[]) =>
  calls.filter((c) =>
    ["symlink", "link", "rename", "unlink", "rmdir", "mkdir", "writeNewFile"].includes(c.operation),
  );

describe.each(SYSTEMS.map((s) => [s.name, s] as const))("on %s", (_name, system) => {
  const makeWorld = worldsOn(system);

  describe("apply, row by row", () => {
    it("creates a missing link, and the directories above it", async () => {
      const w = await makeWorld(entry("~/.config/vim/vimrc", "vim/vimrc"));
      const result = await w.apply();
      expect(result.actions[0]).toMatchObject({ op: "create", result: "done" });
      expect(readlinkSync(path.join(w.home, ".config/vim/vimrc"))).toBe(
        path.join(w.dots, "vim/vimrc"),
      );
    });

    it("leaves the desired link alone, with no write at all", async () => {
      const w = await makeWorld(entry("~/.vimrc", "vim/vimrc"));
      await w.apply();
      const fs = recording(w.fs);
      const again = await w.apply({ fs });
      expect(again.actions[0]).toMatchObject({
        op: "skip",
        reason: "up-to-date",
        result: "unchanged",
      });
      expect(writes(fs.calls)).toEqual([]);
    });

    it("counts a relative link to the target as the desired link", async () => {
      const w = await makeWorld(entry("~/.vimrc", "vim/vimrc"), {
        home: { ".vimrc": { symlink: "../dots/vim/vimrc" } },
      });
      expect(ops(await w.plan(), w.home)).toEqual(["skip(up-to-date) .vimrc"]);
    });

    it("replaces a symlink that points elsewhere: a new link beside it, renamed over it", async () => {
      const w = await makeWorld(entry("~/.vimrc", "vim/vimrc"), {
        home: { ".vimrc": { symlink: "/old/vimrc" } },
      });
      const plan = await w.plan();
      expect(plan.actions[0]).toMatchObject({
        op: "replace",
        found: { type: "symlink", linkTarget: "/old/vimrc" },
      });
      const fs = recording(w.fs);
      await w.apply({ fs });
      const [make, swap] = writes(fs.calls);
      expect(make).toMatchObject({
        operation: "symlink",
        args: [
          path.join(w.dots, "vim/vimrc"),
          expect.stringMatching(/\.vimrc\.linkman-[0-9a-f]{12}$/),
          "file",
        ],
      });
      expect(swap).toMatchObject({
        operation: "rename",
        args: [make?.args[1], path.join(w.home, ".vimrc")],
      });
      expect(writes(fs.calls)).toHaveLength(2);
      expect(readlinkSync(path.join(w.home, ".vimrc"))).toBe(path.join(w.dots, "vim/vimrc"));
    });

    it("replaces a dangling symlink", async () => {
      const w = await makeWorld(entry("~/.vimrc", "vim/vimrc"), {
        home: { ".vimrc": { symlink: "nowhere" } },
      });
      expect((await w.apply()).actions[0]).toMatchObject({ op: "replace", result: "done" });
    });

    it("makes a hard link: the same file under a second name", async () => {
      const w = await makeWorld(entry("~/bin/tool", "bin/tool", "    kind: hardlink\n"));
      await w.apply();
      expect(statSync(path.join(w.home, "bin/tool")).ino).toBe(
        statSync(path.join(w.dots, "bin/tool")).ino,
      );
      expect(ops(await w.plan(), w.home)).toEqual(["skip(up-to-date) bin/tool"]);
    });

    it("replaces a separate copy with the target's exact bytes by the hard link (an editor saved by rename)", async () => {
      const w = await makeWorld(entry("~/tool", "bin/tool", "    kind: hardlink\n"), {
        home: { tool: "#!/bin/sh\necho tool\n" },
      });
      const result = await w.apply();
      expect(result.actions[0]).toMatchObject({ op: "replace", backup: null, result: "done" });
      expect(statSync(path.join(w.home, "tool")).ino).toBe(
        statSync(path.join(w.dots, "bin/tool")).ino,
      );
    });

    it("reports a conflict for a copy with other bytes, and changes nothing", async () => {
      const w = await makeWorld(entry("~/tool", "bin/tool", "    kind: hardlink\n"), {
        home: { tool: "edited\n" },
      });
      const before = w.snapshot();
      const result = await w.apply();
      expect(result).toMatchObject({ refused: true });
      expect(result.actions[0]).toMatchObject({ op: "conflict", result: "unchanged" });
      expect(w.snapshot()).toEqual(before);
    });
  });

  describe("something in the way", () => {
    const two = "version: 1\nlinks:\n  ~/.vimrc: vim/vimrc\n  ~/.config/nvim: nvim\n";

    it("with onConflict fail, refuses the whole plan: not even the other link is made", async () => {
      const w = await makeWorld(two, { home: { ".vimrc": "mine\n" } });
      const before = w.snapshot();
      const run = await w.cli("apply");
      expect(run.code).toBe(1);
      expect(run.stdout).toContain("! conflict ~/.vimrc → vim/vimrc: a file is in the way");
      expect(run.stderr).toContain("nothing was applied");
      expect(w.snapshot()).toEqual(before);
    });

    it("with --skip-conflicts, applies the rest and leaves the file", async () => {
      const w = await makeWorld(two, { home: { ".vimrc": "mine\n" } });
      const run = await w.cli("apply", "--skip-conflicts");
      expect(run.code).toBe(0);
      expect(readFileSync(path.join(w.home, ".vimrc"), "utf8")).toBe("mine\n");
      expect(lstatSync(path.join(w.home, ".config/nvim")).isSymbolicLink()).toBe(true);
    });

    it("with onConflict skip, leaves the file and applies the rest", async () => {
      const w = await makeWorld(
        `version: 1\ndefaults: { onConflict: skip }\nlinks:\n  ~/.vimrc: vim/vimrc\n  ~/.config/nvim: nvim\n`,
        { home: { ".vimrc": "mine\n" } },
      );
      const result = await w.apply();
      expect(ops(await w.plan(), w.home)).toEqual([
        "skip(conflict) .vimrc",
        "skip(up-to-date) .config/nvim",
      ]);
      expect(result.refused).toBe(false);
      expect(readFileSync(path.join(w.home, ".vimrc"), "utf8")).toBe("mine\n");
    });

    it("with onConflict backup, moves the file to a backup and links in its place", async () => {
      const w = await makeWorld(entry("~/.vimrc", "vim/vimrc", "    onConflict: backup\n"), {
        home: { ".vimrc": "mine\n" },
      });
      const result = await w.apply();
      const backup = path.join(w.home, ".vimrc.linkman-backup");
      expect(result.actions[0]).toMatchObject({
        op: "replace",
        backup,
        movedTo: backup,
        result: "done",
      });
      expect(readFileSync(backup, "utf8")).toBe("mine\n");
      expect(readlinkSync(path.join(w.home, ".vimrc"))).toBe(path.join(w.dots, "vim/vimrc"));
    });

    it("never leaves the path without the file or the link while backing a file up", async () => {
      const w = await makeWorld(entry("~/.vimrc", "vim/vimrc", "    onConflict: backup\n"), {
        home: { ".vimrc": "mine\n" },
      });
      const fs = recording(w.fs);
      await w.apply({ fs });
      expect(writes(fs.calls).map((c) => c.operation)).toEqual(["symlink", "link", "rename"]);
    });

    it("with --force, backs up what is in the way", async () => {
      const w = await makeWorld(entry("~/.vimrc", "vim/vimrc"), { home: { ".vimrc": "mine\n" } });
      const run = await w.cli("apply", "--force");
      expect(run.code).toBe(0);
      expect(run.stdout).toContain(
        "~ replaced ~/.vimrc → vim/vimrc (backup: ~/.vimrc.linkman-backup)",
      );
      expect(readFileSync(path.join(w.home, ".vimrc.linkman-backup"), "utf8")).toBe("mine\n");
    });

    it("never overwrites an earlier backup", async () => {
      const w = await makeWorld(entry("~/.vimrc", "vim/vimrc", "    onConflict: backup\n"), {
        home: { ".vimrc": "second\n", ".vimrc.linkman-backup": "first\n" },
      });
      const result = await w.apply();
      expect(result.actions[0]?.movedTo).toBe(path.join(w.home, ".vimrc.linkman-backup-2"));
      expect(readFileSync(path.join(w.home, ".vimrc.linkman-backup"), "utf8")).toBe("first\n");
      expect(readFileSync(path.join(w.home, ".vimrc.linkman-backup-2"), "utf8")).toBe("second\n");
    });

    it("takes the next backup name when the planned one is taken before applying", async () => {
      const w = await makeWorld(entry("~/.vimrc", "vim/vimrc", "    onConflict: backup\n"), {
        home: { ".vimrc": "mine\n" },
      });
      const plan = await w.plan();
      await writeFile(path.join(w.home, ".vimrc.linkman-backup"), "someone else's\n");
      const { applyPlan } = await import("../src/engine/apply.js");
      const result = await applyPlan(plan, {
        fs: w.fs,
        platform: w.platform,
        roots: await w.roots(),
      });
      expect(result.actions[0]?.movedTo).toBe(path.join(w.home, ".vimrc.linkman-backup-2"));
      expect(readFileSync(path.join(w.home, ".vimrc.linkman-backup"), "utf8")).toBe(
        "someone else's\n",
      );
      expect(readFileSync(path.join(w.home, ".vimrc.linkman-backup-2"), "utf8")).toBe("mine\n");
    });

    it("moves a directory in the way to a backup, whole", async () => {
      const w = await makeWorld(entry("~/.config/nvim", "nvim", "    onConflict: backup\n"), {
        home: { ".config": { nvim: { "init.vim": "old\n", colors: { "x.vim": "c" } } } },
      });
      await w.apply();
      const backup = path.join(w.home, ".config/nvim.linkman-backup");
      expect(readFileSync(path.join(backup, "colors/x.vim"), "utf8")).toBe("c");
      expect(readlinkSync(path.join(w.home, ".config/nvim"))).toBe(path.join(w.dots, "nvim"));
    });
  });

  describe("errors in the plan", () => {
    it("refuses a missing target (exit 1), or skips it with ifMissing: skip", async () => {
      const w = await makeWorld(entry("~/.vimrc", "vim/nothere"));
      const run = await w.cli("apply");
      expect(run.code).toBe(1);
      expect(run.stdout).toContain("! error    ~/.vimrc → vim/nothere: the target does not exist");
      const skipping = await makeWorld(entry("~/.vimrc", "vim/nothere", "    ifMissing: skip\n"));
      expect((await skipping.cli("apply")).code).toBe(0);
      expect(ops(await skipping.plan(), skipping.home)).toEqual(["skip(missing-target) .vimrc"]);
    });

    it("refuses a hard link to a directory, saying why", async () => {
      const w = await makeWorld(entry("~/nvim", "nvim", "    kind: hardlink\n"));
      expect((await w.plan()).actions[0]).toMatchObject({
        op: "error",
        message: "the target is a directory, and hard links are files only",
      });
    });

    it.skipIf(!crossDevice())("refuses a hard link across devices, saying why", async () => {
      const shm = mkdtempSync("/dev/shm/linkman-test-");
      try {
        await writeFile(path.join(shm, "tool"), "x");
        const w = await makeWorld(entry("~/tool", path.join(shm, "tool"), "    kind: hardlink\n"));
        const run = await w.cli("plan");
        expect(run.code).toBe(1);
        expect(run.stdout).toContain(
          "the target is on another device, and a hard link must be on the same volume",
        );
      } finally {
        rmSync(shm, { recursive: true, force: true });
      }
    });

    it("unfolds a directory link into the repository above a link path that would be the target itself", async () => {
      const w = await makeWorld(
        entry("~/.config/nvim", "config/nvim", "    onConflict: backup\n"),
        {
          dots: { config: { nvim: { "init.lua": "x" } } },
        },
      );
      await symlink(path.join(w.dots, "config"), path.join(w.home, ".config"));
      const result = await w.apply();
      expect(result.actions.map((a) => [a.op, a.result])).toEqual([
        ["unfold", "done"],
        ["create", "done"],
      ]);
      expect(lstatSync(path.join(w.home, ".config")).isDirectory()).toBe(true);
      expect(readlinkSync(path.join(w.home, ".config/nvim"))).toBe(
        path.join(w.dots, "config/nvim"),
      );
      expect(readFileSync(path.join(w.dots, "config/nvim/init.lua"), "utf8")).toBe("x");
    });

    it("refuses a link path that is the target itself through a directory link outside the repository, and moves nothing", async () => {
      const w = await makeWorld(
        entry("~/.config/nvim", "~/real/nvim", "    onConflict: backup\n"),
        {
          home: { real: { nvim: { "init.lua": "x" } } },
        },
      );
      await symlink(path.join(w.home, "real"), path.join(w.home, ".config"));
      const before = w.snapshot();
      const result = await w.apply();
      expect(result.actions[0]).toMatchObject({ op: "error", rule: "link-is-target" });
      expect(w.snapshot()).toEqual(before);
    });

    it("refuses a link path that holds its own target, rather than moving the target away", async () => {
      const w = await makeWorld(entry("~/stuff", "~/stuff/file", "    onConflict: backup\n"), {
        home: { stuff: { file: "x" } },
      });
      const before = w.snapshot();
      expect((await w.apply()).actions[0]).toMatchObject({
        op: "error",
        rule: "target-inside-link",
      });
      expect(w.snapshot()).toEqual(before);
    });

    it("refuses a link outside home and the manifest's directory, unless --allow-outside", async () => {
      const w = await makeWorld(entry("../elsewhere/vimrc", "vim/vimrc"), {
        root: { elsewhere: {} },
      });
      const refused = await w.cli("plan");
      expect(refused.code).toBe(1);
      expect(refused.stdout).toContain(
        "the link is outside your home directory and the manifest's directory",
      );
      const allowed = await w.cli("apply", "--allow-outside", path.join(w.root, "elsewhere"));
      expect(allowed.code).toBe(0);
      expect(lstatSync(path.join(w.root, "elsewhere/vimrc")).isSymbolicLink()).toBe(true);
    });

    it("refuses a link whose directory is a symlink leading out of home", async () => {
      const w = await makeWorld(entry("~/out/vimrc", "vim/vimrc"), { root: { elsewhere: {} } });
      await symlink(path.join(w.root, "elsewhere"), path.join(w.home, "out"));
      expect((await w.plan()).actions[0]).toMatchObject({ op: "error", rule: "outside-roots" });
    });

    it("reports a path it cannot look at as an error of the plan, not a crash", async () => {
      const w = await makeWorld(entry("~/.vimrc", "vim/vimrc"));
      const fs = failing(w.fs, [
        { operation: "lstatIfExists", path: path.join(w.home, ".vimrc"), code: "EACCES" },
      ]);
      expect((await w.plan({ fs })).actions[0]).toMatchObject({
        op: "error",
        rule: "cannot-look",
        message: `cannot look at ${path.join(w.home, ".vimrc")}: EACCES`,
      });
    });
  });

  describe("kinds and forms", () => {
    it("stores a relative path from the link's real directory, which survives a symlinked ~/.config", async () => {
      const w = await makeWorld(entry("~/.config/vimrc", "vim/vimrc", "    relative: true\n"), {
        dots: { config: {} },
      });
      await symlink(path.join(w.dots, "config"), path.join(w.home, ".config"));
      await w.apply();
      expect(readlinkSync(path.join(w.dots, "config/vimrc"))).toBe("../vim/vimrc");
      expect(readFileSync(path.join(w.home, ".config/vimrc"), "utf8")).toBe("set number\n");
      expect(ops(await w.plan(), w.home)).toEqual(["skip(up-to-date) .config/vimrc"]);
    });

    it("makes a junction with the target's absolute path (outside Windows, a directory symlink)", async () => {
      const w = await makeWorld(entry("~/nvim", "nvim", "    kind: junction\n"));
      await w.apply();
      expect(linkFromReadlink(readlinkSync(path.join(w.home, "nvim")), system.platform).text).toBe(
        path.join(w.dots, "nvim"),
      );
    });

    it("gives a directory symlink the dir type and a file symlink the file type", async () => {
      const w = await makeWorld("version: 1\nlinks:\n  ~/nvim: nvim\n  ~/vimrc: vim/vimrc\n");
      const fs = recording(w.fs);
      await w.apply({ fs });
      expect(writes(fs.calls).map((c) => c.args[2])).toEqual(["dir", "file"]);
    });
  });

  describe("failures while applying", () => {
    const three = "version: 1\nlinks:\n  ~/a: vim/vimrc\n  ~/b: vim/vimrc\n  ~/c: vim/vimrc\n";

    it("reports a failing operation with its path and cause, goes on, and a rerun converges", async () => {
      const w = await makeWorld(three);
      const fs = failing(w.fs, [
        { operation: "symlink", path: path.join(w.home, "b"), code: "EACCES" },
      ]);
      const result = await w.apply({ fs });
      expect(result.actions.map((a) => a.result)).toEqual(["done", "failed", "done"]);
      expect(result.actions[1]?.error).toBe(
        `${path.join(w.home, "b")}: permission denied (EACCES)`,
      );
      expect(result.failed).toBe(1);
      await w.apply();
      expect(ops(await w.plan(), w.home)).toEqual([
        "skip(up-to-date) a",
        "skip(up-to-date) b",
        "skip(up-to-date) c",
      ]);
    });

    it.each(["EACCES", "EPERM", "ENOSPC", "EEXIST", "EXDEV", "ENOENT"])(
      "when the rename of a replace fails with %s, the old link stays and no temporary name is left",
      async (code) => {
        const w = await makeWorld(entry("~/.vimrc", "vim/vimrc"), {
          home: { ".vimrc": { symlink: "/old" } },
        });
        const fs = failing(w.fs, [{ operation: "rename", code }]);
        const result = await w.apply({ fs });
        expect(result.actions[0]).toMatchObject({
          result: "failed",
          error: expect.stringContaining(`(${code})`),
        });
        expect(w.snapshot()).toMatchObject({ "home/.vimrc": "link:/old" });
        expect(Object.keys(w.snapshot()).filter((p) => p.startsWith("home/"))).toEqual([
          "home/.vimrc",
        ]);
        await w.apply();
        expect(ops(await w.plan(), w.home)).toEqual(["skip(up-to-date) .vimrc"]);
      },
    );

    it("keeps the user's file in place when the swap after its backup fails", async () => {
      const w = await makeWorld(entry("~/.vimrc", "vim/vimrc", "    onConflict: backup\n"), {
        home: { ".vimrc": "mine\n" },
      });
      const fs = failing(w.fs, [{ operation: "rename", code: "EIO" }]);
      const result = await w.apply({ fs });
      expect(result.actions[0]?.result).toBe("failed");
      expect(Object.entries(w.snapshot()).filter(([p]) => p.startsWith("home/"))).toEqual([
        ["home/.vimrc", "file:mine\n"],
      ]);
    });

    it("rolls a directory back into place when the link cannot take its place", async () => {
      const w = await makeWorld(entry("~/nvim", "nvim", "    onConflict: backup\n"), {
        home: { nvim: { "x.lua": "mine" } },
      });
      const fs = failing(w.fs, [{ operation: "rename", nth: 2, code: "EIO" }]);
      const result = await w.apply({ fs });
      expect(result.actions[0]?.result).toBe("failed");
      expect(Object.entries(w.snapshot()).filter(([p]) => p.startsWith("home/"))).toEqual([
        ["home/nvim", "dir"],
        ["home/nvim/x.lua", "file:mine"],
      ]);
    });

    it("says how to get symlinks on Windows when one is refused", async () => {
      const w = await makeWorld(entry("~/.vimrc", "vim/vimrc"));
      const fs = failing(w.fs, [{ operation: "symlink", code: "EPERM" }]);
      const result = await w.apply({ fs, platform: "win32" });
      expect(result.actions[0]?.hint).toContain("Developer Mode");
      expect(result.actions[0]?.hint).toContain("fallback: auto");
    });

    it("with fallback: auto, makes a hard link for a file and a junction for a directory where a symlink is refused", async () => {
      const w = await makeWorld(
        "version: 1\ndefaults: { fallback: auto }\nlinks:\n  ~/vimrc: vim/vimrc\n  ~/nvim: nvim\n",
      );
      const fs = recording(
        failing(w.fs, [
          { operation: "symlink", path: path.join(w.home, "vimrc"), nth: 1, code: "EPERM" },
          { operation: "symlink", path: path.join(w.home, "nvim"), nth: 1, code: "EPERM" },
        ]),
      );
      const result = await w.apply({ fs });
      expect(result.actions.map((a) => [a.result, a.fallback])).toEqual([
        ["done", "hardlink"],
        ["done", "junction"],
      ]);
      expect(statSync(path.join(w.home, "vimrc")).ino).toBe(
        statSync(path.join(w.dots, "vim/vimrc")).ino,
      );
      expect(
        writes(fs.calls)
          .filter((c) => c.operation === "symlink")
          .map((c) => c.args[2]),
      ).toEqual(["file", "dir", "junction"]);
    });

    it("plans an error, never a create, for a directory that cannot be made because a file is in its place", async () => {
      const w = await makeWorld(entry("~/.config/vimrc", "vim/vimrc"), {
        home: { ".config": "a file\n" },
      });
      const result = await w.apply();
      expect(result.actions[0]).toMatchObject({
        op: "error",
        rule: "not-a-directory",
        result: "unchanged",
      });
    });
  });

  describe("dry runs", () => {
    it("apply --dry-run prints the plan and changes nothing", async () => {
      const w = await makeWorld(
        "version: 1\nlinks:\n  ~/.vimrc: vim/vimrc\n  ~/.zshrc: vim/vimrc\n",
        { home: { ".zshrc": { symlink: "/old" } } },
      );
      const before = w.snapshot();
      const run = await w.cli("apply", "--dry-run");
      expect(run.code).toBe(0);
      expect(run.stdout).toBe(
        [
          "+ create   ~/.vimrc → vim/vimrc",
          "~ replace  ~/.zshrc → vim/vimrc (was → /old)",
          "Plan: 1 to create, 1 to replace, 0 to remove, 0 unchanged, 0 conflicts.",
          "",
        ].join("\n"),
      );
      expect(w.snapshot()).toEqual(before);
    });

    it("plan exits 1 when it holds a conflict", async () => {
      const w = await makeWorld(entry("~/.vimrc", "vim/vimrc"), { home: { ".vimrc": "mine" } });
      const run = await w.cli("plan");
      expect(run.code).toBe(1);
      expect(run.stdout).toContain(
        "Plan: 0 to create, 0 to replace, 0 to remove, 0 unchanged, 1 conflict.",
      );
      expect(run.stdout).toMatch(/hint: links\.yaml asks linkman.*apply --force/);
    });

    it("plan --force shows the backup it would make", async () => {
      const w = await makeWorld(entry("~/.vimrc", "vim/vimrc"), { home: { ".vimrc": "mine" } });
      const run = await w.cli("plan", "--force");
      expect(run.code).toBe(0);
      expect(run.stdout).toContain(
        "~ replace  ~/.vimrc → vim/vimrc (backup: ~/.vimrc.linkman-backup)",
      );
    });
  });

  describe("moving things around between plan and apply", () => {
    it("reports a path someone else created in the meantime, and leaves it", async () => {
      const w = await makeWorld(entry("~/.vimrc", "vim/vimrc"));
      const plan = await w.plan();
      await writeFile(path.join(w.home, ".vimrc"), "raced\n");
      const { applyPlan } = await import("../src/engine/apply.js");
      const result = await applyPlan(plan, {
        fs: w.fs,
        platform: w.platform,
        roots: await w.roots(),
      });
      expect(result.actions[0]).toMatchObject({
        result: "conflict",
        error: expect.stringContaining("a file appeared there since the plan was made"),
      });
      expect(readFileSync(path.join(w.home, ".vimrc"), "utf8")).toBe("raced\n");
    });

    it("fails cleanly when the link's directory vanishes", async () => {
      const w = await makeWorld(entry("~/d/.vimrc", "vim/vimrc", "    mkdirs: false\n"), {
        home: { d: {} },
      });
      const plan = await w.plan();
      await rename(path.join(w.home, "d"), path.join(w.home, "e"));
      await mkdir(path.join(w.home, "f"));
      const { applyPlan } = await import("../src/engine/apply.js");
      const result = await applyPlan(plan, {
        fs: w.fs,
        platform: w.platform,
        roots: await w.roots(),
      });
      expect(result.actions[0]).toMatchObject({
        result: "failed",
        error: expect.stringContaining("ENOENT"),
      });
    });
  });
});
