import { existsSync, readFileSync } from "node:fs";
import { link, mkdir, rm, symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Tree } from "./helpers/tree.js";
import { onWindows, SYSTEMS, windows, type System } from "./helpers/systems.js";
import { expectNothingLost, makeWorld, snapshot, type World } from "./helpers/world.js";
import {
  checkoutFile,
  checkoutRemoves,
  expectKept,
  runSession,
  worldFiles,
  type Command,
} from "./helpers/sessions.js";
import { apply } from "../src/session/apply.js";
import type { AppliedAction } from "../src/engine/action.js";
import type { FileSystem } from "../src/fs/fileSystem.js";

/** What a link path holds before applying. */
const STATES = ["missing", "file", "dir", "elsewhere", "dangling", "correct", "sameBytes"] as const;
type Holding = (typeof STATES)[number];

interface GeneratedEntry {
  kind: "symlink" | "hardlink" | "junction";
  target: "file" | "dir" | "missing";
  onConflict: "fail" | "skip" | "backup";
  ifMissing: "error" | "skip";
  relative: boolean;
  when: "none" | "holds" | "fails";
  holding: Holding;
  nested: boolean;
  bytes: string;
}

const entryArb: fc.Arbitrary<GeneratedEntry> = fc.record({
  kind: fc.constantFrom("symlink", "hardlink", "junction"),
  target: fc.constantFrom("file", "dir", "missing"),
  onConflict: fc.constantFrom("fail", "skip", "backup"),
  ifMissing: fc.constantFrom("error", "skip"),
  relative: fc.boolean(),
  when: fc.constantFrom("none", "holds", "fails"),
  holding: fc.constantFrom(...STATES),
  nested: fc.boolean(),
  bytes: fc.string({ maxLength: 40 }),
});

const worldArb = fc.record({
  entries: fc.array(entryArb, { minLength: 1, maxLength: 6 }),
  glob: fc.option(fc.array(fc.constantFrom(...STATES), { minLength: 1, maxLength: 3 }), {
    nil: undefined,
  }),
  skipConflicts: fc.boolean(),
});

/** Puts `holding` at a link path, given the target it should link to. */
async function place(
  at: string,
  holding: Holding,
  target: string,
  targetBytes: string | undefined,
  bytes: string,
  kind: string,
) {
  await mkdir(path.dirname(at), { recursive: true });
  switch (holding) {
    case "missing":
      return;
    case "file":
      return writeFile(at, `user:${bytes}`);
    case "sameBytes":
      return writeFile(at, targetBytes ?? `user:${bytes}`);
    case "dir":
      await mkdir(at);
      return writeFile(path.join(at, "inner"), `inner:${bytes}`);
    case "elsewhere":
      return symlink("/somewhere/else", at);
    case "dangling":
      return symlink("nothing-here", at);
    case "correct":
      return kind === "hardlink" && targetBytes !== undefined
        ? link(target, at)
        : symlink(target, at);
  }
}

/** Every regular file below home and in the repository, and everything outside, as a snapshot. */
const files = (w: World) => Object.entries(w.snapshot()).filter(([, v]) => v.startsWith("file:"));

const runs = Number(process.env.LINKMAN_PROPERTY_RUNS ?? 80);
/** Worlds that run several sessions each are slower: fewer of them by default. */
const sequenceRuns = Number(process.env.LINKMAN_PROPERTY_RUNS ?? 40);
const seed = process.env.LINKMAN_PROPERTY_SEED
  ? Number(process.env.LINKMAN_PROPERTY_SEED)
  : undefined;

/**
 * The worlds of one generated run, removed right after it: left to the test's own cleanup,
 * hundreds of them take it past its time limit.
 */
const worldRoots: string[] = [];
const removeWorlds = fc.afterEach(async () => {
  for (const root of worldRoots.splice(0)) await rm(root, { recursive: true, force: true });
});

/** Where the properties are checked; without the symlink privilege every entry has fallback: auto. */
const WORLDS: [string, System, string][] = [
  ...SYSTEMS.map((s): [string, System, string] => [s.name, s, ""]),
  ...(onWindows
    ? []
    : [
        [
          "the Windows model without the symlink privilege",
          windows({ privileged: false }),
          "defaults: { fallback: auto }\n",
        ] as [string, System, string],
      ]),
];

describe.each(WORLDS)("on %s", (_name, system, defaults) => {
  it(
    `never loses a byte and converges, in ${runs} generated worlds`,
    { timeout: 300_000 },
    async () => {
      await fc.assert(
        fc.asyncProperty(worldArb, async ({ entries, glob, skipConflicts }) => {
          const dots: Tree = {};
          const lines: string[] = [];
          entries.forEach((e, i) => {
            const target =
              e.target === "file" ? `t${i}` : e.target === "dir" ? `d${i}` : `missing${i}`;
            if (e.target === "file") dots[target] = `target:${i}:${e.bytes}`;
            if (e.target === "dir") dots[target] = { f: `target:${i}:${e.bytes}` };
            const when =
              e.when === "holds"
                ? `, when: { os: ${system.platform} }`
                : e.when === "fails"
                  ? `, when: { os: ${system.platform === "aix" ? "sunos" : "aix"} }`
                  : "";
            const relative = e.kind === "symlink" && e.relative ? ", relative: true" : "";
            lines.push(
              `  - { link: ~/${e.nested ? "sub/" : ""}p${i}, target: ${target}, kind: ${e.kind}, onConflict: ${e.onConflict}, ifMissing: ${e.ifMissing}${relative}${when} }`,
            );
          });
          if (glob) {
            dots.globsrc = Object.fromEntries(glob.map((_, j) => [`g${j}`, `glob:${j}`]));
            lines.push("  - { link: ~/g, target: globsrc/**, onConflict: backup }");
          }
          const w = await makeWorld(
            `version: 1\n${defaults}links:\n${lines.join("\n")}\n`,
            { dots, root: { outside: { keep: "outside" } } },
            system,
          );
          worldRoots.push(w.root);
          for (const [i, e] of entries.entries()) {
            const target = path.join(
              w.dots,
              e.target === "file" ? `t${i}` : e.target === "dir" ? `d${i}` : `missing${i}`,
            );
            const bytes = e.target === "file" ? `target:${i}:${e.bytes}` : undefined;
            await place(
              path.join(w.home, e.nested ? "sub" : "", `p${i}`),
              e.holding,
              target,
              bytes,
              e.bytes,
              e.kind,
            );
          }
          for (const [j, holding] of (glob ?? []).entries()) {
            await place(
              path.join(w.home, "g", `g${j}`),
              holding,
              path.join(w.dots, "globsrc", `g${j}`),
              `glob:${j}`,
              `g${j}`,
              "symlink",
            );
          }

          const before = files(w);
          const untouched = () =>
            Object.entries(w.snapshot()).filter(([p]) => !p.startsWith("home"));
          const outsideBefore = untouched();
          const first = await w.plan();
          const blocked = first.summary.conflict + first.summary.error > 0;
          const applied = await w.apply({ skipConflicts });
          const second = await w.plan();

          // (a) Converges: all skip, or exactly the same conflicts and errors; a refused plan changed nothing.
          if (blocked && !skipConflicts) {
            expect(applied.refused).toBe(true);
            expect(files(w)).toEqual(before);
          } else {
            expect(applied.failed, applied.actions.map((a) => a.error).join("; ")).toBe(0);
            second.actions.forEach((a, i) => {
              const was = first.actions[i];
              if (a.op !== "skip") expect([a.op, a.link]).toEqual([was?.op, was?.link]);
              expect(["skip", "conflict", "error"]).toContain(a.op);
            });
          }
          // (b) Every byte that was there is still on disk, in place or in a backup.
          expectNothingLost(before, files(w));
          // (c) Nothing outside home changed: not the repository, not the rest of the disk.
          expect(untouched()).toEqual(outsideBefore);
        }),
        { numRuns: runs, plugins: [removeWorlds], ...(seed !== undefined ? { seed } : {}) },
      );
    },
  );
});

/*
 * Across runs: apply, then the world changes as it does between two runs (git checks out
 * new files or removes them, the manifest changes an entry's kind or drops it, the user
 * edits a link path), then one to three of apply, prune, unlink and unlink --restore run
 * (so a prune or unlink also meets what an apply after the change left), then an apply.
 */

/** What happens to an entry between the two runs. */
const CHANGES = [
  "none",
  /** git checks out new bytes for the target (a new inode). */
  "checkout",
  /** git checks out the same bytes for the target (a new inode all the same). */
  "checkoutSame",
  /** git removes the target. */
  "remove",
  /** The manifest swaps the kind: symlink ↔ hardlink for a file, symlink ↔ junction for a directory. */
  "kind",
  /** The user puts a real file with new bytes at the link path. */
  "userFile",
  /** The user points the link path somewhere else. */
  "retarget",
  /** The manifest no longer lists the entry. */
  "drop",
] as const;

const changingEntryArb = fc.record({
  dir: fc.boolean(),
  /** The first run's kind is the other one: hardlink for a file, junction for a directory. */
  other: fc.boolean(),
  onConflict: fc.oneof(
    { arbitrary: fc.constant("backup" as const), weight: 3 },
    fc.constant("fail" as const),
    fc.constant("skip" as const),
  ),
  ifMissing: fc.constantFrom("error", "skip"),
  holding: fc.constantFrom("missing", "file", "dir", "elsewhere"),
  nested: fc.boolean(),
  change: fc.constantFrom(...CHANGES),
  bytes: fc.string({ maxLength: 20 }),
});
type ChangingEntry = typeof changingEntryArb extends fc.Arbitrary<infer T> ? T : never;

const changingGlobArb = fc.record({
  /** The first run links the directory whole; otherwise one hard link per file. */
  dirLink: fc.boolean(),
  /** The manifest swaps the two between the runs. */
  flip: fc.boolean(),
  files: fc.array(fc.constantFrom("none", "checkout", "remove", "userFile"), {
    minLength: 1,
    maxLength: 3,
  }),
  /** git adds a file to the globbed directory. */
  added: fc.boolean(),
});
type ChangingGlob = typeof changingGlobArb extends fc.Arbitrary<infer T> ? T : never;

const sequenceArb = fc.record({
  entries: fc.array(changingEntryArb, { minLength: 1, maxLength: 5 }),
  glob: fc.option(changingGlobArb, { nil: undefined }),
  /** The runs after the changes (a final apply follows them). */
  commands: fc.array(fc.constantFrom<Command>("apply", "prune", "unlink", "unlink --restore"), {
    minLength: 1,
    maxLength: 3,
  }),
  skipConflicts: fc.boolean(),
});

/** The manifest of the first or the second run. */
function changingManifest(entries: ChangingEntry[], glob: ChangingGlob | undefined, run: 1 | 2) {
  const lines = entries.flatMap((e, i) => {
    if (run === 2 && e.change === "drop") return [];
    const other = run === 2 && e.change === "kind" ? !e.other : e.other;
    const kind = other ? (e.dir ? "junction" : "hardlink") : "symlink";
    return [
      `  - { link: ~/${e.nested ? "sub/" : ""}p${i}, target: ${e.dir ? "d" : "t"}${i}, kind: ${kind}, onConflict: ${e.onConflict}, ifMissing: ${e.ifMissing} }`,
    ];
  });
  if (glob) {
    const dirLink = run === 2 && glob.flip ? !glob.dirLink : glob.dirLink;
    lines.push(
      dirLink
        ? "  - { link: ~/g, target: globsrc, onConflict: backup }"
        : "  - { link: ~/g, target: globsrc/**, kind: hardlink, onConflict: backup }",
    );
  }
  return lines.length > 0 ? `version: 1\nlinks:\n${lines.join("\n")}\n` : "version: 1\nlinks: []\n";
}

/** What a user does at a link path, through `fs` (a model remembers the junctions it made): removes what is there. */
async function userRemoves(fs: FileSystem, at: string) {
  const found = await fs.lstatIfExists(at);
  if (!found || found.type === "directory") return found === undefined;
  // A directory link is removed with rmdir on Windows, with unlink elsewhere.
  await fs.unlink(at).catch(() => fs.rmdir(at));
  return true;
}

/** The user saves a real file at a link path (a directory in the way stays). */
async function userWrites(fs: FileSystem, at: string, bytes: string) {
  if (!existsSync(path.dirname(at))) return;
  if (await userRemoves(fs, at)) await fs.writeNewFile(at, bytes);
}

/** Checks that a plan made after a successful apply is all skip, but for the conflicts and errors that apply skipped too. */
function expectConverged(applied: readonly AppliedAction[], now: readonly AppliedAction[]) {
  const skipped = new Set(
    applied.filter((a) => a.op === "conflict" || a.op === "error").map((a) => `${a.op} ${a.link}`),
  );
  const unsettled = now.filter((a) => a.op !== "skip" && !skipped.has(`${a.op} ${a.link}`));
  expect(unsettled.map((a) => `${a.op} ${a.link}: ${a.message ?? ""}`)).toEqual([]);
}

describe.each(SYSTEMS.map((s) => [s.name, s] as const))("across runs on %s", (_name, system) => {
  it(
    `never loses a byte, never deletes a repository file, and converges, in ${sequenceRuns} generated worlds that change between runs`,
    { timeout: 300_000 },
    async () => {
      await fc.assert(
        fc.asyncProperty(sequenceArb, async ({ entries, glob, commands, skipConflicts }) => {
          const dots: Tree = {};
          entries.forEach((e, i) => {
            if (e.dir) dots[`d${i}`] = { f: `target:${i}:${e.bytes}` };
            else dots[`t${i}`] = `target:${i}:${e.bytes}`;
          });
          if (glob)
            dots.globsrc = Object.fromEntries(glob.files.map((_, j) => [`g${j}`, `glob:${j}`]));
          const w = await makeWorld(
            changingManifest(entries, glob, 1),
            { dots, root: { outside: { keep: "outside" } } },
            system,
          );
          worldRoots.push(w.root);
          const outside = path.join(w.root, "outside", "keep");
          const linkOf = (i: number) => path.join(w.home, entries[i]?.nested ? "sub" : "", `p${i}`);
          const targetOf = (i: number) => path.join(w.dots, `${entries[i]?.dir ? "d" : "t"}${i}`);
          for (const [i, e] of entries.entries()) {
            const at = linkOf(i);
            await mkdir(path.dirname(at), { recursive: true });
            if (e.holding === "file") await writeFile(at, `user:${i}:${e.bytes}`);
            if (e.holding === "dir") {
              await mkdir(at);
              await writeFile(path.join(at, "inner"), `inner:${i}:${e.bytes}`);
            }
            if (e.holding === "elsewhere") await symlink(outside, at);
          }

          // The first run applies what it can.
          const firstBefore = worldFiles(w);
          const first = await runSession(w, "apply", { skipConflicts: true });
          expect(first.failed, "the first apply").toBe(0);
          expectKept(firstBefore, worldFiles(w), "the first apply");

          // Between the runs: the manifest, the repository and the link paths change.
          await writeFile(w.manifest, changingManifest(entries, glob, 2));
          for (const [i, e] of entries.entries()) {
            const target = targetOf(i);
            const file = e.dir ? path.join(target, "f") : target;
            if (e.change === "checkout") await checkoutFile(file, `checkout:${i}:${e.bytes}`);
            if (e.change === "checkoutSame") await checkoutFile(file, readFileSync(file, "utf8"));
            if (e.change === "remove") await checkoutRemoves(target);
            if (e.change === "userFile")
              await userWrites(w.fs, linkOf(i), `edited:${i}:${e.bytes}`);
            if (e.change === "retarget" && existsSync(path.dirname(linkOf(i)))) {
              if (await userRemoves(w.fs, linkOf(i)))
                await w.fs.symlink(outside, linkOf(i), "file");
            }
          }
          for (const [j, change] of (glob?.files ?? []).entries()) {
            const file = path.join(w.dots, "globsrc", `g${j}`);
            if (change === "checkout") await checkoutFile(file, `checkout:glob:${j}`);
            if (change === "remove") await checkoutRemoves(file);
            if (change === "userFile") {
              await userWrites(w.fs, path.join(w.home, "g", `g${j}`), `edited:glob:${j}`);
            }
          }
          if (glob?.added) await writeFile(path.join(w.dots, "globsrc", "added"), "added");

          // The later runs, then an apply: each loses nothing, leaves the repository as it
          // is, and an apply that succeeds converges.
          const before = worldFiles(w);
          const repository = snapshot(w.dots);
          const done: string[] = [];
          for (const command of [...commands, "apply" as const]) {
            done.push(command);
            const ran = await runSession(w, command, { skipConflicts });
            const after = done.join(", then ");
            const failures = ran.actions.filter((a) => a.result === "failed");
            expect(ran.failed, `${after}: ${JSON.stringify(failures)}`).toBe(0);
            expectKept(before, worldFiles(w), after);
            expect(snapshot(w.dots), `${after} changed the repository`).toEqual(repository);
            if (command === "apply" && ran.refused === null) {
              expectConverged(ran.actions, await planned(w));
            }
          }
        }),
        {
          numRuns: sequenceRuns,
          plugins: [removeWorlds],
          ...(seed !== undefined ? { seed } : {}),
        },
      );
    },
  );
});

/** The plan `apply` would carry out now (a dry run of the session). */
async function planned(w: World): Promise<AppliedAction[]> {
  const result = await apply(w.context(), { dryRun: true });
  if (!result.ok) throw new Error(result.errors.map((e) => e.message).join("\n"));
  return result.value.actions;
}
