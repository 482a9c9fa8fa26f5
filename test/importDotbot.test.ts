import { spawnSync } from "node:child_process";
import {
  existsSync,
  lstatSync,
  readFileSync,
  readlinkSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { convertDotbot, whenFromShell, type Imported } from "../src/import/dotbot.js";
import { onWindows } from "./helpers/systems.js";
import { makeWorld, ops, type World } from "./helpers/world.js";
import type { Tree } from "./helpers/tree.js";

/** Converts a dotbot config; it must convert. */
function convert(config: string): Imported & { parsed: Record<string, unknown> } {
  const result = convertDotbot("/dots/install.conf.yaml", config);
  if (!result.ok) throw new Error(result.errors.map((e) => `${e.line}: ${e.message}`).join("\n"));
  return { ...result.value, parsed: parse(result.value.manifest) as Record<string, unknown> };
}

/** The notes as `line: message`. */
const noted = (imported: Imported) => imported.notes.map((n) => `${n.line ?? "-"}: ${n.message}`);

/** The errors of a config that must not convert, as `line: message`. */
function refused(config: string): string[] {
  const result = convertDotbot("/dots/install.conf.yaml", config);
  if (result.ok) throw new Error("expected the import to refuse the config");
  return result.errors.map((e) => `${e.line}: ${e.message}`);
}

/** A world whose `links.yaml` is the import of `config`, with `dots` and `home` added. */
async function imported(config: string, extra: { home?: Tree; dots?: Tree } = {}): Promise<World> {
  const w = await makeWorld("version: 1\n", extra);
  writeFileSync(w.manifest, convert(config).manifest);
  return w;
}

const readLink = (w: World, rel: string) => readlinkSync(path.join(w.home, rel));

describe.skipIf(onWindows)("linkman import dotbot, applied into a home as dotbot would", () => {
  it("links the base directory itself for an empty path", async () => {
    const w = await imported("- link:\n    ~/.dotfiles: ''\n    ~/.vimrc: vim/vimrc\n");
    expect((await w.apply()).refused).toBe(false);
    expect(readLink(w, ".dotfiles")).toBe(w.dots);
  });

  it("makes the link to a target that is not there yet for ignore-missing", async () => {
    const w = await imported(
      "- link:\n    ~/.later:\n      path: later\n      ignore-missing: true\n",
    );
    expect((await w.apply()).refused).toBe(false);
    expect(readLink(w, ".later")).toBe(path.join(w.dots, "later"));
  });

  it("moves a file in the way to a backup for backup: true", async () => {
    const w = await imported(
      "- link:\n    ~/.vimrc:\n      path: vim/vimrc\n      backup: true\n",
      {
        home: { ".vimrc": "mine" },
      },
    );
    expect((await w.apply()).refused).toBe(false);
    expect(readLink(w, ".vimrc")).toBe(path.join(w.dots, "vim/vimrc"));
    expect(readFileSync(path.join(w.home, ".vimrc.linkman-backup"), "utf8")).toBe("mine");
  });

  it("does not create a missing parent unless create: true, as dotbot does not", async () => {
    const w = await imported(
      "- link:\n    ~/.config/a/vimrc: vim/vimrc\n    ~/.config/b/vimrc:\n      path: vim/vimrc\n      create: true\n",
    );
    expect(ops(await w.plan(), w.home)).toEqual([
      "error .config/a/vimrc",
      "create .config/b/vimrc",
    ]);
  });

  it("skips an entry whose defaults' if names another system, and links it where it holds", async () => {
    const config =
      "- defaults:\n    link:\n      if: '[ \"$(uname)\" = Darwin ]'\n- link:\n    ~/.vimrc: vim/vimrc\n";
    const w = await imported(config);
    expect(ops(await w.plan({ platform: "linux" }), w.home)).toEqual(["skip(condition) .vimrc"]);
    expect(ops(await w.plan({ platform: "darwin" }), w.home)).toEqual(["create .vimrc"]);
  });

  it("applies each defaults to the link directives after it, replacing the one before", async () => {
    const config = `- link:
    ~/.before: vim/vimrc
- defaults:
    link:
      relative: true
      create: true
- link:
    ~/.a/relative: vim/vimrc
- defaults:
    link:
      create: true
- link:
    ~/.b/absolute: vim/vimrc
`;
    const w = await imported(config);
    expect((await w.apply()).refused).toBe(false);
    expect(readLink(w, ".before")).toBe(path.join(w.dots, "vim/vimrc"));
    expect(readLink(w, ".a/relative")).toBe(
      path.relative(path.join(w.home, ".a"), path.join(w.dots, "vim/vimrc")),
    );
    expect(readLink(w, ".b/absolute")).toBe(path.join(w.dots, "vim/vimrc"));
  });

  it("links what dotbot's glob matches: files and directories, but no name starting with a dot", async () => {
    const w = await imported(
      "- link:\n    ~/.config/:\n      glob: true\n      create: true\n      path: config/*\n",
      {
        dots: { config: { "starship.toml": "s", ".hidden": "h", nvim: { "init.lua": "n" } } },
      },
    );
    expect((await w.apply()).refused).toBe(false);
    expect(readLink(w, ".config/starship.toml")).toBe(path.join(w.dots, "config/starship.toml"));
    expect(readLink(w, ".config/nvim")).toBe(path.join(w.dots, "config/nvim"));
    expect(existsSync(path.join(w.home, ".config/.hidden"))).toBe(false);
  });

  it("links only files for a ** glob, leaving out dot names, and leaves out what exclude names", async () => {
    const w = await imported(
      "- link:\n    ~/:\n      glob: true\n      create: true\n      path: home/**\n      exclude: [home/private]\n",
      { dots: { home: { a: { b: "b" }, ".dot": "d", private: "p" } } },
    );
    expect((await w.apply()).refused).toBe(false);
    expect(lstatSync(path.join(w.home, "a")).isDirectory()).toBe(true);
    expect(readLink(w, "a/b")).toBe(path.join(w.dots, "home/a/b"));
    expect(existsSync(path.join(w.home, ".dot"))).toBe(false);
    expect(existsSync(path.join(w.home, "private"))).toBe(false);
  });

  it("puts dotbot's prefix before each glob match's name, and links a file added later", async () => {
    // dotbot: `~/: { glob: true, path: conf/*, prefix: "." }` links ~/.a → conf/a for each match.
    const config = "- link:\n    ~/:\n      glob: true\n      path: conf/*\n      prefix: '.'\n";
    const w = await imported(config, { dots: { conf: { a: "apple", b: "banana", c: "cherry" } } });
    expect((await w.apply()).refused).toBe(false);
    for (const name of ["a", "b", "c"]) {
      expect(readLink(w, `.${name}`)).toBe(path.join(w.dots, "conf", name));
    }
    writeFileSync(path.join(w.dots, "conf/d"), "date");
    expect(ops(await w.plan(), w.home)).toContain("create .d");
  });

  it("puts the prefix before the first segment of a ** match, as dotbot does", async () => {
    const config =
      "- link:\n    ~/:\n      glob: true\n      create: true\n      path: conf/**\n      prefix: '.'\n";
    const w = await imported(config, { dots: { conf: { vim: { vimrc: "v" } } } });
    expect((await w.apply()).refused).toBe(false);
    expect(readLink(w, ".vim/vimrc")).toBe(path.join(w.dots, "conf/vim/vimrc"));
  });

  it("makes each directory create lists, nested ones with their parents, and a second apply changes nothing", async () => {
    // dotbot: `create: [~/downloads, ~/a/b/c]` makes them with os.makedirs; an existing one is fine.
    const w = await imported("- create:\n  - ~/downloads\n  - ~/a/b/c\n  - ~/there\n", {
      home: { there: {} },
    });
    const first = await w.cli("apply");
    expect(first.code).toBe(0);
    for (const rel of ["downloads", "a/b/c", "there"]) {
      expect(lstatSync(path.join(w.home, rel)).isDirectory(), rel).toBe(true);
    }
    expect((await w.cli("apply")).stdout).toContain("Applied: 0 created");
  });

  it("removes with the noted prune command the dead links clean would, and keeps the ones it keeps", async () => {
    // dotbot: `clean: ['~']` removes dead links in ~ that lead into the dotfiles directory,
    // not those in subdirectories, not those that lead elsewhere.
    const result = convert("- clean: ['~']\n");
    const command = /run `linkman (prune[^`]*)`/.exec(noted(result).join("\n"))?.[1];
    expect(command).toBe("prune --dead-links-in ~");
    const w = await imported("- clean: ['~']\n", { home: { sub: {} } });
    symlinkSync(path.join(w.dots, "gone"), path.join(w.home, ".gone"));
    symlinkSync(path.join(w.dots, "gone"), path.join(w.home, "sub/.gone"));
    symlinkSync(path.join(w.root, "nowhere"), path.join(w.home, ".elsewhere"));
    expect((await w.cli(...(command ?? "").split(" "))).code).toBe(0);
    const linkThere = (rel: string) => lstatSync(path.join(w.home, rel), { throwIfNoEntry: false });
    expect(linkThere(".gone")).toBeUndefined();
    expect(linkThere("sub/.gone")?.isSymbolicLink()).toBe(true);
    expect(linkThere(".elsewhere")?.isSymbolicLink()).toBe(true);
  });

  it("links a command's config only where the command is on PATH", async () => {
    const w = await imported(
      "- link:\n    ~/.vimrc:\n      path: vim/vimrc\n      if: command -v nvim >/dev/null 2>&1\n",
    );
    expect(parse(readFileSync(w.manifest, "utf8")).links[0].when).toEqual({ command: ["nvim"] });
    expect(ops(await w.plan(), w.home)).toEqual(["skip(condition) .vimrc"]);
  });
});

describe("linkman import dotbot: what it converts", () => {
  it("writes mkdirs: false where dotbot would not create parents, and true where create: true", () => {
    const { parsed } = convert(
      "- link:\n    ~/.a: a\n    ~/.b: b\n    ~/.c:\n      path: c\n      create: true\n",
    );
    expect(parsed).toEqual({
      version: 1,
      defaults: { mkdirs: false },
      links: [
        { link: "~/.a", target: "a" },
        { link: "~/.b", target: "b" },
        { link: "~/.c", target: "c", mkdirs: true },
      ],
    });
  });

  it("converts backup: true under defaults to onConflict: backup", () => {
    const { parsed } = convert(
      "- defaults:\n    link:\n      backup: true\n      create: true\n- link:\n    ~/.a: a\n",
    );
    expect(parsed).toEqual({
      version: 1,
      defaults: { onConflict: "backup" },
      links: [{ link: "~/.a", target: "a" }],
    });
  });

  it("notes each option it does not convert, with its line, once for defaults", () => {
    const config = `- defaults:
    link:
      canonicalize: true
      exclude: [x]
      prefix: '.'
      create: true
- link:
    ~/.a: a
    ~/.b:
      path: b
      type: junction
    ~/.c: c
`;
    const result = convert(config);
    expect(result.parsed.links).toEqual([
      { link: "~/.a", target: "a" },
      { link: "~/.c", target: "c" },
    ]);
    const notes = noted(result);
    expect(
      notes.filter((n) => n.startsWith("3: `canonicalize: true` is not converted")),
    ).toHaveLength(1);
    expect(notes).toContain(
      "4: `exclude` only applies to a glob, so dotbot ignores it here, and so does this import",
    );
    expect(notes).toContain(
      "5: `prefix` only applies to a glob, so dotbot ignores it here, and so does this import",
    );
    expect(notes).toContainEqual(
      expect.stringMatching(/^9: `~\/.b` was left out: its `type: junction`/),
    );
  });

  it("writes rename.prefix for a prefixed glob, so one entry picks up files added later", () => {
    const result = convert(
      "- link:\n    ~/:\n      glob: true\n      path: x/*\n      prefix: '.'\n",
    );
    expect(result.parsed.links).toEqual([
      { link: "~/", target: "x/*", exclude: [".*"], rename: { prefix: "." } },
      { link: "~/", target: "x/*/", exclude: [".*"], rename: { prefix: "." } },
    ]);
    expect(noted(result).join("\n")).not.toMatch(/prefix/);
  });

  it("leaves out a glob whose prefix holds a path separator, with a note", () => {
    const result = convert(
      "- link:\n    ~/:\n      glob: true\n      path: x/*\n      prefix: 'a/'\n",
    );
    expect(result.parsed.links).toEqual([]);
    expect(noted(result)).toContainEqual(
      expect.stringMatching(/^2: `~\/` was left out: its `prefix: a\/` holds a path separator/),
    );
  });

  it("leaves out entries whose if has no when: equivalent, quoting the command so it reads", () => {
    const config =
      "- defaults:\n    link:\n      if: '[ `hostname` = work ]'\n- link:\n    ~/.a: a\n    ~/.b:\n      path: b\n      if: which git\n";
    const result = convert(config);
    expect(result.parsed.links).toEqual([
      { link: "~/.b", target: "b", when: { command: ["git"] } },
    ]);
    expect(noted(result)).toContain(
      "5: `~/.a` was left out: its `if` (from the defaults at line 3) runs a shell command, '[ `hostname` = work ]', that has no `when:` equivalent; rewrite it as `when:` (os, arch, host, profile, env, command)",
    );
  });

  it("takes the last of repeated keys, as dotbot's YAML reader does, and says so with both lines", () => {
    const result = convert("- link:\n    ~/.a: first\n    ~/.b: b\n    ~/.a: second\n");
    expect(result.parsed.links).toEqual([
      { link: "~/.a", target: "second" },
      { link: "~/.b", target: "b" },
    ]);
    expect(noted(result)).toContainEqual(
      expect.stringMatching(/^4: `~\/.a` is set again \(first at line 2\)/),
    );
  });

  it("refuses a list under link:, at its line", () => {
    expect(refused("- shell: []\n- link:\n  - ~/.vimrc: vimrc\n")).toEqual([
      expect.stringMatching(/^2: `link:` must be a map of `link path: target`, not a list/),
    ]);
    expect(refused("- link: [ {~/.vimrc: vimrc} ]\n")).toHaveLength(1);
  });

  it("says once that link: is empty when the entries are beside it, not under it", () => {
    const errors = refused("- link:\n  ~/.vimrc: vimrc\n  ~/.zshrc: zshrc\n");
    expect(errors).toEqual([
      "1: `link:` is empty, and the 2 keys beside it (`~/.vimrc`, `~/.zshrc`) look like its entries: indent them under `link:` (dotbot fails here too)",
    ]);
  });

  it("converts create, as a list or a map, into directories, and notes a mode", () => {
    const result = convert(
      "- create: [~/downloads, ~/.vim/undo]\n- create:\n    ~/.ssh:\n      mode: 0700\n    ~/tmp:\n",
    );
    expect(result.parsed.directories).toEqual(["~/downloads", "~/.vim/undo", "~/.ssh", "~/tmp"]);
    expect(noted(result)).toContainEqual(
      expect.stringMatching(/^3: `~\/.ssh`: its `mode` is not converted/),
    );
  });

  it("notes for clean the exact prune command, grouping recursive directories, and that force is not converted", () => {
    const notes = noted(
      convert(
        "- defaults:\n    clean:\n      recursive: true\n- clean:\n    ~/: { recursive: false }\n    ~/.config:\n    '~/my files': { force: true }\n",
      ),
    );
    expect(notes).toContainEqual(
      "4: `clean` is not a manifest key: run `linkman prune --dead-links-in ~/` and `linkman prune --dead-links-in ~/.config --dead-links-in '~/my files' --recursive` after `linkman apply` to remove the dead links there that lead into the dotfiles directory; `force: true` (`~/my files`) is not converted: linkman never removes a dead link that leads elsewhere",
    );
  });

  it("emits a files entry and a directories entry for a * glob, both leaving out dot names", () => {
    const result = convert(
      "- link:\n    ~/.config/:\n      glob: true\n      path: config/*\n      exclude: [config/private]\n",
    );
    expect(result.parsed.links).toEqual([
      { link: "~/.config/", target: "config/*", exclude: ["private", ".*"] },
      { link: "~/.config/", target: "config/*/", exclude: ["private", ".*"] },
    ]);
  });
});

describe("dotbot's if: idioms → when", () => {
  it.each([
    ['[ "$(uname)" = Darwin ]', { os: ["darwin"] }],
    ["[ `uname` = Linux ]", { os: ["linux"] }],
    ['[ "$(uname -s)" == "Linux" ]', { os: ["linux"] }],
    ['[[ "$OSTYPE" == darwin* ]]', { os: ["darwin"] }],
    ["[[ $OSTYPE == linux-gnu* ]]", { os: ["linux"] }],
    ["uname -s | grep -q Darwin", { os: ["darwin"] }],
    ['test "$(uname -s)" = "Linux"', { os: ["linux"] }],
    ["command -v nvim", { command: ["nvim"] }],
    ["command -v nvim >/dev/null 2>&1", { command: ["nvim"] }],
    ["which tmux > /dev/null", { command: ["tmux"] }],
    ["hash git 2>/dev/null", { command: ["git"] }],
    ["type zsh &>/dev/null", { command: ["zsh"] }],
    ['[ "$(uname)" = Darwin ] && command -v brew', { os: ["darwin"], command: ["brew"] }],
  ])("%s", (command, when) => {
    expect(whenFromShell(command)).toEqual(when);
  });

  it.each([
    "[ -f /etc/arch-release ]",
    '[ "$(uname)" != Darwin ]',
    "[ `uname` = Plan9 ]",
    "command -v nvim || true",
    "grep -q microsoft /proc/version",
    "[ `uname` = Linux ] && [ `uname` = Darwin ]",
  ])("has no when for %s", (command) => {
    expect(whenFromShell(command)).toBeUndefined();
  });
});

describe.skipIf(onWindows)("linkman import dotbot FILE reads with a bound", () => {
  it.each([
    ["a FIFO", "fifo"],
    ["a device", "/dev/zero"],
    ["a huge file", "huge.yaml"],
    ["a directory", "."],
    ["a missing file", "nope.yaml"],
  ])("refuses %s with a clear message and exit 2", async (_what, name) => {
    const w = await makeWorld("version: 1\n");
    spawnSync("mkfifo", [path.join(w.dots, "fifo")]);
    writeFileSync(path.join(w.dots, "huge.yaml"), "#".repeat(5 * 1024 * 1024));
    const run = await w.cli("import", "dotbot", name);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /cannot read .*: (it is not a regular file|it is larger than|no such file)/,
    );
  });
});

describe.skipIf(onWindows)("where linkman deliberately differs from dotbot", () => {
  it("moves a file in the way to a backup for force: true, where dotbot deletes it", async () => {
    const w = await imported("- link:\n    ~/.vimrc:\n      path: vim/vimrc\n      force: true\n", {
      home: { ".vimrc": "mine" },
    });
    expect((await w.apply()).refused).toBe(false);
    expect(readFileSync(path.join(w.home, ".vimrc.linkman-backup"), "utf8")).toBe("mine");
  });

  it("runs no shell command, where dotbot runs shell: and if:", async () => {
    const config =
      "- shell:\n  - touch ran\n- link:\n    ~/.vimrc:\n      path: vim/vimrc\n      if: touch ran-too\n";
    const w = await imported(config);
    expect((await w.apply()).refused).toBe(false);
    expect([
      existsSync(path.join(w.dots, "ran")),
      existsSync(path.join(w.dots, "ran-too")),
    ]).toEqual([false, false]);
  });

  it("changes nothing when one entry's target is missing, where dotbot links the others", async () => {
    const w = await imported("- link:\n    ~/.vimrc: vim/vimrc\n    ~/.gone: gone\n");
    expect((await w.apply()).refused).toBe(true);
    expect(existsSync(path.join(w.home, ".vimrc"))).toBe(false);
  });

  it("refuses an unset variable, where dotbot keeps $NAME as written", async () => {
    const w = await imported("- link:\n    ~/.vimrc: $UNSET_DOTS/vimrc\n");
    await expect(w.plan()).rejects.toThrow(/UNSET_DOTS/);
  });

  it("replaces a symlink that points elsewhere without relink: true, where dotbot stops", async () => {
    const w = await imported("- link:\n    ~/.vimrc: vim/vimrc\n", {
      home: { ".vimrc": { symlink: "/elsewhere" } },
    });
    expect(ops(await w.plan(), w.home)).toEqual(["replace .vimrc"]);
  });
});
