import { spawnSync } from "node:child_process";
import {
  closeSync,
  existsSync,
  openSync,
  readFileSync,
  readdirSync,
  renameSync,
  symlinkSync,
} from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { NodeFileSystem } from "../src/fs/nodeFileSystem.js";
import { cliThrough, hooked } from "./helpers/hooked.js";
import { makeWorld } from "./helpers/world.js";

describe("attack: directories made between the roots check and the link", () => {
  it("a symlink out of the roots put where a missing directory is about to be made leads nothing outside", async () => {
    const w = await makeWorld("version: 1\nlinks:\n  ~/a/b/one: vim/vimrc\n", {
      root: { outside: {} },
    });
    const outside = path.join(w.root, "outside");
    const a = path.join(w.home, "a");
    let swapped = false;
    const fs = hooked(new NodeFileSystem(), (operation, args) => {
      if (operation === "mkdir" && args[0] === a && !swapped) {
        swapped = true;
        symlinkSync(outside, a); // another process, after the roots check saw ~/a missing
      }
    });
    const run = await cliThrough(w, fs, "apply");
    expect(swapped).toBe(true);
    expect(readdirSync(outside)).toEqual([]);
    expect(run.code).toBe(1);
  });

  it.each([
    ["a", "the next level is made in it"],
    ["a/b", "the link is made in it"],
  ])(
    "a directory the apply just made (~/%s), swapped for a symlink out of the roots before %s, leads nothing outside",
    async (level) => {
      const w = await makeWorld("version: 1\nlinks:\n  ~/a/b/one: vim/vimrc\n", {
        root: { outside: {} },
      });
      const outside = path.join(w.root, "outside");
      const made = path.join(w.home, level);
      let state: "waiting" | "made" | "swapped" = "waiting";
      const fs = hooked(new NodeFileSystem(), (operation, args) => {
        if (state === "made") {
          // Right after the mkdir returned, before linkman's next call.
          state = "swapped";
          renameSync(made, `${made}-moved`);
          symlinkSync(outside, made);
        }
        if (state === "waiting" && operation === "mkdir" && args[0] === made) state = "made";
      });
      const run = await cliThrough(w, fs, "apply");
      expect(state).toBe("swapped");
      expect(readdirSync(outside)).toEqual([]);
      expect(run.code).toBe(1);
    },
  );
});

describe("attack: adopt's directories made between the roots check and the move", () => {
  it("a symlink out of the roots put where adopt's missing target directory is about to be made leads nothing outside", async () => {
    const w = await makeWorld("version: 1\nlinks:\n  ~/.conf: newpkg/sub/conf\n", {
      home: { ".conf": "the user's settings\n" },
      root: { outside: {} },
    });
    const outside = path.join(w.root, "outside");
    const newpkg = path.join(w.dots, "newpkg");
    let swapped = false;
    const fs = hooked(new NodeFileSystem(), (operation, args) => {
      if (operation === "mkdir" && args[0] === newpkg && !swapped) {
        swapped = true;
        symlinkSync(outside, newpkg); // after the roots check saw the directory missing
      }
    });
    const run = await cliThrough(w, fs, "adopt");
    expect(swapped).toBe(true);
    expect(readdirSync(outside)).toEqual([]);
    expect(readFileSync(path.join(w.home, ".conf"), "utf8")).toBe("the user's settings\n");
    expect(run.code).toBe(1);
  });
});

describe("attack: entries that look plain but are not", () => {
  // Each pair: link, target, as YAML flow scalars. The same entries with a `when` that holds
  // go the long way (resolveEntry): the plan must be the same, action for action.
  const entries: [string, string][] = [
    ['"~/a/"', "vim/vimrc"],
    ['"~/./b"', "./vim/vimrc"],
    ['"~/c/../d"', "vim//vimrc"],
    ['"~//e"', "vim/./vimrc"],
    ['"~/f/."', "nvim/"],
    ['"~"', "vim/vimrc"],
    ['"~/back\\\\slash"', "vim/vimrc"],
    ['"~/new\\nline"', '"vim/new\\nline"'],
    ['"~/.git/hooks/pre-commit"', "bin/tool"],
    ['"sub/../.git/hooks/post-merge"', "bin/tool"],
    ['"~/dir-link/inner"', "vim/vimrc"],
    ['"$HOME/v"', '"${HOME}/../dots/vim/vimrc"'],
    ['"/tmp/../tmp/attack4-outside"', "vim/vimrc"],
    ['"~/g"', '"../dots/vim/vimrc"'],
    ['"~/h"', '"/"'],
  ];
  const manifest = (when: string) =>
    `version: 1\nlinks:\n${entries.map(([l, t]) => `  - { link: ${l}, target: ${t}${when} }\n`).join("")}`;
  const planOf = async (when: string) => {
    const w = await makeWorld(manifest(when), { home: { "dir-link": { symlink: "../dots/vim" } } });
    const run = await w.cli("plan", "--json");
    const json = JSON.parse(run.stdout || "{}") as {
      actions?: { op: string; link: string; target: string; reason: string | null }[];
    };
    const rel = (p: string) => p.replaceAll(w.root, "<root>");
    return {
      code: run.code,
      stderr: rel(run.stderr).replace(/\s+/g, " "),
      actions: json.actions?.map((a) => `${a.op}(${a.reason}) ${rel(a.link)} -> ${rel(a.target)}`),
    };
  };

  it("a plain entry's plan is the long way's, for paths node:path would normalise", async () => {
    const fast = await planOf("");
    const slow = await planOf(`, when: { os: [${process.platform}] }`);
    expect(fast.actions?.length).toBe(entries.length);
    expect(fast).toEqual(slow);
  });
});

describe("attack: the bin's output on a full device", () => {
  const bin = path.resolve(import.meta.dirname, "../dist/bundle/linkman.js");
  it.runIf(existsSync("/dev/full"))(
    "stdout on a full device is said plainly (which stream, ENOSPC), not as a bug in linkman",
    () => {
      expect(existsSync(bin), "run `npm run build` first").toBe(true);
      const full = openSync("/dev/full", "w");
      try {
        const result = spawnSync(process.execPath, [bin, "schema"], {
          stdio: ["ignore", full, "pipe"],
          env: { PATH: process.env.PATH ?? "/usr/bin:/bin", NO_COLOR: "1" },
          encoding: "utf8",
        });
        expect(result.stderr).toBe(
          "linkman: error: standard output: ENOSPC; nothing more was done\n",
        );
        expect(result.status).toBe(1);
      } finally {
        closeSync(full);
      }
    },
  );
});
