/*
 * The decision tables beside `decide`, row by row: adoption, removal, and an entry's state.
 * Each is a pure function of what was observed; these rows are their specification.
 */
import { describe, expect, it } from "vitest";
import type { Action, Found } from "../src/engine/action.js";
import { decideAdoption, type AdoptObservation, type AdoptSettings } from "../src/engine/adopt.js";
import { decide } from "../src/engine/decide.js";
import { decideRemoval, type RemovalObservation } from "../src/engine/removals.js";
import { stateOf } from "../src/engine/status.js";
import type { LinkKind } from "../src/manifest/manifest.js";
import type { DesiredLink } from "../src/resolve/desiredLink.js";
import type { LinkRecord } from "../src/state/state.js";
import { missing, seen, settings, symlinkTo, want as wantLink } from "./helpers/decisions.js";
import { onWindows } from "./helpers/systems.js";

const file = (ino = "7"): Found => ({ type: "file", dev: "1", ino, size: 3, mtimeMs: 0 });
const dir: Found = { type: "directory" };

/** ~/.vimrc wanting a target that does not exist yet (adopt's starting point). */
function want(kind: LinkKind = "symlink", extra: Partial<DesiredLink> = {}): DesiredLink {
  return wantLink(kind, {}, { targetType: "missing", ...extra });
}

const adoptSettings: AdoptSettings = {
  platform: "linux",
  roots: [
    { path: "/home/u", real: "/home/u" },
    { path: "/home/u/dots", real: "/home/u/dots" },
  ],
  force: false,
  repository: { path: "/home/u/dots", real: "/home/u/dots" },
};

function adoptSeen(found: Found, extra: Partial<AdoptObservation> = {}): AdoptObservation {
  return {
    found,
    targetFound: missing,
    linkReal: "/home/u/.vimrc",
    targetReal: "/home/u/dots/vim/vimrc",
    linkDev: "1",
    targetDev: "1",
    ...extra,
  };
}

const picked = (a: Action | undefined) => a && { op: a.op, rule: a.rule };

describe.skipIf(onWindows)("the adoption table", () => {
  it.each<[string, DesiredLink, AdoptObservation, boolean, ReturnType<typeof picked>]>([
    ["a file, no target → adopt", want(), adoptSeen(file()), false, { op: "adopt", rule: "adopt" }],
    [
      "a directory, no target → adopt",
      want(),
      adoptSeen(dir),
      false,
      { op: "adopt", rule: "adopt" },
    ],
    ["nothing there, not named → left out", want(), adoptSeen(missing), false, undefined],
    [
      "nothing there, named → skip",
      want(),
      adoptSeen(missing),
      true,
      { op: "skip", rule: "nothing-to-adopt" },
    ],
    ["a link there → left out", want(), adoptSeen(symlinkTo("/x")), false, undefined],
    [
      "the target exists, not named → skip",
      want(),
      adoptSeen(file(), { targetFound: file("8") }),
      false,
      { op: "skip", rule: "target-exists" },
    ],
    [
      "the target exists, named → conflict",
      want(),
      adoptSeen(file(), { targetFound: file("8") }),
      true,
      { op: "conflict", rule: "target-exists" },
    ],
    [
      "the link outside the roots → error",
      want("symlink", { link: "/etc/x" }),
      adoptSeen(file(), { linkReal: "/etc/x" }),
      false,
      { op: "error", rule: "adopt-outside" },
    ],
    [
      "the target outside the repository → error",
      want("symlink", { target: "/home/u/elsewhere/vimrc" }),
      adoptSeen(file(), { targetReal: "/home/u/elsewhere/vimrc" }),
      false,
      { op: "error", rule: "adopt-outside" },
    ],
    [
      "the target's directory leads out of the repository → error",
      want(),
      adoptSeen(file(), { targetReal: "/srv/vim/vimrc" }),
      false,
      { op: "error", rule: "adopt-outside" },
    ],
    [
      "a hard link for a directory → error",
      want("hardlink"),
      adoptSeen(dir),
      false,
      { op: "error", rule: "adopt-kind" },
    ],
    [
      "a junction for a file → error",
      want("junction"),
      adoptSeen(file()),
      false,
      { op: "error", rule: "adopt-kind" },
    ],
    [
      "a hard link across devices → error",
      want("hardlink"),
      adoptSeen(file(), { targetDev: "2" }),
      false,
      { op: "error", rule: "adopt-kind" },
    ],
    [
      "an entry skipped by `when`, named → skip",
      want("symlink", { skipped: { reason: "condition", why: "os is linux" } }),
      adoptSeen(file()),
      true,
      { op: "skip", rule: "condition" },
    ],
  ])("%s", (_name, desired, seen, named, expected) => {
    expect(picked(decideAdoption(desired, seen, adoptSettings, named))).toEqual(expected);
  });
});

function record(extra: Partial<LinkRecord> = {}): LinkRecord {
  return {
    link: "/home/u/.vimrc",
    kind: "symlink",
    target: "/home/u/dots/vim/vimrc",
    text: "/home/u/dots/vim/vimrc",
    dev: null,
    ino: null,
    previous: null,
    backup: null,
    createdAt: "2026-01-01T00:00:00.000Z",
    ...extra,
  };
}

const hard = (extra: Partial<LinkRecord> = {}) =>
  record({ kind: "hardlink", text: null, dev: "1", ino: "7", ...extra });
const sameTarget = { dev: "1", ino: "7", nlink: 2, real: "/home/u/dots/vim/vimrc" };
const removalSeen = (
  found: Found,
  target: RemovalObservation["target"] = undefined,
): RemovalObservation => ({ found, linkReal: "/home/u/.vimrc", target });

describe.skipIf(onWindows)("the removal table", () => {
  it.each<[string, LinkRecord, RemovalObservation, Partial<Action>]>([
    [
      "the symlink linkman left → remove",
      record(),
      removalSeen(symlinkTo("/home/u/dots/vim/vimrc")),
      { op: "remove", rule: "ours" },
    ],
    [
      "nothing there → forgotten",
      record(),
      removalSeen(missing),
      { op: "skip", rule: "already-gone" },
    ],
    [
      "a symlink elsewhere → left alone",
      record(),
      removalSeen(symlinkTo("/elsewhere")),
      { op: "skip", rule: "changed-since" },
    ],
    [
      "a file where a symlink was → left alone",
      record(),
      removalSeen(file()),
      { op: "skip", rule: "changed-since" },
    ],
    [
      "a hard link whose target is another name of it → remove",
      hard(),
      removalSeen(file(), sameTarget),
      { op: "remove", rule: "ours" },
    ],
    [
      "a hard link recorded without identity (a crash), still its target's other name → remove",
      hard({ dev: null, ino: null }),
      removalSeen(file(), sameTarget),
      { op: "remove", rule: "ours" },
    ],
    [
      "a hard link whose target got a new inode → kept: its last name",
      hard(),
      removalSeen(file(), { ...sameTarget, ino: "9" }),
      { op: "skip", rule: "last-name" },
    ],
    [
      "a hard link whose target is gone → kept: its last name",
      hard(),
      removalSeen(file(), undefined),
      { op: "skip", rule: "last-name" },
    ],
    [
      "a hard link whose file has no other name → kept",
      hard(),
      removalSeen(file(), { ...sameTarget, nlink: 1 }),
      { op: "skip", rule: "last-name" },
    ],
    [
      "a hard link path that leads, through a directory link, to the target itself → kept",
      hard(),
      { ...removalSeen(file(), sameTarget), linkReal: "/home/u/dots/vim/vimrc" },
      { op: "skip", rule: "last-name" },
    ],
    [
      "a hard link of another file than recorded, not its target's → kept",
      hard({ ino: "8" }),
      removalSeen(file(), { ...sameTarget, ino: "9" }),
      { op: "skip", rule: "last-name" },
    ],
  ])("%s", (_name, rec, seen, expected) => {
    expect(decideRemoval(rec, seen, "none", "linux")).toMatchObject(expected);
  });

  it.each([
    ["none", null],
    ["backups", { backup: "/home/u/.vimrc.linkman-backup", previous: null }],
    ["all", { backup: "/home/u/.vimrc.linkman-backup", previous: "/old" }],
  ] as const)("restores %s: %j", (choice, restore) => {
    const rec = record({ backup: "/home/u/.vimrc.linkman-backup", previous: "/old" });
    const action = decideRemoval(rec, removalSeen(symlinkTo(rec.text ?? "")), choice, "linux");
    expect(action.op === "remove" && action.restore).toEqual(restore ?? null);
  });
});

describe.skipIf(onWindows)("an entry's state, read off its action", () => {
  const desired = want("symlink", { targetType: "file" });
  it.each([
    ["ok", seen(symlinkTo("/home/u/dots/vim/vimrc"))],
    ["missing", seen(missing)],
    ["wrong", seen(symlinkTo("/elsewhere"))],
    ["conflict", seen(file())],
    ["broken", seen(missing, { target: { type: "missing" } })],
    ["error", seen(missing, { linkReal: "/etc/.vimrc" })],
  ] as const)("%s", (state, observed) => {
    expect(stateOf(decide(desired, observed, settings))).toBe(state);
  });
  it("skipped, for an entry whose `when` does not hold", () => {
    const skipped = want("symlink", { skipped: { reason: "condition", why: "os is linux" } });
    expect(stateOf(decide(skipped, seen(missing), settings))).toBe("skipped");
  });
});
