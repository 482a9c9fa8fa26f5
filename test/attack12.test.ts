import { execFileSync } from "node:child_process";
import { lstatSync, readFileSync, readlinkSync, truncateSync, writeFileSync } from "node:fs";
import { mkdir, rm } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { applyCommand } from "../src/cli/commands/apply.js";
import { WRITE_OPERATIONS } from "../src/fs/fileSystem.js";
import { crashing, recording } from "../src/fs/wrappers.js";
import { sweepTemporaries, temporariesLeft } from "../src/engine/temporaries.js";
import { trustState } from "../src/session/trust.js";
import { lockPathFor } from "../src/state/lock.js";
import { readState } from "../src/state/stateFile.js";
import { SYSTEMS } from "./helpers/systems.js";
import type { LinkRecord } from "../src/state/state.js";
import { writeState } from "../src/state/stateFile.js";
import { linkman } from "./helpers/cli.js";
import { linkRecord } from "./helpers/records.js";
import type { Tree } from "./helpers/tree.js";
import { commandOutput, makeWorld, type World } from "./helpers/world.js";

const token = "0123456789ab";

/** A world whose state says a run killed under `token` had recorded `links` (paths from home). */
async function interrupted(
  manifest: string,
  links: string[],
  extra: { home?: Tree; root?: Tree } = {},
): Promise<World> {
  const w = await makeWorld(manifest, extra);
  await mkdir(path.dirname(w.stateFile), { recursive: true });
  const records: LinkRecord[] = links
    .map((l) => path.join(w.home, l))
    .sort()
    .map((link) => linkRecord(link, { target: path.join(w.dots, "vim/vimrc") }));
  await writeState(w.fs, w.stateFile, {
    version: 2,
    manifest: w.manifest,
    links: records,
    directories: [],
    applying: token,
  });
  return w;
}

/** What a command printed, both streams. */
const said = (run: { stdout: string; stderr: string }) => run.stdout + run.stderr;

describe("what a look says an interrupted run left is what the next apply tidies", () => {
  it("names no temporary beside a record whose directory leads out of the roots, which the apply leaves alone", async () => {
    const w = await interrupted(
      "version: 1\nlinks:\n  ~/.vimrc: vim/vimrc\n",
      [".vimrc", "out/x"],
      {
        home: { out: { symlink: "../outside" } },
        root: { outside: { [`.x.linkman-${token}-old`]: { symlink: "/old" } } },
      },
    );
    for (const command of [["plan"], ["status"], ["apply", "--dry-run"]]) {
      expect(said(await w.cli(...command))).not.toContain("interrupted run left");
    }
    const real = await w.cli("apply");
    expect(said(real)).not.toContain("tidied");
    expect(readlinkSync(path.join(w.root, "outside", `.x.linkman-${token}-old`))).toBe("/old");
  });

  it("names each temporary once, where a recorded link is also a directory above another record", async () => {
    const w = await interrupted("version: 1\nlinks:\n  ~/.vimrc: vim/vimrc\n", ["a", "a/b"], {
      home: { [`.a.linkman-${token}-old`]: { symlink: "/old" } },
    });
    const dry = await w.cli("apply", "--dry-run");
    expect(said(dry)).toContain(
      `an interrupted run left 1 temporary name (~/.a.linkman-${token}-old)`,
    );
    const real = await w.cli("apply");
    expect(said(real)).toContain("tidied 1 temporary name(s)");
    expect(readlinkSync(path.join(w.home, "a"))).toBe("/old");
  });

  it("plan, status, a dry run and explain change nothing and never hang on a FIFO or a large file under a temporary name", async () => {
    const w = await interrupted(
      "version: 1\nlinks:\n  ~/.vimrc: vim/vimrc\ndirectories:\n  - ~/d\n",
      [".vimrc", "p", "big", "d/x"],
      { home: { [`.d.linkman-${token}-old`]: { symlink: "/old" } } },
    );
    execFileSync("mkfifo", [path.join(w.home, `.p.linkman-${token}`)]);
    const big = path.join(w.home, `.big.linkman-${token}-old`);
    writeFileSync(big, "");
    truncateSync(big, 2 ** 24);
    const before = w.snapshot();
    for (const command of [["plan"], ["status"], ["apply", "--dry-run"], ["explain", "~/d"]]) {
      const run = await w.cli(...command);
      expect(run.stderr).not.toMatch(/\n\s+at /);
    }
    expect(said(await w.cli("plan"))).toContain(
      `an interrupted run left 1 temporary name (~/.d.linkman-${token}-old)`,
    );
    expect(w.snapshot()).toEqual(before);
    expect(lstatSync(big).size).toBe(2 ** 24);
  });
});

describe("names from a hand-edited state reach the terminal escaped", () => {
  const title = "\u001b]0;owned\u0007x";

  it("in what the apply says it tidied, as in what the dry run said it would", async () => {
    const w = await interrupted("version: 1\nlinks:\n  ~/.vimrc: vim/vimrc\n", [title], {
      home: { [`.${title}.linkman-${token}`]: { symlink: "/new" } },
    });
    const dry = await w.cli("apply", "--dry-run");
    expect(said(dry)).toContain("an interrupted run left 1 temporary name");
    const real = await w.cli("apply");
    expect(said(real)).toContain("tidied 1 temporary name(s)");
    expect(said(dry) + said(real)).not.toContain("\u001b");
  });

  it("in the notices of records and directories ignored", async () => {
    const w = await interrupted("version: 1\nlinks:\n  ~/.vimrc: vim/vimrc\n", [`../${title}`]);
    const state = JSON.parse(readFileSync(w.stateFile, "utf8"));
    state.directories = [`/${title}`];
    state.links.push({ ...state.links[0], link: path.join(w.home, "b"), backup: `/${title}` });
    writeFileSync(w.stateFile, JSON.stringify(state));
    const run = await w.cli("plan");
    expect(said(run)).toContain("is not a backup name beside the link");
    expect(said(run)).toContain("the state's directory");
    expect(said(run)).toContain("is ignored: its link is outside your home");
    expect(said(run)).not.toContain("\u001b");
  });
});

describe("explain after an interrupted run", () => {
  it("says what the killed run left, since the next apply first puts it back and then decides otherwise", async () => {
    const w = await interrupted("version: 1\nlinks:\n  ~/.vimrc: vim/vimrc\n", [".vimrc"], {
      home: { [`..vimrc.linkman-${token}-old`]: { symlink: "/old" } },
    });
    const before = w.snapshot();
    const run = await w.cli("explain", "~/.vimrc");
    expect(run.stdout).toContain("decision  create");
    expect(said(run)).toContain(
      `an interrupted run left 1 temporary name (~/..vimrc.linkman-${token}-old)`,
    );
    expect(w.snapshot()).toEqual(before);
    expect(said(await w.cli("apply"))).toContain("~ replaced ~/.vimrc");
  });
});

describe("explain on a manifest that lists directories", () => {
  it("explains the link asked about, not the first listed directory", async () => {
    const w = await makeWorld(
      "version: 1\nlinks:\n  ~/.vimrc: vim/vimrc\ndirectories:\n  - ~/made\n",
    );
    const run = await w.cli("explain", "~/.vimrc", "--json");
    expect(JSON.parse(run.stdout)).toMatchObject({
      link: path.join(w.home, ".vimrc"),
      action: { op: "create", link: path.join(w.home, ".vimrc") },
    });
  });
});

/** Creates with new directories, replaces a link, backs up a file and a directory, makes a hard link (crash.test.ts's world). */
const crashManifest =
  "version: 1\ndefaults: { onConflict: backup }\nlinks:\n  - { link: ~/.config/deep/vimrc, target: vim/vimrc }\n  - { link: ~/.zshrc, target: vim/vimrc }\n  - { link: ~/.bashrc, target: vim/vimrc }\n  - { link: ~/.config/nvim, target: nvim }\n  - { link: ~/bin/tool, target: bin/tool, kind: hardlink }\n  - { link: ~/.vim, target: nvim }\n";
const crashHome: Tree = {
  ".zshrc": { symlink: "/old/zshrc" },
  ".bashrc": "the user's bashrc\n",
  ".config": { nvim: { "init.vim": "the user's init\n" } },
  ".vim": { symlink: "../dots/bin" },
};

describe.each(SYSTEMS.map((s) => [s.name, s] as const))(
  "after apply is killed on %s",
  (_n, system) => {
    it("the look names exactly what the sweep then tidies, after any of apply's writes", async () => {
      const counting = await makeWorld(crashManifest, { home: crashHome }, system);
      const recorder = recording(counting.fs);
      await applyCommand(commandOutput(counting, {}, { fs: recorder }).out);
      const total = recorder.calls.filter((c) =>
        (WRITE_OPERATIONS as readonly string[]).includes(c.operation),
      ).length;
      const problems: string[] = [];
      let seen = 0;
      for (let k = 0; k <= total; k++) {
        const w = await makeWorld(crashManifest, { home: crashHome }, system);
        await applyCommand(commandOutput(w, {}, { fs: crashing(w.fs, k) }).out).catch(() => 0);
        await rm(lockPathFor(w.stateFile), { force: true });
        const read = await readState(w.fs, w.stateFile, w.manifest, w.platform);
        if (!read.ok || !read.state.applying) continue;
        const { trusted } = trustState(read.state, await w.roots(), w.platform);
        const links = trusted.links.map((r) => r.link);
        const args = [w.fs, w.platform, links, read.state.applying, await w.roots()] as const;
        const looked = (await temporariesLeft(...args)).map((l) => l.name).sort();
        const tidied = (await sweepTemporaries(...args)).sort();
        seen += tidied.length;
        if (JSON.stringify(looked) !== JSON.stringify(tidied))
          problems.push(`write ${k}: looked ${looked.join(",")} tidied ${tidied.join(",")}`);
      }
      expect(problems).toEqual([]);
      expect(seen).toBeGreaterThan(0);
    });
  },
);

describe("a home reached through a symlink (/home leading to /usr/home)", () => {
  it("unlink removes the links apply made there, and a second apply neither takes them over nor records them twice", async () => {
    const w = await makeWorld("version: 1\nlinks:\n  ~/.vimrc: vim/vimrc\n", {
      root: { via: { symlink: "home" } },
    });
    const run = (...args: string[]) =>
      linkman(args, {
        cwd: w.dots,
        home: path.join(w.root, "via"),
        env: { XDG_STATE_HOME: path.join(w.root, "state") },
      });
    expect((await run("apply")).code).toBe(0);
    const again = await run("apply");
    expect(said(again)).not.toContain("ignored");
    expect(said(again)).not.toContain("taken over");
    expect((await run("unlink")).code).toBe(0);
    expect(lstatSync(path.join(w.home, ".vimrc"), { throwIfNoEntry: false })).toBeUndefined();
  });
});
