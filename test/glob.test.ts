import path from "node:path";
import { describe, expect, it } from "vitest";
import { NodeFileSystem } from "../src/fs/nodeFileSystem.js";
import { expandGlob, parseGlob } from "../src/resolve/glob.js";
import { makeTree, type Tree } from "./helpers/tree.js";

const fs = new NodeFileSystem();

async function matches(
  pattern: string,
  exclude: string[] = [],
  tree: Tree = dotfiles,
  platform = "linux",
) {
  const root = await makeTree(tree);
  const glob = parseGlob(path.join(root, pattern) + (pattern.endsWith("/") ? "/" : ""));
  if (!glob) throw new Error(`${pattern} is not a glob`);
  return (await expandGlob(fs, glob, exclude, platform)).map(
    (m) => `${m.relative}${m.type === "directory" ? "/" : ""}`,
  );
}

const dotfiles: Tree = {
  home: {
    ".zshrc": "z",
    ".config": {
      git: { config: "g", ignore: "i" },
      nvim: { "init.lua": "n", lua: { "a.lua": "a" } },
    },
    "notes.swp": "s",
    ".git": { HEAD: "ref" },
    sub: { ".git": "gitdir: ../x" },
  },
};

describe("glob targets", () => {
  it("tells a glob from a plain path", () => {
    expect(parseGlob("/d/home/**")).toEqual({ base: "/d/home", glob: "**", directories: false });
    expect(parseGlob("/d/home/*/")).toEqual({ base: "/d/home", glob: "*", directories: true });
    expect(parseGlob("/d/vim/vimrc")).toBeUndefined();
  });

  it("matches every file below the static part, dotfiles included, sorted", async () => {
    expect(await matches("home/**")).toEqual([
      ".config/git/config",
      ".config/git/ignore",
      ".config/nvim/init.lua",
      ".config/nvim/lua/a.lua",
      ".zshrc",
      "notes.swp",
    ]);
  });

  it("never matches or enters .git, a directory or a file", async () => {
    const found = await matches("home/**");
    expect(found.some((m) => m.split("/").includes(".git"))).toBe(false);
  });

  it("matches directories, each whole, when the pattern ends in /", async () => {
    expect(await matches("home/.config/*/")).toEqual(["git/", "nvim/"]);
  });

  it("does not go deeper than a glob without ** can match", async () => {
    expect(await matches("home/*")).toEqual([".zshrc", "notes.swp"]);
  });

  it("leaves out excluded names at any depth", async () => {
    expect(await matches("home/**", ["*.swp", "*.lua"])).toEqual([
      ".config/git/config",
      ".config/git/ignore",
      ".zshrc",
    ]);
  });

  it("leaves out an excluded directory with everything in it", async () => {
    expect(await matches("home/**", [".config/nvim"])).toEqual([
      ".config/git/config",
      ".config/git/ignore",
      ".zshrc",
      "notes.swp",
    ]);
  });

  it("matches names whatever their case on Windows and macOS only, as their filesystems do", async () => {
    const tree = { home: { "Notes.SWP": "s", "init.LUA": "n", ".GIT": { HEAD: "ref" } } };
    expect(await matches("home/*.lua", ["*.swp"], tree, "linux")).toEqual([]);
    expect(await matches("home/**", ["*.swp"], tree, "linux")).toEqual([
      ".GIT/HEAD",
      "Notes.SWP",
      "init.LUA",
    ]);
    for (const platform of ["win32", "darwin"]) {
      expect(await matches("home/**", ["*.swp"], tree, platform)).toEqual(["init.LUA"]);
      expect(await matches("home/*.lua", [], tree, platform)).toEqual(["init.LUA"]);
    }
  });

  it("matches nothing, without error, when the static part does not exist", async () => {
    expect(await matches("nothere/**")).toEqual([]);
  });

  it("matches a symlink by what it points to but does not walk through it", async () => {
    const tree = {
      pkg: { real: { f: "x" }, "to-real": { symlink: "real" }, "to-f": { symlink: "real/f" } },
    };
    expect(await matches("pkg/**", [], tree)).toEqual(["real/f", "to-f"]);
    expect(await matches("pkg/*/", [], tree)).toEqual(["real/", "to-real/"]);
  });
});
