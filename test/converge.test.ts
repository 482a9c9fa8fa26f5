import { describe, expect, it } from "vitest";
import type { FileSystem } from "../src/fs/fileSystem.js";
import { NodeFileSystem } from "../src/fs/nodeFileSystem.js";
import { makeWorld } from "./helpers/world.js";
import { windowsModel } from "./helpers/windowsModel.js";
import type { Tree } from "./helpers/tree.js";

/** What a link path may hold before applying. */
const FOUND: Record<string, (target: string) => Tree[string] | undefined> = {
  nothing: () => undefined,
  "a file with other bytes": () => "the user's own\n",
  "a file with the target's bytes": (target) =>
    target.endsWith("vimrc") ? "set number\n" : "other\n",
  "a directory": () => ({ inner: "kept\n" }),
  "a symlink elsewhere": () => ({ symlink: "/somewhere/else" }),
  "a dangling symlink": () => ({ symlink: "missing-target" }),
  "the desired absolute link": (target) => ({ symlink: target }),
  "the desired relative link": (target) => ({
    symlink: `../dots/${target.split("/dots/")[1] ?? ""}`,
  }),
};

/** The entries a manifest may want. */
const WANTED: Record<string, { target: string; options: string }> = {
  "a file symlink": { target: "vim/vimrc", options: "" },
  "a directory symlink": { target: "nvim", options: "" },
  "a relative symlink": { target: "vim/vimrc", options: "relative: true, " },
  "a hard link": { target: "vim/vimrc", options: "kind: hardlink, " },
  "a junction": { target: "nvim", options: "kind: junction, " },
};

const cases = Object.keys(WANTED).flatMap((w) => Object.keys(FOUND).map((f) => [w, f] as const));

/** The filesystems the suite runs on: the real one, and the Windows model with or without the symlink privilege. */
const SYSTEMS: [string, string, (fs: FileSystem) => FileSystem, string][] = [
  ["Linux", "linux", (fs) => fs, ""],
  ["the Windows model", "win32", (fs) => windowsModel(fs), ""],
  [
    "the Windows model without the symlink privilege, with fallback: auto",
    "win32",
    (fs) => windowsModel(fs, { privileged: false }),
    "fallback: auto, ",
  ],
];

describe.each(SYSTEMS)("apply, then plan, is all skip, on %s", (_name, platform, system, extra) => {
  it.each(cases)("wanting %s where there is %s", async (wanted, found) => {
    const { target, options } = WANTED[wanted]!;
    const manifest = `version: 1\nlinks:\n  - { link: ~/it, target: ${target}, ${options}${extra}onConflict: backup }\n`;
    const w0 = await makeWorld(manifest);
    const existing = FOUND[found]!(`${w0.dots}/${target}`);
    const w = existing === undefined ? w0 : await makeWorld(manifest, { home: { it: existing } });
    const before = w.snapshot();
    const fs = system(new NodeFileSystem());

    const first = await w.apply({ fs, platform });
    expect(first.failed, first.actions.map((a) => a.error).join("; ")).toBe(0);
    const second = await w.plan({ fs, platform });
    expect(second.actions.map((a) => `${a.op}:${a.reason}`)).toEqual(["skip:up-to-date"]);

    // Every file that was there before is still there, in place or in its backup.
    const after = w.snapshot();
    for (const [p, content] of Object.entries(before)) {
      if (!content.startsWith("file:")) continue;
      const backup = p.replace(/^home\/it/, "home/it.linkman-backup");
      expect([after[p], after[backup]], p).toContain(content);
    }
  });
});

describe("apply, with conflicts left", () => {
  it("shows exactly the same conflicts the second time when the policy is fail", async () => {
    const w = await makeWorld("version: 1\nlinks:\n  ~/a: vim/vimrc\n  ~/b: vim/vimrc\n", {
      home: { a: "mine" },
    });
    await w.apply({ skipConflicts: true });
    const plan = await w.plan();
    expect(plan.actions.map((a) => a.op)).toEqual(["conflict", "skip"]);
  });
});
