import { describe, expect, it } from "vitest";
import { applyCommand } from "../src/cli/commands/apply.js";
import { NodeFileSystem } from "../src/fs/nodeFileSystem.js";
import { recording } from "../src/fs/wrappers.js";
import type { Tree } from "./helpers/tree.js";
import { commandOutput, makeWorld, type World } from "./helpers/world.js";

/** Filesystem calls an apply makes, counted through the recording FileSystem. */
async function callsOfApply(w: World): Promise<number> {
  const fs = recording(new NodeFileSystem());
  expect(await applyCommand(commandOutput(w, { quiet: true }, { fs }).out)).toBe(0);
  return fs.calls.length;
}

/** A package of n files in 5 directories, linked by one glob or by n explicit entries. */
async function world(n: number, form: "glob" | "explicit"): Promise<World> {
  const pkg: Tree = {};
  const entries: string[] = [];
  for (let i = 0; i < n; i++) {
    const dir = `d${i % 5}`;
    pkg[dir] ??= {};
    (pkg[dir] as Tree)[`f${i}`] = `${i}`;
    entries.push(`  "~/${dir}/f${i}": pkg/${dir}/f${i}`);
  }
  const manifest =
    form === "glob"
      ? "version: 1\nlinks:\n  - { link: ~/, target: pkg/** }\n"
      : `version: 1\nlinks:\n${entries.join("\n")}\n`;
  return makeWorld(manifest, { dots: { pkg } });
}

/** The calls per entry, without the fixed cost of a run: the difference between two sizes. */
async function perEntry(form: "glob" | "explicit") {
  const [small, large] = [await world(50, form), await world(150, form)];
  // The first apply of each world is fresh; the second finds every link in place.
  const fresh = ((await callsOfApply(large)) - (await callsOfApply(small))) / 100;
  const noop = ((await callsOfApply(large)) - (await callsOfApply(small))) / 100;
  return { fresh, noop };
}

describe("filesystem calls per entry (a regression guard, not a timing)", () => {
  // glob: right before the write, realpath of the link's directory (the roots check, never
  // cached: SPEC rule 8), then symlink (fresh): the plan makes no call for a link whose
  // directory does not exist yet (an lstat each before); on a no-op, readlink alone, since
  // the state says a link is there. explicit: the same, since the targets' types come from
  // one listing of their directory once it holds more than a few (a stat each before).
  // One more call per entry is a regression: make it pay for itself.
  it.each([
    ["glob", 2, 1],
    ["explicit", 2, 1],
  ] as const)(
    "%s: at most %i calls per entry for a fresh apply and %i for a no-op",
    async (form, freshBound, noopBound) => {
      const { fresh, noop } = await perEntry(form);
      expect(fresh).toBeLessThanOrEqual(freshBound);
      expect(noop).toBeLessThanOrEqual(noopBound);
    },
  );
});
