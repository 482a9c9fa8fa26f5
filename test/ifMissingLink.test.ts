import { readlinkSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { Found, Observation } from "../src/engine/action.js";
import { decide, type DecideSettings } from "../src/engine/decide.js";
import { DEFAULT_OPTIONS, type EntryOptions, type LinkKind } from "../src/manifest/manifest.js";
import type { DesiredLink } from "../src/resolve/desiredLink.js";
import { onWindows } from "./helpers/systems.js";
import { makeWorld, ops } from "./helpers/world.js";

const settings: DecideSettings = {
  platform: "linux",
  roots: [{ path: "/home/u", real: "/home/u" }],
  force: false,
};

const want = (kind: LinkKind = "symlink", options: Partial<EntryOptions> = {}): DesiredLink => ({
  link: "/home/u/.vimrc",
  target: "/home/u/dots/vimrc",
  kind,
  options: { ...DEFAULT_OPTIONS, kind, ifMissing: "link", ...options },
  targetType: "missing",
  place: { file: "/home/u/dots/links.yaml", line: 3, column: 5, path: "links[0]" },
});

const seen = (found: Found, extra: Partial<Observation> = {}): Observation => ({
  found,
  target: { type: "missing" },
  linkReal: "/home/u/.vimrc",
  parentExists: true,
  parentDev: "1",
  sameBytes: false,
  freeBackup: "/home/u/.vimrc.linkman-backup",
  ...extra,
});

const nothing: Found = { type: "missing" };
const symlinkTo = (text: string): Found => ({ type: "symlink", linkTarget: text });

describe.skipIf(onWindows)("ifMissing: link, where the target does not exist yet", () => {
  it.each<[string, DesiredLink, Observation, Partial<ReturnType<typeof decide>>]>([
    [
      "nothing there → create the symlink anyway",
      want(),
      seen(nothing),
      { op: "create", recipe: { text: "/home/u/dots/vimrc", type: "file" } },
    ],
    [
      "relative → create with the relative text",
      want("symlink", { relative: true }),
      seen(nothing),
      { op: "create", recipe: { text: "dots/vimrc", type: "file" } },
    ],
    [
      "the same dangling symlink → skip up-to-date",
      want(),
      seen(symlinkTo("dots/vimrc")),
      { op: "skip", reason: "up-to-date" },
    ],
    ["a symlink elsewhere → replace", want(), seen(symlinkTo("/old")), { op: "replace" }],
    [
      "a file in the way → the conflict policy decides",
      want(),
      seen({ type: "file", dev: "1", ino: "5", size: 1, mtimeMs: 0 }),
      { op: "conflict" },
    ],
    [
      "a missing parent with mkdirs false → error",
      want("symlink", { mkdirs: false }),
      seen(nothing, { parentExists: false }),
      { op: "error", rule: "no-parent" },
    ],
    [
      "a hard link cannot point at a missing target → error saying so",
      want("hardlink"),
      seen(nothing),
      { op: "error", rule: "missing-target", message: expect.stringContaining("only a symlink") },
    ],
    ["a junction cannot either", want("junction"), seen(nothing), { op: "error" }],
  ])("%s", (_name, desired, observed, expected) => {
    expect(decide(desired, observed, settings)).toMatchObject(expected);
  });

  it("links a target that comes later, and the next plan is all skip", async () => {
    const w = await makeWorld(
      "version: 1\nlinks:\n  - { link: ~/.later, target: later, ifMissing: link }\n",
    );
    const applied = await w.apply();
    expect([applied.refused, applied.failed]).toEqual([false, 0]);
    expect(readlinkSync(path.join(w.home, ".later"))).toBe(path.join(w.dots, "later"));
    expect(ops(await w.plan(), w.home)).toEqual(["skip(up-to-date) .later"]);
  });
});
