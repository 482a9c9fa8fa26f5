import { spawn } from "node:child_process";
import { readdirSync, readFileSync, readlinkSync } from "node:fs";
import { rm, symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { applyCommand } from "../src/cli/commands/apply.js";
import { WRITE_OPERATIONS, type FileSystem } from "../src/fs/fileSystem.js";
import { crashing, recording, type RecordedCall } from "../src/fs/wrappers.js";
import { lockPathFor } from "../src/state/lock.js";
import { readState } from "../src/state/stateFile.js";
import { sweepTemporaries, temporaryName } from "../src/engine/temporaries.js";
import { SYSTEMS } from "./helpers/systems.js";
import { runSession, TEMPORARY, type Command } from "./helpers/sessions.js";
import { commandOutput, expectNothingLost, makeWorld, type World } from "./helpers/world.js";

/** Creates (with new directories), replaces a link, backs up a file and a directory, makes a hard link. */
const manifest =
  "version: 1\ndefaults: { onConflict: backup }\nlinks:\n  - { link: ~/.config/deep/vimrc, target: vim/vimrc }\n  - { link: ~/.zshrc, target: vim/vimrc }\n  - { link: ~/.bashrc, target: vim/vimrc }\n  - { link: ~/.config/nvim, target: nvim }\n  - { link: ~/bin/tool, target: bin/tool, kind: hardlink }\n  - { link: ~/.vim, target: nvim }\n";

const home = {
  ".zshrc": { symlink: "/old/zshrc" },
  ".bashrc": "the user's bashrc\n",
  ".config": { nvim: { "init.vim": "the user's init\n" } },
  // A directory link elsewhere: Windows replaces it in three steps.
  ".vim": { symlink: "../dots/bin" },
};

async function apply(w: World, fs: FileSystem) {
  return applyCommand(commandOutput(w, {}, { fs }).out);
}

/** How many of the recorded calls changed the disk (the write operations as the code lists them). */
const writes = (calls: readonly RecordedCall[]) =>
  calls.filter((c) => (WRITE_OPERATIONS as readonly string[]).includes(c.operation)).length;

const userFiles = (w: World) =>
  Object.entries(w.snapshot()).filter(([p, v]) => p.startsWith("home/") && v.startsWith("file:"));

/** Checks the world after a crash and a rerun: converged, nothing lost, state readable and complete. */
async function expectRecovered(w: World, before: [string, string][]) {
  const plan = await w.plan();
  expect(plan.actions.map((a) => `${a.op}:${a.reason}`)).toEqual(
    plan.actions.map(() => "skip:up-to-date"),
  );
  expectNothingLost(before, Object.entries(w.snapshot()));
  const leftovers = Object.keys(w.snapshot()).filter((p) =>
    /\.linkman-[0-9a-f]{12}(-old)?$/.test(p),
  );
  expect(leftovers).toEqual([]);
  const state = await readState(w.fs, w.stateFile, w.manifest, w.platform);
  expect(state.ok).toBe(true);
  if (state.ok)
    expect(state.state.links.map((r) => path.relative(w.home, r.link)).sort()).toEqual([
      ".bashrc",
      ".config/deep/vimrc",
      ".config/nvim",
      ".vim",
      ".zshrc",
      "bin/tool",
    ]);
}

describe.each(SYSTEMS.map((s) => [s.name, s] as const))(
  "crash consistency on %s",
  (_name, system) => {
    it("converges with nothing lost when apply stops after any of its writes", async () => {
      const counting = await makeWorld(manifest, { home }, system);
      const recorder = recording(counting.fs);
      expect(await apply(counting, recorder)).toBe(0);
      const total = writes(recorder.calls);
      expect(total).toBeGreaterThan(15);

      for (let k = 0; k <= total; k++) {
        const w = await makeWorld(manifest, { home }, system);
        const before = userFiles(w);
        await apply(w, crashing(w.fs, k)).catch(() => undefined);
        await rm(lockPathFor(w.stateFile), { force: true }); // a killed run's lock; taking it over is tested in lock.test.ts
        expect(await apply(w, w.fs), `rerun after a crash at write ${k}`).toBe(0);
        await expectRecovered(w, before);
      }
    });
  },
);

/** One named check of the world after a crash and a rerun. */
type Step = [what: string, check: () => void | Promise<void>];

/**
 * For every k from 0 to the writes of a full run: a fresh world from `prepare`, `run`
 * killed after k writes, its lock removed (taking over a killed run's lock is tested in
 * lock.test.ts), then each of `steps` in order (the first runs the command again), told
 * what the home directory held after an uninterrupted run. Every
 * step that fails at every k is collected, so one failure shows all the crash points that
 * share it.
 */
async function crashAfterEachWrite<T>(
  prepare: () => Promise<{ w: World; before: T }>,
  run: (w: World, fs: FileSystem) => Promise<unknown>,
  steps: (w: World, before: T, uninterrupted: Record<string, string>) => Step[],
): Promise<number> {
  const counting = await prepare();
  const recorder = recording(counting.w.fs);
  await run(counting.w, recorder);
  const total = writes(recorder.calls);
  const uninterrupted = homeSnapshot(counting.w);
  const problems: string[] = [];
  for (let k = 0; k <= total; k++) {
    const { w, before } = await prepare();
    await run(w, crashing(w.fs, k)).catch(() => undefined);
    await rm(lockPathFor(w.stateFile), { force: true });
    for (const [what, check] of steps(w, before, uninterrupted)) {
      try {
        await check();
      } catch (error) {
        const actual = error instanceof Error && "actual" in error ? error.actual : error;
        problems.push(`crash after write ${k} of ${total}, ${what}: ${JSON.stringify(actual)}`);
      }
    }
  }
  expect(problems).toEqual([]);
  return total;
}

/** Everything below the home directory, as `snapshot` gives it, with the world's root in link texts written `<root>` (to compare worlds). */
const homeSnapshot = (w: World) =>
  Object.fromEntries(
    Object.entries(w.snapshot())
      .filter(([p]) => p.startsWith("home/"))
      .map(([p, v]) => [p, v.split(w.root).join("<root>")]),
  );

/** What changed between two snapshots, one `path: before → after` per path. */
function differences(before: Record<string, string>, after: Record<string, string>): string[] {
  const paths = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  const show = (v: string | undefined) => (v === undefined ? "nothing" : JSON.stringify(v));
  return paths
    .filter((p) => before[p] !== after[p])
    .map((p) => `${p}: ${show(before[p])} → ${show(after[p])}`);
}

/** The rerun of `command`: it ran, and nothing failed. */
const rerun = (w: World, command: Command): Step => [
  `the rerun of ${command}`,
  async () => {
    const again = await runSession(w, command);
    expect([again.refused?.message ?? null, again.failed]).toEqual([null, 0]);
  },
];

/** No temporaries left, and a readable state that lists exactly `links` (relative to home). */
const settled = (w: World, links: string[]): Step[] => [
  [
    "no temporaries left",
    () => expect(Object.keys(w.snapshot()).filter((p) => TEMPORARY.test(p))).toEqual([]),
  ],
  [
    "the state",
    async () => {
      const state = await readState(w.fs, w.stateFile, w.manifest, w.platform);
      expect(
        state.ok ? state.state.links.map((r) => path.relative(w.home, r.link)).sort() : state,
      ).toEqual(links);
    },
  ],
];

/** A final apply succeeds and converges (then a plan is all up to date), keeping every file of `files`. */
const converges = (w: World, files: [string, string][]): Step => [
  "the final apply converges",
  async () => {
    const final = await runSession(w, "apply");
    expect([final.refused?.message ?? null, final.failed]).toEqual([null, 0]);
    const plan = await w.plan();
    const seen = plan.actions.map((a) => `${a.op}:${a.reason} ${path.relative(w.home, a.link)}`);
    expect(seen.filter((a) => !a.startsWith("skip:up-to-date"))).toEqual([]);
    expectNothingLost(files, Object.entries(w.snapshot()));
  },
];

/** The regular files of a snapshot. */
const filesOf = (s: Record<string, string>) =>
  Object.entries(s).filter(([, v]) => v.startsWith("file:"));

describe.each(SYSTEMS.map((s) => [s.name, s] as const))(
  "crash consistency of unlink, prune and adopt on %s",
  (_name, system) => {
    // Found by this loop, and held since: a crash after a restore but before the state is
    // saved (the rerun forgets the record of what is already back), and a crash between
    // link(2) giving a backed-up file its old name and the backup name going (the rerun
    // drops that second name).
    it("unlink --restore stopped after any of its writes, then run again, puts back everything the user had", async () => {
      const total = await crashAfterEachWrite(
        async () => {
          const w = await makeWorld(manifest, { home }, system);
          const before = homeSnapshot(w);
          expect(await apply(w, w.fs)).toBe(0);
          return { w, before };
        },
        (w, fs) => runSession(w, "unlink --restore", { fs }),
        (w, before) => [
          rerun(w, "unlink --restore"),
          [
            "the user's files, directories and earlier links are back, nothing of linkman's is left",
            () => expect(differences(before, homeSnapshot(w))).toEqual([]),
          ],
          ...settled(w, []),
          converges(w, filesOf(before)),
        ],
      );
      expect(total).toBeGreaterThan(10);
    });

    // The same two crash points as unlink --restore's, for prune, where a record left
    // behind would stay for good (the manifest no longer lists it).
    it("prune stopped after any of its writes, then run again, puts back the backups of the entries the manifest dropped", async () => {
      const kept =
        "version: 1\ndefaults: { onConflict: backup }\nlinks:\n  - { link: ~/.config/deep/vimrc, target: vim/vimrc }\n  - { link: ~/bin/tool, target: bin/tool, kind: hardlink }\n  - { link: ~/.vim, target: nvim }\n";
      const total = await crashAfterEachWrite(
        async () => {
          const w = await makeWorld(manifest, { home }, system);
          const before = homeSnapshot(w);
          expect(await apply(w, w.fs)).toBe(0);
          // The manifest drops ~/.bashrc and ~/.config/nvim (both backed up) and ~/.zshrc.
          await writeFile(w.manifest, kept);
          return { w, before };
        },
        (w, fs) => runSession(w, "prune", { fs }),
        (w, before, uninterrupted) => [
          rerun(w, "prune"),
          [
            "the user's file and directory are back where they were",
            () => {
              const now = homeSnapshot(w);
              const theirs = [".bashrc", ".config/nvim", ".config/nvim/init.vim"];
              expect(theirs.map((p) => now[`home/${p}`])).toEqual(
                theirs.map((p) => before[`home/${p}`]),
              );
            },
          ],
          [
            "the home directory is as an uninterrupted prune leaves it",
            () => expect(differences(uninterrupted, homeSnapshot(w))).toEqual([]),
          ],
          ...settled(w, [".config/deep/vimrc", ".vim", "bin/tool"]),
          converges(w, filesOf(before)),
        ],
      );
      expect(total).toBeGreaterThan(5);
    });

    // Found by this loop, and held since: a crash after adopt gave a file its second name
    // at the target, before the symlink took the link path, left one file under two names
    // that neither adopt nor apply would move on from; apply now replaces a second name of
    // the target (rule second-name: nothing is lost).
    it("adopt stopped after any of its writes, then run again, leaves each file once, in the repository, linked", async () => {
      const adopting =
        "version: 1\nlinks:\n  ~/.vimrc: vim/new-vimrc\n  ~/.config/app: app\n  ~/.gitconfig: git/deep/gitconfig\n";
      const theirs = {
        ".vimrc": "my vimrc\n",
        ".config": { app: { "conf.toml": "x = 1\n" } },
        ".gitconfig": "[user]\n",
      };
      /** Each entry's link path, target, and the adopted file below the target with its bytes. */
      const adopted = [
        [".vimrc", "vim/new-vimrc", "vim/new-vimrc", "my vimrc\n"],
        [".config/app", "app", "app/conf.toml", "x = 1\n"],
        [".gitconfig", "git/deep/gitconfig", "git/deep/gitconfig", "[user]\n"],
      ] as const;
      /** Each file's bytes under one name only, at its target in the repository, and its link path linking there. */
      const inRepositoryAndLinked = (w: World) => {
        const now = w.snapshot();
        const names = (bytes: string) => Object.keys(now).filter((p) => now[p] === `file:${bytes}`);
        expect(
          adopted.map(([link, , , bytes]) => [link, names(bytes), now[`home/${link}`]]),
        ).toEqual(
          adopted.map(([link, target, file]) => [
            link,
            [`dots/${file}`],
            `link:${path.join(w.dots, target)}`,
          ]),
        );
      };
      const total = await crashAfterEachWrite(
        async () => ({ w: await makeWorld(adopting, { home: theirs }, system), before: null }),
        (w, fs) => runSession(w, "adopt", { fs }),
        (w) => [
          rerun(w, "adopt"),
          ...settled(w, [".config/app", ".gitconfig", ".vimrc"]),
          // Adopted files leave home: that they are kept is checked below, at their targets.
          converges(w, []),
          ["each file is in the repository once, and linked", () => inRepositoryAndLinked(w)],
        ],
      );
      expect(total).toBeGreaterThan(5);
    });
  },
);

describe.each(SYSTEMS.map((s) => [s.name, s] as const))(
  "crash consistency of an unfold on %s",
  (_name, system) => {
    // Found by this loop: a crash between renaming the directory link aside and making the
    // directory left the aside name for good (the sweep looked only beside recorded links).
    it("apply stopped after any of its writes while unfolding a folded directory, then run again, leaves no temporaries", async () => {
      const unfolding = "version: 1\nlinks:\n  ~/.config/nvim/init.lua: nvim/init.lua\n";
      const folded = { ".config": { nvim: { symlink: "../../dots/nvim" } } };
      const total = await crashAfterEachWrite(
        async () => ({ w: await makeWorld(unfolding, { home: folded }, system), before: null }),
        (w, fs) => runSession(w, "apply", { fs }),
        (w, _before, uninterrupted) => [
          rerun(w, "apply"),
          [
            "the home directory is as an uninterrupted apply leaves it",
            () => expect(differences(uninterrupted, homeSnapshot(w))).toEqual([]),
          ],
          ...settled(w, [".config/nvim/init.lua"]),
          converges(w, []),
        ],
      );
      expect(total).toBeGreaterThan(3);
    });
  },
);

describe("what an interrupted run left", () => {
  it("is swept by the next run: only its exact temporary names, never a directory", async () => {
    const token = "0123456789ab";
    const w = await makeWorld("version: 1\nlinks:\n  ~/a: vim/vimrc\n", {
      home: {
        ".a.linkman-0123456789ab": { symlink: "/new" },
        ".a.linkman-0123456789ab-old": { "a file": "kept" },
        ".a.linkman-ffffffffffff": { symlink: "/another-run" },
      },
    });
    const removed = await sweepTemporaries(
      w.fs,
      w.platform,
      [path.join(w.home, "a")],
      token,
      await w.roots(),
    );
    expect(removed).toEqual([path.join(w.home, ".a.linkman-0123456789ab")]);
    expect(Object.keys(w.snapshot()).filter((p) => p.startsWith("home/"))).toEqual([
      "home/.a.linkman-0123456789ab-old",
      "home/.a.linkman-0123456789ab-old/a file",
      "home/.a.linkman-ffffffffffff",
    ]);
  });

  it("puts back a folded directory link an unfold moved aside, looking no higher than the roots", async () => {
    const token = "0123456789ab";
    const w = await makeWorld("version: 1\nlinks:\n  ~/.config/nvim/init.lua: nvim/init.lua\n", {
      home: { ".config": { ".nvim.linkman-0123456789ab-old": { symlink: "../../dots/nvim" } } },
    });
    const aboveHome = temporaryName(w.home, token, "old");
    await symlink("/elsewhere", aboveHome);
    const link = path.join(w.home, ".config", "nvim", "init.lua");
    const tidied = await sweepTemporaries(w.fs, w.platform, [link], token, await w.roots());
    expect(tidied).toEqual([path.join(w.home, ".config", ".nvim.linkman-0123456789ab-old")]);
    expect(readlinkSync(path.join(w.home, ".config", "nvim"))).toBe("../../dots/nvim");
    expect(readlinkSync(aboveHome)).toBe("/elsewhere");
  });
});

describe("crash consistency of a real process", () => {
  it(
    "converges with nothing lost when a real apply of thousands of links is killed",
    { timeout: 60_000 },
    async () => {
      const n = 3000;
      const files = Object.fromEntries(Array.from({ length: n }, (_, i) => [`f${i}`, `${i}\n`]));
      const inTheWay = Object.fromEntries(
        Array.from({ length: 50 }, (_, i) => [`f${i * 7}`, `the user's ${i}\n`]),
      );
      const bin = path.join(import.meta.dirname, "..", "dist/bundle/linkman.js");
      for (const fraction of [0.1, 0.5, 0.9]) {
        const w = await makeWorld(
          "version: 1\nlinks:\n  - { link: ~/, target: pkg/**, onConflict: backup }\n",
          { dots: { pkg: files }, home: inTheWay },
        );
        const before = userFiles(w);
        const env = {
          ...process.env,
          HOME: w.home,
          XDG_STATE_HOME: path.join(w.root, "state"),
          LINKMAN_LOCK_WAIT_MS: "0",
        };
        const child = spawn(process.execPath, [bin, "apply", "-q"], {
          cwd: w.dots,
          env,
          stdio: "ignore",
        });
        const exited = new Promise((resolve) => child.on("exit", resolve));
        for (;;) {
          const made = readdirSync(w.home).length;
          if (made >= n * fraction || child.exitCode !== null) break;
          await new Promise((r) => setTimeout(r, 2));
        }
        child.kill("SIGKILL");
        await exited;
        const rerun = spawn(process.execPath, [bin, "apply", "-q"], {
          cwd: w.dots,
          env,
          stdio: "inherit",
        });
        expect(
          await new Promise((resolve) => rerun.on("exit", resolve)),
          `rerun after a kill at ${fraction * 100}%`,
        ).toBe(0);
        const plan = await w.plan();
        expect(plan.summary).toMatchObject({ create: 0, replace: 0, conflict: 0, error: 0 });
        expectNothingLost(before, Object.entries(w.snapshot()));
        const leftovers = Object.keys(w.snapshot()).filter((p) =>
          /\.linkman-[0-9a-f]{12}(-old)?$/.test(p),
        );
        expect(leftovers).toEqual([]);
        expect(JSON.parse(readFileSync(w.stateFile, "utf8"))).toMatchObject({ version: 2 });
      }
    },
  );
});
