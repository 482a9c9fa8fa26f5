import { describe, expect, it } from "vitest";
import type { Rule } from "../src/engine/action.js";
import { caseInsensitive } from "../src/platform.js";
import { MAC_MODEL, THIS_MACHINE, windows, type System } from "./helpers/systems.js";
import { writeTree, type Tree } from "./helpers/tree.js";
import { makeWorld } from "./helpers/world.js";

/** What a link path may hold before applying. */
const FOUND: Record<string, (target: string) => Tree[string] | undefined> = {
  nothing: () => undefined,
  "a file with other bytes": () => "the user's own\n",
  "a file with the target's bytes": (target) =>
    target.endsWith("vimrc") ? "set number\n" : "other\n",
  "a directory": () => ({ inner: "kept\n" }),
  "a symlink elsewhere": () => ({ symlink: "/somewhere/else" }),
  "a dangling symlink": () => ({ symlink: "missing-target" }),
  "a directory symlink elsewhere": (target) => ({
    symlink: `${target.split("/dots/")[0] ?? ""}/dots/bin`,
  }),
  "the desired absolute link": (target) => ({ symlink: target }),
  "the desired relative link": (target) => ({
    symlink: `../dots/${target.split("/dots/")[1] ?? ""}`,
  }),
  "the desired link, spelt in other case": (target) => ({
    symlink: target.replace("/dots/", "/DOTS/"),
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

/** SPEC's decision table: the row that decides, for what is wanted and what is found. */
function row(wanted: string, found: string, platform: string): Rule {
  const hardLink = wanted === "a hard link";
  switch (found) {
    case "nothing":
      return "nothing-there";
    case "a file with the target's bytes":
      return hardLink ? "same-bytes" : "in-the-way";
    case "a file with other bytes":
    case "a directory":
      return "in-the-way";
    case "the desired absolute link":
    case "the desired relative link":
      return hardLink ? "link-elsewhere" : "desired-link";
    case "the desired link, spelt in other case":
      return hardLink || !caseInsensitive(platform) ? "link-elsewhere" : "desired-link";
    default:
      return "link-elsewhere";
  }
}

const cases = Object.keys(WANTED).flatMap((w) => Object.keys(FOUND).map((f) => [w, f] as const));

/** The systems the table runs on, and what each adds to every entry. */
const SYSTEMS: [System, string][] = [
  [THIS_MACHINE, ""],
  ...(process.platform === "win32"
    ? []
    : ([
        [windows(), ""],
        [windows({ privileged: false }), "fallback: auto, "],
        [MAC_MODEL, ""],
      ] as [System, string][])),
];

describe.each(SYSTEMS.map(([system, extra]) => [system.name, system, extra] as const))(
  "the decision table on disk, then apply, then plan is all skip, on %s",
  (_name, system, extra) => {
    it.each(cases)("wanting %s where there is %s", async (wanted, found) => {
      const { target, options } = WANTED[wanted]!;
      const manifest = `version: 1\nlinks:\n  - { link: ~/it, target: ${target}, ${options}${extra}onConflict: backup }\n`;
      const w = await makeWorld(manifest, {}, system);
      const existing = FOUND[found]!(`${w.dots}/${target}`);
      if (existing !== undefined) await writeTree(w.home, { it: existing });
      const before = w.snapshot();

      const plan = await w.plan();
      expect(plan.actions.map((a) => a.rule)).toEqual([row(wanted, found, system.platform)]);
      const first = await w.apply();
      expect(first.failed, first.actions.map((a) => a.error).join("; ")).toBe(0);
      const second = await w.plan();
      expect(second.actions.map((a) => `${a.op}:${a.reason}`)).toEqual(["skip:up-to-date"]);

      // Every file that was there before is still there, in place or in its backup.
      const after = w.snapshot();
      for (const [p, content] of Object.entries(before)) {
        if (!content.startsWith("file:")) continue;
        const backup = p.replace(/^home\/it/, "home/it.linkman-backup");
        expect([after[p], after[backup]], p).toContain(content);
      }
    });
  },
);

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
