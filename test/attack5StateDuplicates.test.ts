import { readFileSync, writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { makeWorld } from "./helpers/world.js";

const manifest = "version: 1\nlinks:\n  ~/.a: vim/vimrc\n  ~/.b: vim/vimrc\n  ~/.c: vim/vimrc\n";

/** A world applied, whose state file then gets `edit` done to its records by hand. */
async function handEdited(edit: (links: unknown[]) => unknown[]) {
  const w = await makeWorld(manifest);
  expect((await w.cli("apply")).code).toBe(0);
  const state = JSON.parse(readFileSync(w.stateFile, "utf8")) as { links: unknown[] };
  state.links = edit(state.links);
  writeFileSync(w.stateFile, JSON.stringify(state));
  return w;
}

describe("a hand-edited state with two records of one link", () => {
  it.each([
    ["next to each other", (l: unknown[]) => [l[0], l[0], l[1], l[2]]],
    ["apart, out of order", (l: unknown[]) => [l[2], l[0], l[1], l[2]]],
  ])(
    "unlinks each link once when the records are %s, and says the second was ignored",
    async (_, edit) => {
      const w = await handEdited(edit);
      const run = await w.cli("unlink");
      expect(run.stdout).not.toMatch(/! changed/);
      expect(run.stdout).toContain("3 removed, 0 unchanged, 0 failed");
      expect(run.code).toBe(0);
      expect(run.stderr).toMatch(/record of .* was ignored \(a second record of the same link\)/);
      const home = Object.keys(w.snapshot()).filter((p) => p.startsWith("home/."));
      expect(home).toEqual([]);
    },
  );
});
