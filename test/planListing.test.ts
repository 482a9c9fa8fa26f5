import { readFileSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Found, Plan } from "../src/engine/action.js";
import { applyPlan } from "../src/engine/apply.js";
import { Observer } from "../src/engine/observe.js";
import { errorCode, type FileSystem } from "../src/fs/fileSystem.js";
import { NodeFileSystem } from "../src/fs/nodeFileSystem.js";
import { failing, recording } from "../src/fs/wrappers.js";
import { onLinux } from "./helpers/systems.js";
import type { Tree } from "./helpers/tree.js";
import { makeWorld, type World } from "./helpers/world.js";
import { macModel } from "./helpers/windowsModel.js";

/** A manifest linking `~/DIR/NAME` to `pkg/NAME` for each name of each directory. */
function manifest(dirs: Record<string, readonly string[]>): string {
  const lines = Object.entries(dirs).flatMap(([dir, names]) =>
    names.map((n) => `  "~/${dir}${dir ? "/" : ""}${n}": pkg/${n}`),
  );
  return `version: 1\nlinks:\n${lines.join("\n")}\n`;
}

/** Files `f0` … `f{n-1}` in the repository's `pkg`. */
function pkg(n: number): Tree {
  return { pkg: Object.fromEntries(Array.from({ length: n }, (_, i) => [`f${i}`, `${i}`])) };
}

const names = (n: number) => Array.from({ length: n }, (_, i) => `f${i}`);

/** The calls the plan makes, by operation, through a recording filesystem. */
async function planCalls(w: World, platform = w.platform, fs: FileSystem = w.fs) {
  const recorded = recording(fs);
  const plan = await w.plan({ fs: recorded, platform });
  const paths = (op: string) =>
    recorded.calls.filter((c) => c.operation === op).map((c) => String(c.args[0]));
  return { plan, paths };
}

/** What an Observer's lstat-per-link `found` says for each action's link, or why it cannot look. */
async function lookOneByOne(plan: Plan, fs: FileSystem, platform: string) {
  const observer = new Observer(fs, platform);
  return Promise.all(
    plan.actions.map((a) =>
      observer
        .found(a.link, false, false)
        .catch(
          (error: unknown) =>
            `cannot look at ${(error as { path: string }).path}: ${errorCode(error)}`,
        ),
    ),
  );
}

/** The plan's found (or the cannot-look error's message) for each action. */
function foundOf(plan: Plan): (Found | string | null)[] {
  return plan.actions.map((a) =>
    a.op === "error" && a.rule === "cannot-look" ? a.message : a.found,
  );
}

describe.skipIf(!onLinux)("the plan's look at each link path", () => {
  it("makes no call for a link whose directory does not exist", async () => {
    const w = await makeWorld(manifest({ "new/deeper": names(40), other: names(3) }), {
      dots: pkg(40),
    });
    const { plan, paths } = await planCalls(w);
    expect(plan.summary.create).toBe(43);
    expect(paths("lstatIfExists").filter((p) => p.startsWith(w.home))).toEqual([]);
  });

  it("lists a directory holding many of the plan's links once, instead of an lstat each", async () => {
    const home: Tree = { f3: "mine", f7: { symlink: "/elsewhere" }, unrelated: "x" };
    const w = await makeWorld(manifest({ "": names(40) }), { home, dots: pkg(40) });
    const { plan, paths } = await planCalls(w);
    expect(paths("readdir").filter((p) => p === w.home)).toHaveLength(1);
    // Only the names the listing holds are looked at, a symlink read at once, found as before.
    const looked = paths("lstatIfExists").filter((p) => /\/f\d+$/.test(p));
    expect(looked).toEqual([path.join(w.home, "f3")]);
    expect(paths("readlink")).toEqual([path.join(w.home, "f7")]);
    expect(plan.summary).toMatchObject({ create: 38, replace: 1, conflict: 1 });
  });

  it("looks at each link by itself where the directory holds few of them", async () => {
    const w = await makeWorld(manifest({ "": names(10) }), { dots: pkg(10) });
    const { paths } = await planCalls(w);
    expect(paths("readdir").filter((p) => p === w.home)).toEqual([]);
    expect(paths("lstatIfExists").filter((p) => path.dirname(p) === w.home)).toHaveLength(10);
  });

  it("does not list a directory of many other files for a few dozen links", async () => {
    const unrelated = Object.fromEntries(
      Array.from({ length: 600 }, (_, i) => [`unrelated-${i}`, ""]),
    );
    const w = await makeWorld(manifest({ "": names(40) }), { home: unrelated, dots: pkg(40) });
    const { paths } = await planCalls(w);
    expect(paths("readdir").filter((p) => p === w.home)).toEqual([]);
    expect(paths("lstatIfExists").filter((p) => path.dirname(p) === w.home)).toHaveLength(40);
  });

  it("gives up a listing past eight names a link, where the directory's size does not tell (overlayfs)", async () => {
    const unrelated = Object.fromEntries(
      Array.from({ length: 400 }, (_, i) => [`unrelated-${i}`, ""]),
    );
    const w = await makeWorld(manifest({ "": names(40) }), {
      home: { ...unrelated, f3: "mine" },
      dots: pkg(40),
    });
    // An overlayfs home reports its upper layer's size alone: small, whatever it holds.
    const small: FileSystem = Object.create(w.fs) as FileSystem;
    const smallSize = async (p: string) => {
      const stat = await w.fs.statIfExists(p);
      return stat && p === w.home ? { ...stat, size: 40 } : stat;
    };
    small.statIfExists = smallSize;
    small.lstatIfExists = async (p) => (p === w.home ? smallSize(p) : w.fs.lstatIfExists(p));
    const recorded = recording(small);
    const plan = await w.plan({ fs: recorded, platform: "linux" });
    const listings = recorded.calls.filter(
      (c) => c.operation === "readdir" && c.args[0] === w.home,
    );
    expect(listings.map((c) => c.args[1])).toEqual([320]);
    const looked = recorded.calls.filter(
      (c) => c.operation === "lstatIfExists" && /\/f\d+$/.test(String(c.args[0])),
    );
    expect(looked).toHaveLength(40);
    expect(plan.summary).toMatchObject({ create: 39, conflict: 1 });
  });

  it.each(["darwin", "win32"])(
    "on %s, where names compare ignoring case, looks at each link by itself",
    async (platform) => {
      const w = await makeWorld(manifest({ "": names(40) }), {
        home: { F5: "mine" },
        dots: pkg(40),
      });
      const { plan, paths } = await planCalls(w, platform, macModel(w.fs));
      expect(paths("readdir").filter((p) => p === w.home)).toEqual([]);
      expect(plan.actions.find((a) => a.link === path.join(w.home, "f5"))?.found.type).toBe("file");
    },
  );

  it("where a Linux directory folds case, plans a create that apply reports as a conflict, and keeps the file", async () => {
    // The mac model's case-insensitive lookups stand for ext4's casefold: the listing has F5,
    // the link is f5, and symlink(2) fails with EEXIST on the file that is there.
    const w = await makeWorld(manifest({ "": names(40) }), { home: { F5: "mine" }, dots: pkg(40) });
    const fs = macModel(w.fs);
    const plan = await w.plan({ fs, platform: "linux" });
    const f5 = path.join(w.home, "f5");
    expect(plan.actions.find((a) => a.link === f5)?.op).toBe("create");
    const result = await applyPlan(plan, { fs, platform: "linux", roots: await w.roots() });
    expect(result.actions.find((a) => a.link === f5)).toMatchObject({
      result: "conflict",
      error: expect.stringContaining("a file appeared there since the plan was made"),
    });
    expect(readFileSync(path.join(w.home, "F5"), "utf8")).toBe("mine");
    expect(result.actions.filter((a) => a.result === "done")).toHaveLength(39);
  });

  it("reports a directory it may read but not search as each link's lstat would", async () => {
    const w = await makeWorld(manifest({ shut: names(40) }), {
      home: { shut: { f1: "mine" } },
      dots: pkg(40),
    });
    // Read permission without search permission: the listing works, every look inside fails.
    const shut = path.join(w.home, "shut");
    const fs = failing(w.fs, [
      { operation: "lstatIfExists", path: new RegExp(`^${shut}/`), code: "EACCES" },
    ]);
    const plan = await w.plan({ fs });
    expect(plan.summary.error).toBe(40);
    expect(foundOf(plan)).toEqual(await lookOneByOne(plan, fs, "linux"));
  });

  it.each([
    ["a name longer than 255 bytes", "x".repeat(300)],
    ["a name of 130 two-byte characters", "é".repeat(130)],
  ])("reports %s as its lstat does, in a listed directory and a missing one", async (_, long) => {
    const w = await makeWorld(
      `${manifest({ "": names(40), missing: names(40) })}  "~/${long}": pkg/f0\n  "~/missing/${long}": pkg/f0\n`,
      { dots: pkg(40) },
    );
    const fs = new NodeFileSystem();
    const plan = await w.plan({ fs });
    expect(foundOf(plan)).toEqual(await lookOneByOne(plan, fs, "linux"));
  });

  /** What one generated link path holds. */
  const HOLDINGS = ["nothing", "file", "dir", "link", "dangling", "other case"] as const;
  /** Where a generated group of links is. */
  const PLACES = [
    "home",
    "dir",
    "missing",
    "missing/deeper",
    "file",
    "linked",
    "dangling",
  ] as const;

  it("finds at each link path what an lstat of each finds, over odd trees", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            place: fc.constantFrom(...PLACES),
            // Many links in one directory (listed) as often as few (each looked at).
            holdings: fc.oneof(
              fc.array(fc.constantFrom(...HOLDINGS), { minLength: 1, maxLength: 8 }),
              fc.array(fc.constantFrom(...HOLDINGS), { minLength: 32, maxLength: 60 }),
            ),
            unrelated: fc.oneof(fc.nat({ max: 20 }), fc.nat({ max: 300 })),
          }),
          { minLength: 1, maxLength: 4 },
        ),
        async (groups) => {
          const home: Tree = { real: {} };
          const dirs: Record<string, string[]> = {};
          let n = 0;
          for (const [g, group] of groups.entries()) {
            const dir = `g${g}`;
            const at = group.place === "home" ? "" : `${dir}/${group.place}`;
            const entries: Tree = {};
            const linked = group.holdings.map((holding) => {
              const name = `f${n++}`;
              if (holding === "file") entries[name] = "mine";
              if (holding === "dir") entries[name] = { inside: "x" };
              if (holding === "link") entries[name] = { symlink: "/elsewhere" };
              if (holding === "dangling") entries[name] = { symlink: "nowhere" };
              if (holding === "other case") entries[name.toUpperCase()] = "mine";
              return name;
            });
            for (let i = 0; i < group.unrelated; i++) entries[`u${g}-${i}`] = "";
            if (group.place === "home") Object.assign(home, entries);
            else if (group.place === "dir") home[dir] = { dir: entries };
            else if (group.place === "file") home[dir] = { file: "a file, not a directory" };
            else if (group.place === "linked") {
              (home.real as Tree)[dir] = entries;
              home[dir] = { linked: { symlink: `../real/${dir}` } };
            } else if (group.place === "dangling") home[dir] = { dangling: { symlink: "gone" } };
            else home[dir] = {};
            dirs[at] = [...(dirs[at] ?? []), ...linked];
          }
          const w = await makeWorld(manifest(dirs), { home, dots: pkg(n) });
          const fs = new NodeFileSystem();
          const plan = await w.plan({ fs });
          expect(plan.actions).toHaveLength(n);
          expect(foundOf(plan)).toEqual(await lookOneByOne(plan, fs, "linux"));
        },
      ),
      { numRuns: 25 },
    );
  }, 120_000);
});
