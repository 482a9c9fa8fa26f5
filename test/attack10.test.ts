import { execFileSync } from "node:child_process";
import { existsSync, lstatSync, readlinkSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { writeState } from "../src/state/stateFile.js";
import { linkRecord } from "./helpers/records.js";
import { makeWorld } from "./helpers/world.js";

const token = "0123456789ab";

describe("the sweep of an interrupted run's temporaries, when the state was edited by hand", () => {
  // ~/.config leads outside the roots; the state names a link below it and a token, and a
  // file with that token's temporary name sits there: nothing outside the roots is touched.
  it("never renames a name outside the roots back into place through a symlinked directory", async () => {
    const w = await makeWorld("version: 1\nlinks:\n  ~/a: vim/vimrc\n", {
      home: { ".config": { symlink: "../outside" } },
      root: { outside: { ".nvim.linkman-0123456789ab-old": { symlink: "/somewhere" } } },
    });
    await mkdir(path.dirname(w.stateFile), { recursive: true });
    await writeState(w.fs, w.stateFile, {
      version: 2,
      manifest: w.manifest,
      links: [linkRecord(path.join(w.home, ".config", "nvim", "init.lua"))],
      directories: [],
      applying: token,
    });
    const run = await w.cli("apply");
    expect(run.stderr).not.toContain("Error");
    const outside = path.join(w.root, "outside");
    expect(readlinkSync(path.join(outside, ".nvim.linkman-0123456789ab-old"))).toBe("/somewhere");
    expect(existsSync(path.join(outside, "nvim"))).toBe(false);
  });

  it("never removes a link outside the roots beside a recorded link below a symlinked directory", async () => {
    const w = await makeWorld("version: 1\nlinks:\n  ~/a: vim/vimrc\n", {
      home: { ".config": { symlink: "../outside" } },
      root: {
        outside: {
          nvim: { ".init.lua.linkman-0123456789ab": { symlink: "/somewhere" } },
          ".nvim.linkman-0123456789ab-old": { symlink: "/somewhere" },
        },
      },
    });
    await mkdir(path.dirname(w.stateFile), { recursive: true });
    await writeState(w.fs, w.stateFile, {
      version: 2,
      manifest: w.manifest,
      links: [linkRecord(path.join(w.home, ".config", "nvim", "init.lua"))],
      directories: [],
      applying: token,
    });
    await w.cli("apply");
    const outside = path.join(w.root, "outside");
    expect(
      lstatSync(path.join(outside, "nvim", ".init.lua.linkman-0123456789ab")).isSymbolicLink(),
    ).toBe(true);
    expect(readlinkSync(path.join(outside, ".nvim.linkman-0123456789ab-old"))).toBe("/somewhere");
  });

  it("never deletes a named pipe that has a temporary's name: only links and second names of files", async () => {
    const w = await makeWorld("version: 1\nlinks:\n  ~/a: vim/vimrc\n", {
      home: { ".config": { nvim: {} } },
    });
    const pipes = [
      path.join(w.home, ".a.linkman-0123456789ab"),
      path.join(w.home, ".config", ".nvim.linkman-0123456789ab-old"),
    ];
    execFileSync("mkfifo", pipes);
    await mkdir(path.dirname(w.stateFile), { recursive: true });
    await writeState(w.fs, w.stateFile, {
      version: 2,
      manifest: w.manifest,
      links: [
        linkRecord(path.join(w.home, "a")),
        linkRecord(path.join(w.home, ".config", "nvim", "init.lua")),
      ],
      directories: [],
      applying: token,
    });
    await w.cli("apply");
    for (const pipe of pipes) expect(lstatSync(pipe).isFIFO(), pipe).toBe(true);
  });
});
