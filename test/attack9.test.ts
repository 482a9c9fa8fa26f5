import { readFileSync, writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { onLinux } from "./helpers/systems.js";
import { makeWorld } from "./helpers/world.js";

const manifest = "version: 1\nlinks:\n  ~/.a: vim/vimrc\n  ~/.b: vim/vimrc\n  ~/.c: vim/vimrc\n";

/** A world applied, whose state file then gets a record added by hand, the `.a` record's link spelled `spell`. */
async function withRecordSpelled(spell: (link: string) => string) {
  const w = await makeWorld(manifest);
  expect((await w.cli("apply")).code).toBe(0);
  const state = JSON.parse(readFileSync(w.stateFile, "utf8")) as {
    links: { link: string }[];
  };
  const first = state.links[0]!;
  state.links.push({ ...first, link: spell(first.link) });
  writeFileSync(w.stateFile, JSON.stringify(state));
  return w;
}

describe.runIf(onLinux)("a hand-edited record that spells a listed link another way", () => {
  it.each([
    ["a doubled separator", (l: string) => l.replace(/\/([^/]*)$/, "//$1")],
    ["a `.` name", (l: string) => l.replace(/\/([^/]*)$/, "/./$1")],
    ["a trailing separator", (l: string) => `${l}/`],
  ])(
    "%s: is not a link the manifest no longer lists (prune keeps the link, status finds nothing stale)",
    async (_, spell) => {
      const w = await withRecordSpelled(spell);
      const before = w.snapshot();
      const status = await w.cli("status");
      expect(status.stdout).not.toMatch(/stale/);
      const prune = await w.cli("prune");
      expect(prune.stdout).not.toMatch(/removed +~/);
      expect(w.snapshot()["home/.a"]).toBe(before["home/.a"]);
    },
  );
});
