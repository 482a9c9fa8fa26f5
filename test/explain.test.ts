import { symlink } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { RULE_TEXT } from "../src/engine/rules.js";
import { makeWorld } from "./helpers/world.js";

describe("explaining decisions", () => {
  it("has words for every rule of the decision table", () => {
    for (const text of Object.values(RULE_TEXT)) expect(text.length).toBeGreaterThan(20);
  });

  it("plan --verbose says why each action is what it is", async () => {
    const w = await makeWorld("version: 1\nlinks:\n  ~/a: vim/vimrc\n  ~/b: vim/vimrc\n", {
      home: { b: "mine" },
    });
    const run = await w.cli("plan", "--verbose");
    expect(run.stdout).toContain(
      `+ create   ~/a → vim/vimrc\n    why: ${RULE_TEXT["nothing-there"]}`,
    );
    expect(run.stdout).toContain(`    why: ${RULE_TEXT["in-the-way"]}`);
  });

  it("explain shows one link's entry, what is there, the decision and why", async () => {
    const w = await makeWorld("version: 1\nlinks:\n  - link: ~/.vimrc\n    target: vim/vimrc\n", {
      home: { ".vimrc": { symlink: "/old" } },
    });
    const run = await w.cli("explain", "~/.vimrc");
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(
      [
        "link      ~/.vimrc",
        "entry     links.yaml:3:5 (links[0])",
        "wants     a symlink to vim/vimrc (file)",
        "options   relative: false, mkdirs: true, onConflict: fail, ifMissing: error, fallback: none",
        "found     a symlink to /old",
        "decision  replace: replaces a symlink to /old",
        `why       ${RULE_TEXT["link-elsewhere"]}`,
        "",
      ].join("\n"),
    );
  });

  it("explains as JSON, and exits 1 for a conflict", async () => {
    const w = await makeWorld("version: 1\nlinks:\n  ~/.vimrc: vim/vimrc\n", {
      home: { ".vimrc": "mine" },
    });
    const run = await w.cli("explain", path.join("~", ".vimrc"), "--json");
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toMatchObject({
      link: path.join(w.home, ".vimrc"),
      desired: { kind: "symlink", target: path.join(w.dots, "vim/vimrc") },
      action: { op: "conflict", rule: "in-the-way", found: { type: "file" } },
      why: expect.stringContaining("onConflict"),
    });
  });

  it("refuses a path no entry links, with exit 2", async () => {
    const w = await makeWorld("version: 1\nlinks:\n  ~/.vimrc: vim/vimrc\n");
    const run = await w.cli("explain", "~/.bashrc");
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("~/.bashrc is not the link of any entry");
  });

  it("explains a path that `directories` lists: the entry, what is there and the decision", async () => {
    const w = await makeWorld(
      "version: 1\ndirectories:\n  - ~/.vim/undo\nlinks:\n  ~/.vimrc: vim/vimrc\n",
    );
    const run = await w.cli("explain", "~/.vim/undo");
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(
      [
        "path      ~/.vim/undo",
        "entry     links.yaml:3:5 (directories[0])",
        "wants     a directory",
        "found     nothing",
        "decision  mkdir",
        `why       ${RULE_TEXT["directory-missing"]}`,
        "",
      ].join("\n"),
    );
  });

  it("explains a listed directory in the way as a conflict, exit 1, in JSON too", async () => {
    const w = await makeWorld("version: 1\ndirectories:\n  - ~/.cache/vim\n", {
      home: { ".cache": { vim: "a file" } },
    });
    const run = await w.cli("explain", "~/.cache/vim", "--json");
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toMatchObject({
      link: path.join(w.home, ".cache", "vim"),
      desired: { kind: "directory", target: path.join(w.home, ".cache", "vim") },
      action: { op: "conflict", rule: "directory-in-the-way", found: { type: "file" } },
      why: RULE_TEXT["directory-in-the-way"],
    });
  });

  it("explains a link below a folded directory link, not that link's unfold", async () => {
    const w = await makeWorld(
      "version: 1\nlinks:\n  - link: ~/.config/nvim\n    target: config/nvim\n    onConflict: backup\n",
      { dots: { config: { nvim: { "init.lua": "x" } } } },
    );
    await symlink(path.join(w.dots, "config"), path.join(w.home, ".config"));
    const run = await w.cli("explain", "~/.config/nvim", "--json");
    expect(JSON.parse(run.stdout)).toMatchObject({
      link: path.join(w.home, ".config", "nvim"),
      action: { op: "create", link: path.join(w.home, ".config", "nvim") },
    });
  });

  it("explains a link already there but not linkman's as plan does: taken over", async () => {
    const w = await makeWorld("version: 1\nlinks:\n  ~/.vimrc: vim/vimrc\n  ~/.b: vim/vimrc\n");
    await symlink(path.join(w.dots, "vim/vimrc"), path.join(w.home, ".vimrc"));
    const run = await w.cli("explain", "~/.vimrc", "--json");
    expect(JSON.parse(run.stdout)).toMatchObject({ action: { op: "skip", rule: "take-over" } });
    expect((await w.cli("apply")).code).toBe(0);
    const after = await w.cli("explain", "~/.vimrc", "--json");
    expect(JSON.parse(after.stdout)).toMatchObject({
      action: { op: "skip", rule: "desired-link" },
    });
  });
});
