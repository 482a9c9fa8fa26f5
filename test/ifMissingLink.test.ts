import { readlinkSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { Found, Observation } from "../src/engine/action.js";
import { decide } from "../src/engine/decide.js";
import type { EntryOptions, LinkKind } from "../src/manifest/manifest.js";
import type { DesiredLink } from "../src/resolve/desiredLink.js";
import {
  missing,
  seen as observed,
  settings,
  symlinkTo,
  want as wantLink,
} from "./helpers/decisions.js";
import { onWindows } from "./helpers/systems.js";
import { makeWorld, ops } from "./helpers/world.js";

/** ~/.vimrc wanting a target that does not exist yet, with `ifMissing: link`. */
const want = (kind: LinkKind = "symlink", options: Partial<EntryOptions> = {}): DesiredLink =>
  wantLink(
    kind,
    { ifMissing: "link", ...options },
    { target: "/home/u/dots/vimrc", targetType: "missing" },
  );
const seen = (found: Found, extra: Partial<Observation> = {}): Observation =>
  observed(found, { target: { type: "missing" }, ...extra });
const nothing = missing;

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
