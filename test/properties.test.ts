import { link, mkdir, symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Tree } from "./helpers/tree.js";
import { onWindows, SYSTEMS, windows, type System } from "./helpers/systems.js";
import { expectNothingLost, makeWorld, type World } from "./helpers/world.js";

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

/** Where a file is now if linkman moved it to a backup: its path with the backup suffix taken off. */

/** Every regular file below home and in the repository, and everything outside, as a snapshot. */
const files = (w: World) => Object.entries(w.snapshot()).filter(([, v]) => v.startsWith("file:"));

const runs = Number(process.env.LINKMAN_PROPERTY_RUNS ?? 200);
const seed = process.env.LINKMAN_PROPERTY_SEED
  ? Number(process.env.LINKMAN_PROPERTY_SEED)
  : undefined;

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
        { numRuns: runs, ...(seed !== undefined ? { seed } : {}) },
      );
    },
  );
});
