import { spawnSync } from "node:child_process";
import { existsSync, lstatSync, readdirSync, readFileSync, readlinkSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { NodeFileSystem } from "../src/fs/nodeFileSystem.js";
import { ignoreListGlob } from "../src/import/stow.js";
import { expandGlob } from "../src/resolve/glob.js";
import { linkman, type Run } from "./helpers/cli.js";
import { tempDir, writeTree, type Tree } from "./helpers/tree.js";

// `linkman import stow` against GNU Stow's documented behaviour (its manual and t/ignore.t,
// t/dotfiles.t, t/rc_options.t): each scenario imports fixture packages, applies the result
// into a temporary home and looks at the links there, link text included. Where GNU Stow is
// installed, the same fixture is stowed with `stow --no-folding` into a twin home, and the
// two homes must hold the same links with the same text.

const hasStow = spawnSync("sh", ["-c", "command -v stow"]).status === 0;

/** Every symlink below `home` (not entering `skip`), as path → link text. */
function linksIn(home: string, rel = ""): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(path.join(home, rel)).sort()) {
    const r = rel ? `${rel}/${name}` : name;
    const full = path.join(home, r);
    const stat = lstatSync(full);
    if (stat.isSymbolicLink()) out[r] = readlinkSync(full);
    else if (stat.isDirectory() && r !== "dotfiles") Object.assign(out, linksIn(home, r));
  }
  return out;
}

/** Two identical homes, each holding `dotfiles` (the stow directory) and `extra`. */
async function twinHomes(dotfiles: Tree, extra: Tree = {}) {
  const root = tempDir();
  const homes = { linkman: path.join(root, "a", "home"), stow: path.join(root, "b", "home") };
  for (const home of Object.values(homes)) await writeTree(home, { ...extra, dotfiles });
  return { root, ...homes };
}

interface Imported {
  run: Run;
  manifest: Record<string, unknown>;
  apply: () => Promise<Run>;
}

/** `linkman import stow ARGS --out links.yaml` run in `home/dotfiles`, then apply there. */
async function importStow(home: string, args: string[], cwd = "dotfiles"): Promise<Imported> {
  const dir = path.join(home, cwd);
  const out = path.join(home, "dotfiles", "links.yaml");
  const run = await linkman(["import", "stow", ...args, "--out", out], { cwd: dir, home });
  expect(run.code, run.stderr).toBe(0);
  const env = { XDG_STATE_HOME: path.join(home, "..", "state") };
  return {
    run,
    manifest: parse(readFileSync(out, "utf8")) as Record<string, unknown>,
    apply: async () => {
      const applied = await linkman(["apply"], { cwd: path.join(home, "dotfiles"), home, env });
      expect(applied.code, applied.stderr + applied.stdout).toBe(0);
      return applied;
    },
  };
}

/** `stow --no-folding ARGS` run in `home/cwd` with HOME set, as a user would. */
function stow(home: string, args: string[], cwd = "dotfiles") {
  const run = spawnSync("stow", ["--no-folding", ...args], {
    cwd: path.join(home, cwd),
    env: { ...process.env, HOME: home },
    encoding: "utf8",
  });
  expect(run.status, run.stderr).toBe(0);
}

/** The two homes hold the same links with the same link text. */
function expectSameHomes(twins: { linkman: string; stow: string }) {
  expect(linksIn(twins.linkman)).toEqual(linksIn(twins.stow));
}

const vim: Tree = {
  ".vimrc": "set nu",
  "README.md": "top readme, ignored",
  LICENSE: "ignored",
  COPYING: "ignored",
  "notes.txt~": "backup, ignored",
  ".#lock": "emacs lock, ignored",
  "#auto#": "emacs autosave, ignored",
  ".gitignore": "ignored",
  ".vim": {
    "README.md": "deeper: linked",
    "LICENSE.txt": "deeper: linked",
    colors: { "x.vim": "c", "x.vim~": "ignored" },
    CVS: { Entries: "ignored" },
  },
};

describe("import stow: the default ignore list, as Stow reads it", () => {
  it("leaves out what Stow leaves out: README, LICENSE and COPYING at the top only, backups and VCS files at any depth", async () => {
    const twins = await twinHomes({ vim });
    const imported = await importStow(twins.linkman, [".", "vim"]);
    await imported.apply();
    expect(linksIn(twins.linkman)).toEqual({
      ".vim/LICENSE.txt": "../dotfiles/vim/.vim/LICENSE.txt",
      ".vim/README.md": "../dotfiles/vim/.vim/README.md",
      ".vim/colors/x.vim": "../../dotfiles/vim/.vim/colors/x.vim",
      ".vimrc": "dotfiles/vim/.vimrc",
    });
    const entry = (imported.manifest.links as Record<string, unknown>[])[0];
    expect(entry).toMatchObject({ link: "~/", target: "vim/**" });
    expect(entry?.exclude).toEqual(expect.arrayContaining(["/README*", "/LICENSE*", "/COPYING"]));
    expect(imported.manifest.defaults).toEqual({ relative: true });
    if (hasStow) {
      stow(twins.stow, ["vim"]);
      expectSameHomes(twins);
    }
  });

  it("never links .stow-local-ignore", async () => {
    const twins = await twinHomes({
      zsh: { ".zshrc": "z", ".stow-local-ignore": "\\.zcompdump\n" },
    });
    await (await importStow(twins.linkman, [".", "zsh"])).apply();
    expect(Object.keys(linksIn(twins.linkman))).toEqual([".zshrc"]);
    if (hasStow) {
      stow(twins.stow, ["zsh"]);
      expectSameHomes(twins);
    }
  });
});

describe("import stow: ignore lists", () => {
  const local = [
    "# my ignore list",
    "\\.DS_Store",
    "^/scripts",
    "secret.*     # anything secret, at any depth",
    "cache/tmp",
    "[0-9]+\\.log",
    "",
  ].join("\n");
  const pkg: Tree = {
    ".stow-local-ignore": local,
    "README.md": "linked: a local list replaces the default list",
    ".DS_Store": "x",
    ".bashrc": "b",
    scripts: { "run.sh": "r" },
    ".config": {
      scripts: { "keep.sh": "linked: only /scripts at the top is ignored" },
      "secret.env": "x",
      ".DS_Store": "x",
      "app.log": "linked",
      "12.log": "ignored by the regex",
      cache: { tmp: { t: "ignored" }, keep: "linked" },
    },
  };

  it("reads .stow-local-ignore as Stow does: it replaces the default list, a regex with / matches the path, one without matches the name", async () => {
    const twins = await twinHomes({ bash: pkg });
    const imported = await importStow(twins.linkman, [".", "bash"]);
    await imported.apply();
    expect(Object.keys(linksIn(twins.linkman))).toEqual([
      ".bashrc",
      ".config/app.log",
      ".config/cache/keep",
      ".config/scripts/keep.sh",
      "README.md",
    ]);
    const entry = (imported.manifest.links as Record<string, unknown>[])[0];
    // Exact translations stay rules, so files added later are left out too; the regex that
    // has no glob equivalent became the list of what it excludes today.
    expect(entry?.exclude).toEqual([
      ".DS_Store",
      "/scripts",
      "secret*",
      "**/cache/tmp",
      "/.config/12.log",
      "/.stow-local-ignore",
    ]);
    expect(imported.run.stderr).toMatch(
      /bash\/\.stow-local-ignore line 6: `\[0-9\]\+\\\.log`.*snapshot/,
    );
    expect(imported.run.stderr).toMatch(
      /bash\/\.stow-local-ignore line 2: `\\\.DS_Store` → exclude `\.DS_Store`/,
    );
    if (hasStow) {
      stow(twins.stow, ["bash"]);
      expectSameHomes(twins);
    }
  });

  it("uses ~/.stow-global-ignore when a package has no local list", async () => {
    const twins = await twinHomes(
      { tmux: { ".tmux.conf": "t", "notes.md": "ignored", "README.md": "linked" } },
      { ".stow-global-ignore": "notes\\.md\n" },
    );
    const imported = await importStow(twins.linkman, [".", "tmux"]);
    await imported.apply();
    expect(Object.keys(linksIn(twins.linkman))).toEqual([".tmux.conf", "README.md"]);
    expect(imported.run.stderr).toContain(".stow-global-ignore line 1");
    if (hasStow) {
      stow(twins.stow, ["tmux"]);
      expectSameHomes(twins);
    }
  });

  it("refuses an ignore regex it cannot read, naming the file and line", async () => {
    const twins = await twinHomes({ x: { ".stow-local-ignore": "ok\n(unclosed\n", f: "f" } });
    const run = await linkman(["import", "stow", ".", "x"], {
      cwd: path.join(twins.linkman, "dotfiles"),
      home: twins.linkman,
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/x\/\.stow-local-ignore:2.*\(unclosed/);
  });

  it.each(["(a|aa)*b", "((a+))+x"])(
    "refuses %s, a repeated group that could take exponential time on a long name, at its line",
    async (regex) => {
      const twins = await twinHomes({ x: { ".stow-local-ignore": `ok\n${regex}\n`, f: "f" } });
      const run = await linkman(["import", "stow", ".", "x"], {
        cwd: path.join(twins.linkman, "dotfiles"),
        home: twins.linkman,
      });
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/x\/\.stow-local-ignore:2.*exponential/);
    },
  );
});

describe("import stow: .stowrc", () => {
  it("reads --ignore, --target and --dotfiles from .stowrc in the current directory and the home, and notes what it does not use", async () => {
    const twins = await twinHomes(
      {
        ".stowrc": "--target=~/target\n--ignore=\\.orig\n",
        git: { "dot-gitconfig": "g", "dot-gitconfig.orig": "ignored", "x.orig": "ignored" },
      },
      { ".stowrc": "--dotfiles --verbose=2\n", target: {} },
    );
    const imported = await importStow(twins.linkman, [".", "git"]);
    await imported.apply();
    expect(linksIn(path.join(twins.linkman, "target"))).toEqual({
      ".gitconfig": "../dotfiles/git/dot-gitconfig",
    });
    expect(imported.run.stderr).toMatch(/\.stowrc line 1: `--verbose=2` is not used/);
    if (hasStow) {
      stow(twins.stow, ["git"]);
      expectSameHomes(twins);
    }
  });

  it("says so when the stow directory holds a .stowrc that Stow would not read from here", async () => {
    const twins = await twinHomes({ ".stowrc": "--dotfiles\n", git: { "dot-gitconfig": "g" } });
    const run = await linkman(["import", "stow", "dotfiles", "git"], {
      cwd: twins.linkman,
      home: twins.linkman,
    });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain(
      ".stowrc: is not read: Stow reads .stowrc from the current directory",
    );
    expect(parse(run.stdout)).not.toHaveProperty("links.0.rename");
  });
});

describe("import stow --dotfiles", () => {
  it("writes one glob entry per package that renames as Stow 2.4 does, so files added later are linked too", async () => {
    const twins = await twinHomes({
      zsh: {
        "dot-zshrc": "z",
        "dot-": "stays",
        "dot-.x": "stays",
        "foo[1].conf": "not a glob",
        "$HOME.txt": "not a variable",
        "dot-config": { "dot-zsh": { aliases: "a" } },
      },
    });
    const imported = await importStow(twins.linkman, [".", "zsh", "--dotfiles"]);
    expect(imported.manifest.links).toEqual([
      expect.objectContaining({ link: "~/", target: "zsh/**", rename: { dotPrefix: true } }),
    ]);
    await imported.apply();
    expect(Object.keys(linksIn(twins.linkman))).toEqual([
      "$HOME.txt",
      ".config/.zsh/aliases",
      ".zshrc",
      "dot-",
      "dot-.x",
      "foo[1].conf",
    ]);
    await writeFile(path.join(twins.linkman, "dotfiles/zsh/dot-zprofile"), "later");
    await imported.apply();
    expect(linksIn(twins.linkman)[".zprofile"]).toBe("dotfiles/zsh/dot-zprofile");
    // Debian's Stow 2.3.1 renames dot-.x to ..x and folds dot- directories even with
    // --no-folding; 2.4 does neither, so only what both versions agree on is compared.
    if (hasStow) {
      const plain = await twinHomes({ zsh: { "dot-zshrc": "z", "dot-": "s", "foo[1].conf": "f" } });
      await (await importStow(plain.linkman, [".", "zsh", "--dotfiles"])).apply();
      stow(plain.stow, ["--dotfiles", "zsh"]);
      expectSameHomes(plain);
    }
  });
});

describe("import stow: a package that is the stow directory itself (stow .)", () => {
  it("never links the manifest it is saved as", async () => {
    const twins = await twinHomes({ ".bashrc": "b", "README.md": "r", ".config": { a: "a" } });
    const imported = await importStow(twins.linkman, [".", "."]);
    const entry = (imported.manifest.links as Record<string, unknown>[])[0];
    expect(entry?.exclude).toEqual(expect.arrayContaining(["/links.yaml", "/linkman.yaml"]));
    await imported.apply();
    expect(existsSync(path.join(twins.linkman, "links.yaml"))).toBe(false);
    expect(Object.keys(linksIn(twins.linkman))).toEqual([".bashrc", ".config/a"]);
    if (hasStow) {
      stow(twins.stow, ["."]);
      expectSameHomes(twins);
    }
  });
});

describe("import stow: a repository laid out as many are", () => {
  it("gives the home stow --no-folding gives, for a stow . repository with its own ignore list and .stowrc", async () => {
    const twins = await twinHomes({
      ".git": { HEAD: "ref", objects: { ab: "x" } },
      ".gitignore": "*.swp",
      ".stowrc": "--target=~ --ignore=\\.swp\n",
      ".stow-local-ignore": [
        "\\.git",
        "\\.gitignore",
        "^/README.*",
        "install.sh",
        ".*\\.md",
        "^/\\.stowrc",
      ].join("\n"),
      "README.md": "r",
      "install.sh": "#!/bin/sh",
      ".zshrc": "z",
      ".zshrc.swp": "swap",
      ".config": {
        nvim: { "init.lua": "n", "notes.md": "md", lua: { "plugins.lua": "p" } },
        git: { config: "g" },
      },
      ".local": { bin: { tool: "#!/bin/sh" } },
    });
    const imported = await importStow(twins.linkman, [".", "."]);
    await imported.apply();
    expect(Object.keys(linksIn(twins.linkman))).toEqual([
      ".config/git/config",
      ".config/nvim/init.lua",
      ".config/nvim/lua/plugins.lua",
      ".local/bin/tool",
      ".zshrc",
    ]);
    if (hasStow) {
      stow(twins.stow, ["."]);
      expectSameHomes(twins);
    }
  });

  it("gives the home stow --no-folding gives for several packages at once, a dot- name kept as it is without --dotfiles", async () => {
    const twins = await twinHomes({
      vim: { ".vimrc": "v", ".vim": { after: { "x.vim": "x" } } },
      zsh: { ".zshrc": "z", "dot-zprofile": "kept", ".zsh": { "a.zsh": "a" } },
      git: { ".gitconfig": "g", ".config": { git: { ignore: "i" } } },
    });
    await (await importStow(twins.linkman, [".", "vim", "zsh", "git"])).apply();
    expect(Object.keys(linksIn(twins.linkman))).toContain("dot-zprofile");
    if (hasStow) {
      stow(twins.stow, ["vim", "zsh", "git"]);
      expectSameHomes(twins);
    }
  });
});

describe("import stow: symlinks inside a package", () => {
  it("links the symlink itself, as Stow does: dangling, to a directory, or to a file in the package", async () => {
    const twins = await twinHomes({
      sh: {
        ".profile": "p",
        ".bashrc": { symlink: ".profile" },
        ".dangling": { symlink: "nowhere" },
        lib: { "x.sh": "x" },
        ".lib": { symlink: "lib" },
      },
    });
    const imported = await importStow(twins.linkman, [".", "sh"]);
    await imported.apply();
    expect(linksIn(twins.linkman)).toEqual({
      ".bashrc": "dotfiles/sh/.bashrc",
      ".dangling": "dotfiles/sh/.dangling",
      ".lib": "dotfiles/sh/.lib",
      ".profile": "dotfiles/sh/.profile",
      "lib/x.sh": "../dotfiles/sh/lib/x.sh",
    });
    expect(imported.run.stderr).toContain("symlink");
    if (hasStow) {
      stow(twins.stow, ["sh"]);
      expectSameHomes(twins);
    }
  });
});

describe("an ignore regex becomes an exclude glob only where the two leave out the same paths", () => {
  const tree: Tree = {
    "README.md": "r",
    README: "r",
    "a.log": "l",
    ".a.log~": "b",
    "#x#": "e",
    ".#lock": "e",
    "ab,v": "v",
    scripts: { "run.sh": "s", README: "r", sub: { "a.log": "l" } },
    ".config": { "a.log": "l", scripts: { "x.sh": "x" }, "cache~": { f: "f" } },
    cache: { tmp: { t: "t" }, tmpx: "t" },
    "x.log.bak": "b",
  };
  /** What Stow leaves out for one regex: each name or `/path` checked, ignored directories not entered. */
  function stowIgnores(regex: string, root: Tree, rel = ""): string[] {
    const re = regex.includes("/")
      ? new RegExp(`(?:^|/)(?:${regex})(?:/|$)`)
      : new RegExp(`^(?:${regex})$`);
    const out: string[] = [];
    for (const [name, value] of Object.entries(root)) {
      const r = rel ? `${rel}/${name}` : name;
      if (re.test(regex.includes("/") ? `/${r}` : name)) out.push(r);
      else if (typeof value === "object") out.push(...stowIgnores(regex, value as Tree, r));
    }
    return out;
  }
  const regexes = fc
    .array(
      fc.constantFrom(
        "a",
        "b",
        "x",
        "s",
        "\\.",
        ".",
        ".*",
        ".+",
        "/",
        "^",
        "$",
        "log",
        "README",
        "scripts",
        "cache",
        "tmp",
        "~",
        "#",
        ",v",
        "\\#",
        "[ab]",
        "(x|s)",
        "?",
      ),
      { minLength: 1, maxLength: 6 },
    )
    .map((parts) => parts.join(""))
    .filter((re) => {
      try {
        new RegExp(re);
        return true;
      } catch {
        return false;
      }
    });

  it("holds for generated regexes", async () => {
    const root = tempDir();
    await writeTree(root, tree);
    const fs = new NodeFileSystem();
    const all = (
      await expandGlob(fs, { base: root, glob: "**", directories: false }, [], "linux")
    ).map((m) => m.relative);
    await fc.assert(
      fc.asyncProperty(regexes, async (regex) => {
        const glob = ignoreListGlob(regex);
        if (glob === undefined) return;
        const kept = (
          await expandGlob(fs, { base: root, glob: "**", directories: false }, [glob], "linux")
        ).map((m) => m.relative);
        const ignored = stowIgnores(regex, tree);
        const expected = all.filter((p) => !ignored.some((i) => p === i || p.startsWith(`${i}/`)));
        expect(kept, `${regex} → ${glob}`).toEqual(expected);
      }),
      { numRuns: 400 },
    );
  });

  it.each([
    ["\\.DS_Store", ".DS_Store"],
    [".+~", "?*~"],
    ["\\#.*\\#", "\\#*\\#"],
    ["^/README.*", "/README*"],
    ["cache/tmp", "**/cache/tmp"],
  ])("%s becomes %s", (regex, glob) => {
    expect(ignoreListGlob(regex.replace(/\\#/g, "#"))).toBe(glob.replace(/\\#/g, "#"));
  });

  it.each(["[0-9]+\\.log", "a|b", "^/a.b/c", "^foo/bar", "\\d+"])("%s has none", (regex) => {
    expect(ignoreListGlob(regex)).toBeUndefined();
  });
});
