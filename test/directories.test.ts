import { existsSync, lstatSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { NodeFileSystem } from "../src/fs/nodeFileSystem.js";
import { recording } from "../src/fs/wrappers.js";
import { plan } from "../src/session/plan.js";
import { onWindows } from "./helpers/systems.js";
import { makeWorld, type World } from "./helpers/world.js";

const isDir = (w: World, rel: string) =>
  existsSync(path.join(w.home, rel)) && lstatSync(path.join(w.home, rel)).isDirectory();

/** The plan's actions as `op(reason) path` relative to home, through the CLI's JSON. */
async function planned(w: World): Promise<string[]> {
  const run = await w.cli("plan", "--json");
  const plan = JSON.parse(run.stdout) as {
    actions: { op: string; reason: string | null; link: string }[];
  };
  return plan.actions.map(
    (a) => `${a.op}${a.reason ? `(${a.reason})` : ""} ${path.relative(w.home, a.link)}`,
  );
}

describe.skipIf(onWindows)("directories: directories that must exist", () => {
  it("plans a mkdir for a listed directory that is not there, and counts it in the summary", async () => {
    const w = await makeWorld("version: 1\ndirectories:\n  - ~/.vim/undo\n");
    expect(await planned(w)).toEqual(["mkdir .vim/undo"]);
    const run = await w.cli("plan");
    expect(run.stdout).toContain("+ mkdir    ~/.vim/undo/");
    expect(run.stdout).toContain("Plan: 1 directory to make, 0 to create");
  });

  it("makes the directory and its missing parents, and a second apply is all skip", async () => {
    const w = await makeWorld(
      "version: 1\ndirectories:\n  - ~/.vim/undo\n  - { path: ~/.cache/zsh }\nlinks:\n  ~/.vimrc: vim/vimrc\n",
    );
    const run = await w.cli("apply");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("2 directories made");
    expect(isDir(w, ".vim/undo") && isDir(w, ".cache/zsh")).toBe(true);
    expect(await planned(w)).toEqual([
      "skip(up-to-date) .vim/undo",
      "skip(up-to-date) .cache/zsh",
      "skip(up-to-date) .vimrc",
    ]);
  });

  it("expands variables and ~ as in link paths, and skips a directory whose when does not hold", async () => {
    const w = await makeWorld(
      "version: 1\nvars:\n  C: ~/.config\ndirectories:\n  - ${C}/app\n  - { path: ~/mac-only, when: { os: aix } }\n",
    );
    expect(await planned(w)).toEqual(["mkdir .config/app", "skip(condition) mac-only"]);
  });

  it("is a conflict when a file or a symlink is at the path, and changes nothing", async () => {
    const w = await makeWorld("version: 1\ndirectories:\n  - ~/a\n  - ~/b\n", {
      home: { a: "a file" },
    });
    symlinkSync(w.dots, path.join(w.home, "b"));
    expect(await planned(w)).toEqual(["conflict a", "conflict b"]);
    const run = await w.cli("apply");
    expect(run.code).toBe(1);
    expect(readFileSync(path.join(w.home, "a"), "utf8")).toBe("a file");
    expect(lstatSync(path.join(w.home, "b")).isSymbolicLink()).toBe(true);
  });

  it("refuses a directory outside the home and the manifest's directory", async () => {
    const w = await makeWorld("version: 1\ndirectories:\n  - ../elsewhere\n");
    expect(await planned(w)).toEqual([
      `error ${path.relative(w.home, path.join(w.root, "elsewhere"))}`,
    ]);
    expect((await w.cli("apply")).code).toBe(1);
    expect(existsSync(path.join(w.root, "elsewhere"))).toBe(false);
  });

  it("unlink removes a directory linkman made once it is empty, and keeps one holding the user's files", async () => {
    const w = await makeWorld("version: 1\ndirectories:\n  - ~/.vim/undo\n  - ~/.cache/zsh\n", {
      home: { ".cache": {} },
    });
    expect((await w.cli("apply")).code).toBe(0);
    writeFileSync(path.join(w.home, ".vim/undo/file"), "the user's");
    expect((await w.cli("unlink")).code).toBe(0);
    expect(readFileSync(path.join(w.home, ".vim/undo/file"), "utf8")).toBe("the user's");
    expect(isDir(w, ".cache/zsh")).toBe(false);
    // ~/.cache was there before linkman: it stays.
    expect(isDir(w, ".cache")).toBe(true);
  });

  it("never removes a listed directory that linkman did not make", async () => {
    const w = await makeWorld("version: 1\ndirectories:\n  - ~/mine\n", { home: { mine: {} } });
    expect((await w.cli("apply")).code).toBe(0);
    expect((await w.cli("unlink")).code).toBe(0);
    expect(isDir(w, "mine")).toBe(true);
  });

  it("prune keeps a listed directory, and removes it once the manifest no longer lists it", async () => {
    const w = await makeWorld("version: 1\ndirectories:\n  - ~/.vim/undo\n");
    expect((await w.cli("apply")).code).toBe(0);
    expect((await w.cli("prune")).code).toBe(0);
    expect(isDir(w, ".vim/undo")).toBe(true);
    writeFileSync(w.manifest, "version: 1\n");
    expect((await w.cli("prune")).code).toBe(0);
    expect(isDir(w, ".vim")).toBe(false);
  });

  it("says which empty directories prune removes, and a dry run which it would", async () => {
    const w = await makeWorld(
      "version: 1\ndirectories:\n  - ~/.vim/undo\nlinks:\n  ~/.config/app/rc: vim/vimrc\n  ~/.config/kept: vim/vimrc\n",
      { home: { ".config": {} } },
    );
    expect((await w.cli("apply")).code).toBe(0);
    writeFileSync(w.manifest, "version: 1\nlinks:\n  ~/.config/kept: vim/vimrc\n");
    const removes = ["~/.config/app", "~/.vim/undo", "~/.vim"]; // deepest first
    const dry = await w.cli("prune", "--dry-run");
    expect(dry.code).toBe(0);
    for (const dir of removes) expect(dry.stdout + dry.stderr).toContain(dir.slice(1));
    expect((dry.stdout + dry.stderr).split("would remove the empty directories").length).toBe(2);
    expect(isDir(w, ".vim/undo")).toBe(true);
    for (const args of [
      ["plan", "--prune"],
      ["apply", "--prune", "--dry-run"],
    ]) {
      const shown = await w.cli(...args);
      expect(shown.stdout + shown.stderr, args.join(" ")).toContain(
        "would remove the empty directories linkman made that nothing needs now: " +
          removes.join(", "),
      );
    }
    expect(isDir(w, ".vim/undo")).toBe(true);

    const run = await w.cli("prune");
    expect(run.code).toBe(0);
    expect(run.stdout + run.stderr).toContain(
      `removed the empty directories linkman made that nothing needs now: ${removes.join(", ")}`,
    );
    for (const dir of removes) expect(isDir(w, dir.slice(2))).toBe(false);
    expect(isDir(w, ".config")).toBe(true);
  });

  it("names the directories it removes escaped, as every path it shows (the state is untrusted)", async () => {
    const w = await makeWorld("version: 1\ndirectories:\n  - ~/a\u001b]0;owned\u0007\n");
    expect((await w.cli("apply")).code).toBe(0);
    writeFileSync(w.manifest, "version: 1\n");
    for (const args of [["prune", "--dry-run"], ["prune"]]) {
      const run = await w.cli(...args);
      expect(run.stdout + run.stderr, args.join(" ")).toContain("~/a\\u001b]0;owned\\u0007");
      expect(run.stdout + run.stderr, args.join(" ")).not.toContain("\u001b");
    }
  });

  it("does not say it would remove a directory the same run makes a link in", async () => {
    const w = await makeWorld("version: 1\nlinks:\n  ~/.config/app/rc: vim/vimrc\n");
    expect((await w.cli("apply")).code).toBe(0);
    writeFileSync(w.manifest, "version: 1\nlinks:\n  ~/.config/app/other: vim/vimrc\n");
    const shown = await w.cli("plan", "--prune");
    expect(shown.stdout).toContain("- remove   ~/.config/app/rc");
    expect(shown.stdout + shown.stderr).not.toContain("would remove the empty directories");
    expect((await w.cli("apply", "--prune")).code).toBe(0);
    expect(isDir(w, ".config/app")).toBe(true);
  });

  it("makes a listed directory before the links the manifest puts inside it", async () => {
    const w = await makeWorld(
      "version: 1\nlinks:\n  ~/.vim/vimrc: vim/vimrc\ndirectories:\n  - ~/.vim\n",
    );
    expect(await planned(w)).toEqual(["mkdir .vim", "create .vim/vimrc"]);
    expect((await w.cli("apply")).code).toBe(0);
    expect(lstatSync(path.join(w.home, ".vim/vimrc")).isSymbolicLink()).toBe(true);
  });

  it("refuses a listed directory at a link's path, or inside a link to a file, naming both lines, and changes nothing", async () => {
    const w = await makeWorld(
      "version: 1\ndirectories:\n  - ~/.vimrc/sub\n  - ~/.b\n  - ~/.vim/undo\nlinks:\n  ~/.vimrc: vim/vimrc\n  ~/.b: vim/vimrc\n  ~/.vim/vimrc: vim/vimrc\n",
    );
    const run = await w.cli("apply");
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /links\.yaml:3:\d+: error: directories\[0\]: ~\/\.vimrc\/sub lies inside ~\/\.vimrc, which the entry at line 7 links to a file/,
    );
    expect(run.stderr).toMatch(
      /links\.yaml:4:\d+: error: directories\[1\]: ~\/\.b is listed under `directories` and is also the link of the entry at line 8/,
    );
    expect(run.stderr).not.toContain(".vim/undo");
    expect(existsSync(path.join(w.home, ".vimrc"))).toBe(false);
  });

  it("makes a listed directory inside a directory link after the link, in its target, as dotbot's own example has it", async () => {
    // dotbot's README: link ~/.vim to vim, then create ~/.vim/undo-history (made in the repository).
    const w = await makeWorld(
      "version: 1\nlinks:\n  ~/.vim: vim\n  ~/.vimrc: vim/vimrc\ndirectories:\n  - ~/.vim/undo-history\n",
    );
    expect(await planned(w)).toEqual(["create .vim", "create .vimrc", "mkdir .vim/undo-history"]);
    const run = await w.cli("apply");
    expect(run.code).toBe(0);
    expect(lstatSync(path.join(w.home, ".vim")).isSymbolicLink()).toBe(true);
    expect(lstatSync(path.join(w.dots, "vim", "undo-history")).isDirectory()).toBe(true);
    const again = await w.cli("apply");
    expect(again.code).toBe(0);
    expect(again.stdout).toContain("0 created");
  });

  it("names the line of a directory whose variable is unset", async () => {
    const w = await makeWorld("version: 1\ndirectories:\n  - ~/ok\n  - ${NOPE}/x\n");
    const run = await w.cli("validate");
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/links\.yaml:4:\d+: error: .*NOPE/);
  });
});

describe("the roots of a plan with directories", () => {
  it("are resolved as often as for a plan without them: once for the links and directories together", async () => {
    const realpathsOfRepository = async (manifest: string) => {
      const w = await makeWorld(manifest);
      const fs = recording(new NodeFileSystem());
      expect((await plan(w.context(fs), { config: w.manifest })).ok).toBe(true);
      return fs.calls.filter((c) => c.operation === "realpath" && c.args[0] === w.dots).length;
    };
    const links = "version: 1\nlinks:\n  ~/.vimrc: vim/vimrc\n";
    expect(await realpathsOfRepository(`${links}directories:\n  - ~/.vim/undo\n`)).toBe(
      await realpathsOfRepository(links),
    );
  });
});
