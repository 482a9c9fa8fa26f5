import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { linkman } from "./helpers/cli.js";
import { makeTree, tempDir } from "./helpers/tree.js";

const root = path.resolve(import.meta.dirname, "..");
const has = (shell: string) => spawnSync("sh", ["-c", `command -v ${shell}`]).status === 0;

const MANIFEST = `version: 1
links:
  - { link: ~/.vimrc, target: vim/vimrc, when: { profile: [work, home] } }
  - { link: ~/.ssh/config, target: ssh/config, when: { profile: laptop } }
  - { link: ~/my notes, target: notes }
`;

/** The candidates `linkman __complete` gives for a command line (the last word is the one being typed). */
async function candidates(line: string[], cwd: string): Promise<string[]> {
  const run = await linkman(["__complete", "--", "linkman", ...line], { cwd, home: "/home/u" });
  expect(run.code).toBe(0);
  expect(run.stderr).toBe("");
  return run.stdout.split("\n").filter(Boolean);
}

describe("completion of values", () => {
  it.each([
    [["pl"], ["plan"]],
    [["-c", "links.yaml", "ap"], ["apply"]],
    [["--profile", "work", "st"], ["status"]],
    [
      ["completion", ""],
      ["bash", "zsh", "fish"],
    ],
    [
      ["import", ""],
      ["dotbot", "stow"],
    ],
    [
      ["--profile", ""],
      ["home", "laptop", "work"],
    ],
    [["apply", "--profile", "w"], ["work"]],
    [
      ["apply", "--color", ""],
      ["auto", "always", "never"],
    ],
    [["apply", "--color=al"], ["--color=always"]],
    [["apply", "--color", "=", "ne"], ["never"]],
    [["explain", "~/.v"], ["~/.vimrc"]],
    [["unlink", "~/my"], ["~/my notes"]],
    [["explain", "/home/u/.s"], ["/home/u/.ssh/config"]],
    [["apply", "--dr"], ["--dry-run"]],
    [["unlink", "--res"], ["--restore"]],
    [["-"], expect.arrayContaining(["-c", "-q", "-v", "-h", "--config", "--profile"])],
    [["apply", "-"], expect.arrayContaining(["-c", "--dry-run", "--force", "--json"])],
    [["-c", ""], [":files"]],
    [["-c", "li"], [":files"]],
    [["apply", ""], [":files"]],
  ])("linkman %j completes to %j", async (line, expected) => {
    const cwd = await makeTree({ "links.yaml": MANIFEST });
    expect(await candidates(line, cwd)).toEqual(expected);
  });

  it("offers the profiles of the manifest that -c names before the command", async () => {
    const cwd = await makeTree({ "dots.yaml": MANIFEST, "links.yaml": "version: 1\n" });
    expect(await candidates(["-c", "dots.yaml", "plan", "--profile", "l"], cwd)).toEqual([
      "laptop",
    ]);
    expect(await candidates(["--config=dots.yaml", "explain", "~/.s"], cwd)).toEqual([
      "~/.ssh/config",
    ]);
  });

  it("answers nothing, quietly, without a manifest or for an unknown command", async () => {
    const cwd = tempDir();
    expect(await candidates(["--profile", ""], cwd)).toEqual([]);
    expect(await candidates(["explain", ""], cwd)).toEqual([]);
    expect(await candidates(["frobnicate", ""], cwd)).toEqual([]);
  });

  it("never offers the hidden helper itself", async () => {
    expect(await candidates(["__"], tempDir())).toEqual([]);
  });
});

describe("linkman completion", () => {
  /** A directory holding a `linkman` that runs the built bundle, as an installed one would. */
  function binDir(): string {
    const dir = path.join(tempDir(), "bin");
    mkdirSync(dir);
    const bin = path.join(dir, "linkman");
    const bundle = path.join(root, "dist/bundle/linkman.js");
    writeFileSync(bin, `#!/bin/sh\nexec "${process.execPath}" "${bundle}" "$@"\n`);
    chmodSync(bin, 0o755);
    return dir;
  }

  it("completes commands, global options before them, and the manifest's values in bash", async () => {
    const cwd = await makeTree({ "links.yaml": MANIFEST, "dots.yaml": MANIFEST });
    const script = path.join(tempDir(), "linkman.bash");
    writeFileSync(script, (await linkman(["completion", "bash"], { cwd: root })).stdout);
    const bin = binDir();
    // Each case sets the words as bash would split them; the last is the word being typed.
    const complete = (words: string) =>
      execFileSync(
        "bash",
        [
          "-c",
          `source '${script}'; COMP_WORDS=(${words}); COMP_CWORD=$(( \${#COMP_WORDS[@]} - 1 )); _linkman; printf '%s\\n' "\${COMPREPLY[@]}"`,
        ],
        { encoding: "utf8", cwd, env: { ...process.env, PATH: `${bin}:${process.env.PATH}` } },
      )
        .split("\n")
        .filter(Boolean);
    expect(complete("linkman pl")).toEqual(["plan"]);
    expect(complete("linkman -c dots.yaml ap")).toEqual(["apply"]);
    expect(complete("linkman apply --dr")).toEqual(["--dry-run"]);
    expect(complete("linkman completion ''")).toEqual(["bash", "zsh", "fish"]);
    expect(complete("linkman --profile w")).toEqual(["work"]);
    expect(complete("linkman unlink '~/my'")).toEqual(["~/my notes"]);
    expect(complete("linkman --color = al")).toEqual(["always"]);
    expect(complete("linkman -c dot")).toEqual(["dots.yaml"]);
  });

  it("prints a zsh script that installs itself without compinit", async () => {
    const script = (await linkman(["completion", "zsh"], { cwd: root })).stdout;
    expect(script).toContain("compinit");
    if (!has("zsh")) return;
    const file = path.join(tempDir(), "linkman.zsh");
    writeFileSync(file, script);
    // zsh -f: no startup files, so compinit has not run; sourcing must still define the completion.
    const run = spawnSync("zsh", ["-f", "-c", `source '${file}' && print -r -- $_comps[linkman]`], {
      encoding: "utf8",
      env: { ...process.env, HOME: tempDir() },
    });
    expect(run.stderr).toBe("");
    expect(run.stdout.trim()).toBe("_linkman");
  });

  for (const shell of ["zsh", "fish"]) {
    it.skipIf(!has(shell))(`prints a ${shell} script its shell can read`, async () => {
      const script = path.join(tempDir(), `linkman.${shell}`);
      writeFileSync(script, (await linkman(["completion", shell], { cwd: root })).stdout);
      expect(spawnSync(shell, ["-n", script]).status).toBe(0);
    });
  }

  it("refuses a shell it has no script for, with exit 2", async () => {
    const run = await linkman(["completion", "tcsh"], { cwd: root });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("choose bash, zsh or fish");
  });
});
