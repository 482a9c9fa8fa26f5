import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync, readlinkSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { installed } from "./helpers/bin.js";
import { inTerminal } from "./helpers/pty.js";
import { makeTree, tempDir } from "./helpers/tree.js";

const root = path.resolve(import.meta.dirname, "..");
const built = path.join(root, "dist/bundle");

// A string each library's code holds (kept by minifying: a class name or a message).
const apart = [
  ["zod", "zod.js", "$ZodType"],
  ["yaml", "yaml.js", "YAMLParseError"],
  ["@inquirer/expand", "expand.js", "User force closed the prompt"],
] as const;

/** Runs `script` (the bin, or main.js as Node 22.1+ requires it), in a fresh home and cwd by default. */
function run(script: string, args: string[], cwd = tempDir(), home = tempDir()) {
  const result = spawnSync(process.execPath, [script, ...args], {
    cwd,
    encoding: "utf8",
    timeout: 20_000,
    env: {
      PATH: process.env.PATH,
      HOME: home,
      XDG_STATE_HOME: path.join(home, ".state"),
      NO_COLOR: "1",
    },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr, home };
}

const badManifest = { "links.yaml": 'version: 1\nlinks:\n  "~/.a": [1]\n' };
const badMessage = 'links.yaml:3:11: error: links["~/.a"]: expected a string, found a list';

describe("the bin's bundle keeps zod, yaml and @inquirer/expand in files of their own", () => {
  it.each(apart)("main.js holds nothing of %s, which %s beside it holds", (_name, file, marker) => {
    expect(readFileSync(path.join(built, "main.js"), "utf8")).not.toContain(marker);
    expect(readFileSync(path.join(built, file), "utf8")).toContain(marker);
  });

  it("prints its version, applies a valid manifest and applies it again without any of their files", async () => {
    const dots = await makeTree({ "links.yaml": 'version: 1\nlinks:\n  "~/.a": a\n', a: "a" });
    const { bin } = installed(...apart.map(([, file]) => file));
    expect(run(bin, ["--version"])).toMatchObject({ code: 0, stderr: "" });
    const home = tempDir();
    const apply = () => run(bin, ["apply", "-c", path.join(dots, "links.yaml")], dots, home);
    expect(apply()).toMatchObject({ code: 0, stderr: "" });
    expect(apply()).toMatchObject({ code: 0, stderr: "" });
    expect(readlinkSync(path.join(home, ".a"))).toBe(path.join(dots, "a"));
  });

  it("explains a bad manifest with zod from beside the bundle, run through a symlink from elsewhere", async () => {
    const dots = await makeTree(badManifest);
    const result = run(installed().bin, ["validate", "-c", path.join(dots, "links.yaml")]);
    expect(result).toMatchObject({ code: 2, stdout: "" });
    expect(result.stderr).toContain(badMessage);
  });

  it("explains a bad manifest when Node requires main.js as a module (the Node 22.1+ path)", async () => {
    const dots = await makeTree(badManifest);
    const result = run(path.join(installed().bundle, "main.js"), [
      "validate",
      "-c",
      path.join(dots, "links.yaml"),
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(badMessage);
  });

  it("reads a manifest the fast reader declines (an anchor, an alias, a block scalar) with the yaml library", async () => {
    const dots = await makeTree({
      "links.yaml":
        "version: 1\ndefaults: &d\n  mkdirs: true\nlinks:\n  - link: ~/.a\n    target: a\n" +
        "  - link: >-\n      ~/deep/.b\n    target: b\n    <<: *d\n",
      a: "a",
      b: "b",
    });
    const args = ["apply", "-c", path.join(dots, "links.yaml")];
    const applied = run(installed().bin, args);
    expect(applied.stderr).toBe("");
    expect(applied.code).toBe(0);
    expect(readlinkSync(path.join(applied.home, ".a"))).toBe(path.join(dots, "a"));
    expect(readlinkSync(path.join(applied.home, "deep/.b"))).toBe(path.join(dots, "b"));
    // So the library read it, not the fast reader: without its file the same run cannot.
    const missing = run(installed("yaml.js").bin, args);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain("yaml.js");
  });

  it.each([
    ["zod.js", badManifest],
    ["yaml.js", { "links.yaml": "version: 1\nlinks: &l\n  ~/.a: a\n", a: "a" }],
  ])("says a damaged install is missing %s, in one line, and to reinstall", async (file, tree) => {
    const dots = await makeTree(tree);
    const result = run(installed(file).bin, ["validate", "-c", path.join(dots, "links.yaml")]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toBe(
      `linkman: error: its file ${file} is missing beside its bundle; reinstall linkman\n`,
    );
  });

  it("imports Stow packages and a dotbot config", async () => {
    const dots = await makeTree({
      "stow/vim/.vimrc": "set number\n",
      "install.conf.yaml": "- link:\n    ~/.zshrc: zsh/zshrc\n",
      "zsh/zshrc": "",
    });
    const { bin } = installed();
    const stow = run(bin, ["import", "stow", path.join(dots, "stow"), "vim"], dots);
    expect(stow).toMatchObject({ code: 0 });
    expect(stow.stdout).toContain("target: vim/**");
    const dotbot = run(bin, ["import", "dotbot", path.join(dots, "install.conf.yaml")], dots);
    expect(dotbot).toMatchObject({ code: 0 });
    expect(dotbot.stdout).toContain("~/.zshrc");
    expect(dotbot.stdout).toContain("zsh/zshrc");
  });

  it.skipIf(process.platform === "win32")(
    "asks with @inquirer/expand from beside the bundle on a terminal (apply --interactive)",
    async () => {
      const dots = await makeTree({ "links.yaml": 'version: 1\nlinks:\n  "~/.a": a\n', a: "a\n" });
      const home = await makeTree({ ".a": "mine\n" });
      const asked = await inTerminal(["apply", "--interactive"], {
        cwd: dots,
        env: { HOME: home, XDG_STATE_HOME: path.join(home, ".state") },
        waitFor: "What should linkman do?",
        keys: ["s\r"],
      });
      expect(asked.screen).toContain("What should linkman do?");
      expect(asked.code).toBe(0);
      expect(readFileSync(path.join(home, ".a"), "utf8")).toBe("mine\n");
    },
    30_000,
  );

  it("ships the libraries' files in the package", () => {
    const [packed] = JSON.parse(
      execFileSync("npm", ["pack", "--dry-run", "--json"], {
        cwd: root,
        encoding: "utf8",
        stdio: ["ignore", "pipe", "ignore"],
      }),
    ) as { files: { path: string }[] }[];
    const files = packed?.files.map((f) => f.path) ?? [];
    expect(files).toEqual(expect.arrayContaining(apart.map(([, file]) => `dist/bundle/${file}`)));
  });
});
