import { spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { rm } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { applyCommand } from "../src/cli/commands/apply.js";
import type { FileSystem } from "../src/fs/fileSystem.js";
import { crashing, recording } from "../src/fs/wrappers.js";
import { lockPathFor } from "../src/state/lock.js";
import { readState } from "../src/state/stateFile.js";
import { sweepTemporaries } from "../src/engine/temporaries.js";
import { SYSTEMS } from "./helpers/systems.js";
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
      const total = recorder.calls.filter((c) =>
        [
          "symlink",
          "link",
          "rename",
          "unlink",
          "rmdir",
          "mkdir",
          "writeNewFile",
          "copyFile",
        ].includes(c.operation),
      ).length;
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
    const removed = await sweepTemporaries(w.fs, w.platform, [path.join(w.home, "a")], token);
    expect(removed).toEqual([path.join(w.home, ".a.linkman-0123456789ab")]);
    expect(Object.keys(w.snapshot()).filter((p) => p.startsWith("home/"))).toEqual([
      "home/.a.linkman-0123456789ab-old",
      "home/.a.linkman-0123456789ab-old/a file",
      "home/.a.linkman-ffffffffffff",
    ]);
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
        expect(readFileSync(w.stateFile, "utf8")).toContain('"version": 1');
      }
    },
  );
});
