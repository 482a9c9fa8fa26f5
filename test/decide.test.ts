import { describe, expect, it } from "vitest";
import type { Action, Found, Observation } from "../src/engine/action.js";
import { decide } from "../src/engine/decide.js";
import type { DesiredLink } from "../src/resolve/desiredLink.js";
import {
  directoryTarget as directory,
  fileTarget as file,
  missing,
  seen,
  settings,
  symlinkTo,
  want,
} from "./helpers/decisions.js";
import { onWindows } from "./helpers/systems.js";

const recipeOf = (action: Action) => ("recipe" in action ? action.recipe : null);
const userFile: Found = { type: "file", dev: "1", ino: "555", size: 10, mtimeMs: 0 };

describe.skipIf(onWindows)("the decision table (written with POSIX paths)", () => {
  it.each<[string, DesiredLink, Observation, Partial<ReturnType<typeof decide>>]>([
    ["nothing there → create", want(), seen(missing), { op: "create", rule: "nothing-there" }],
    [
      "the desired symlink, absolute → skip up-to-date",
      want(),
      seen(symlinkTo("/home/u/dots/vim/vimrc")),
      { op: "skip", reason: "up-to-date" },
    ],
    [
      "the desired symlink, relative → skip up-to-date",
      want(),
      seen(symlinkTo("dots/vim/vimrc")),
      { op: "skip", reason: "up-to-date" },
    ],
    [
      "the desired symlink, with a trailing separator → skip",
      want(),
      seen(symlinkTo("/home/u/dots/vim/vimrc/")),
      { op: "skip", reason: "up-to-date" },
    ],
    [
      "the desired symlink, spelled with .. → skip",
      want(),
      seen(symlinkTo("/home/u/dots/x/../vim/vimrc")),
      { op: "skip", reason: "up-to-date" },
    ],
    [
      "a symlink elsewhere → replace, keeping the old text",
      want(),
      seen(symlinkTo("/old/vimrc")),
      {
        op: "replace",
        rule: "link-elsewhere",
        backup: null,
        message: "replaces a symlink to /old/vimrc",
      },
    ],
    ["a dangling symlink → replace", want(), seen(symlinkTo("/gone")), { op: "replace" }],
    [
      "a junction elsewhere → replace",
      want(),
      seen({ type: "junction", linkTarget: "C:\\old" }),
      { op: "replace" },
    ],
    [
      "hardlink: same device and inode → skip up-to-date",
      want("hardlink"),
      seen({ ...userFile, ino: "100" }),
      { op: "skip", reason: "up-to-date" },
    ],
    [
      "hardlink: a separate file with the same bytes → replace, no backup",
      want("hardlink"),
      seen(userFile, { sameBytes: true }),
      { op: "replace", rule: "same-bytes", backup: null },
    ],
    [
      "hardlink: a file with other bytes → conflict",
      want("hardlink"),
      seen(userFile),
      { op: "conflict" },
    ],
    [
      "symlink with fallback auto: the hard link the fallback made → skip up-to-date",
      want("symlink", { fallback: "auto" }),
      seen({ ...userFile, ino: "100" }),
      { op: "skip", reason: "up-to-date", rule: "fallback-link" },
    ],
    [
      "symlink without fallback: a second name of the target → replace, nothing is lost",
      want(),
      seen({ ...userFile, ino: "100" }),
      { op: "replace", rule: "second-name", backup: null },
    ],
    [
      "hardlink: a symlink to the target → replace",
      want("hardlink"),
      seen(symlinkTo("/home/u/dots/vim/vimrc")),
      { op: "replace" },
    ],
    [
      "a file, onConflict fail → conflict",
      want(),
      seen(userFile),
      { op: "conflict", rule: "in-the-way", message: "a file is in the way" },
    ],
    [
      "a directory, onConflict fail → conflict",
      want(),
      seen({ type: "directory" }),
      { op: "conflict", message: "a directory is in the way" },
    ],
    [
      "anything else, onConflict fail → conflict",
      want(),
      seen({ type: "other" }),
      { op: "conflict" },
    ],
    [
      "a file, onConflict skip → skip conflict",
      want("symlink", { onConflict: "skip" }),
      seen(userFile),
      { op: "skip", reason: "conflict" },
    ],
    [
      "a file, onConflict backup → replace with a backup",
      want("symlink", { onConflict: "backup" }),
      seen(userFile),
      { op: "replace", backup: "/home/u/.vimrc.linkman-backup" },
    ],
    [
      "a directory, onConflict backup → replace with a backup",
      want("symlink", { onConflict: "backup" }),
      seen({ type: "directory" }),
      { op: "replace", backup: "/home/u/.vimrc.linkman-backup" },
    ],
    [
      "target missing, ifMissing error → error",
      want(),
      seen(missing, { target: { type: "missing" } }),
      { op: "error", rule: "missing-target" },
    ],
    [
      "target missing, ifMissing skip → skip missing-target",
      want("symlink", { ifMissing: "skip" }),
      seen(missing, { target: { type: "missing" } }),
      { op: "skip", reason: "missing-target" },
    ],
    [
      "hardlink to a directory → error",
      want("hardlink"),
      seen(missing, { target: directory }),
      { op: "error", rule: "hardlink-files-only" },
    ],
    [
      "hardlink across devices → error",
      want("hardlink"),
      seen(missing, { parentDev: "2" }),
      { op: "error", rule: "hardlink-same-volume" },
    ],
    [
      "junction to a file → error",
      want("junction"),
      seen(missing),
      { op: "error", rule: "junction-directories-only" },
    ],
    [
      "the link path is the target itself → error",
      want(),
      seen(userFile, { linkReal: "/home/u/dots/vim/vimrc" }),
      { op: "error", rule: "link-is-target" },
    ],
    [
      "the target inside the link path → error",
      want(),
      seen({ type: "directory" }, { linkReal: "/home/u/dots" }),
      { op: "error", rule: "target-inside-link" },
    ],
    [
      "a missing parent with mkdirs false → error",
      want("symlink", { mkdirs: false }),
      seen(missing, { parentExists: false }),
      { op: "error", rule: "no-parent" },
    ],
    [
      "a missing parent with mkdirs → create",
      want(),
      seen(missing, { parentExists: false }),
      { op: "create" },
    ],
  ])("%s", (_name, desired, observation, expected) => {
    expect(decide(desired, observation, settings)).toMatchObject(expected);
  });

  it("skips an entry whose when fails, with reason condition", () => {
    const desired = {
      ...want(),
      skipped: { reason: "condition" as const, why: "os is linux, not darwin" },
    };
    expect(decide(desired, seen(userFile), settings)).toMatchObject({
      op: "skip",
      reason: "condition",
      message: "os is linux, not darwin",
    });
  });

  it("refuses a link outside home and the manifest's directory", () => {
    const outside = { ...want(), link: "/etc/vimrc" };
    expect(decide(outside, seen(missing, { linkReal: "/etc/vimrc" }), settings)).toMatchObject({
      op: "error",
      rule: "outside-roots",
      hint: expect.stringContaining("--allow-outside"),
    });
  });

  it("refuses a link whose directory is a symlink out of home", () => {
    expect(
      decide(want(), seen(missing, { linkReal: "/elsewhere/.vimrc" }), settings),
    ).toMatchObject({
      op: "error",
      message: expect.stringContaining("it is really /elsewhere/.vimrc"),
    });
  });

  it("allows a link under an --allow-outside directory", () => {
    const outside = { ...want(), link: "/etc/vimrc" };
    const allowing = { ...settings, roots: [...settings.roots, { path: "/etc", real: "/etc" }] };
    expect(decide(outside, seen(missing, { linkReal: "/etc/vimrc" }), allowing).op).toBe("create");
  });

  it("refuses a hard link to a file that already has as many names as NTFS allows, on Windows only", () => {
    const full = seen(missing, { target: { ...file, nlink: 1023 } });
    expect(decide(want("hardlink"), full, { ...settings, platform: "win32" })).toMatchObject({
      op: "error",
      rule: "hardlink-too-many",
    });
    expect(decide(want("hardlink"), full, settings).op).toBe("create");
  });

  it("treats --force as the backup policy for entries whose policy is fail", () => {
    const forcing = { ...settings, force: true };
    expect(decide(want(), seen(userFile), forcing)).toMatchObject({
      op: "replace",
      backup: "/home/u/.vimrc.linkman-backup",
    });
    expect(decide(want("symlink", { onConflict: "skip" }), seen(userFile), forcing)).toMatchObject({
      op: "skip",
      reason: "conflict",
    });
  });

  it("compares link text case-insensitively on darwin and win32 only", () => {
    const upper = seen(symlinkTo("/HOME/U/DOTS/VIM/VIMRC"));
    expect(decide(want(), upper, settings).op).toBe("replace");
    expect(decide(want(), upper, { ...settings, platform: "darwin" }).op).toBe("skip");
  });

  describe("how the link is made", () => {
    it("stores the absolute target, as a file symlink", () => {
      expect(recipeOf(decide(want(), seen(missing), settings))).toEqual({
        text: "/home/u/dots/vim/vimrc",
        type: "file",
      });
    });
    it("gives a directory target the dir type, never left to detection", () => {
      expect(recipeOf(decide(want(), seen(missing, { target: directory }), settings))).toEqual({
        text: "/home/u/dots/vim/vimrc",
        type: "dir",
      });
    });
    it("stores a relative path from the link's real directory with relative: true", () => {
      const action = decide(
        want("symlink", { relative: true }),
        seen(missing, { linkReal: "/home/u/.config/vimrc" }),
        settings,
      );
      expect(recipeOf(action)).toEqual({ text: "../dots/vim/vimrc", type: "file" });
    });
    it("makes a junction with the absolute target", () => {
      expect(
        recipeOf(decide(want("junction"), seen(missing, { target: directory }), settings)),
      ).toEqual({ text: "/home/u/dots/vim/vimrc", type: "junction" });
    });
    it("makes a hard link to the target's path", () => {
      expect(recipeOf(decide(want("hardlink"), seen(missing), settings))).toEqual({
        text: "/home/u/dots/vim/vimrc",
        type: null,
      });
    });
  });
});
