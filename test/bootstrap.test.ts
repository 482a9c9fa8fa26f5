import { spawnSync } from "node:child_process";
import {
  copyFileSync,
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { onWindows } from "./helpers/systems.js";
import { tempDir } from "./helpers/tree.js";

const root = path.resolve(import.meta.dirname, "..");
const { version } = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as {
  version: string;
};

/** Runs a program, never through a shell, and returns what it printed and its exit code. */
function run(
  file: string,
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; timeout?: number },
) {
  const result = spawnSync(file, args, { encoding: "utf8", timeout: 120_000, ...options });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A directory for PATH holding only these programs (as links to where they are on this machine). */
function pathWith(programs: Record<string, string>): string {
  const dir = tempDir();
  for (const [name, where] of Object.entries(programs)) symlinkSync(where, path.join(dir, name));
  return dir;
}

/** Where a program is on this machine's PATH. */
function which(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    const file = path.join(dir, name);
    if (dir && existsSync(file)) return file;
  }
  return undefined;
}

/** A user's dotfiles repository: the example, with ./install, and linkman's example manifest. */
function dotfilesRepository(): string {
  const repo = tempDir();
  cpSync(path.join(root, "examples/dotfiles"), path.join(repo, "examples/dotfiles"), {
    recursive: true,
  });
  copyFileSync(path.join(root, "links.example.yaml"), path.join(repo, "links.example.yaml"));
  mkdirSync(path.join(repo, "examples/dotfiles/vendor"));
  return path.join(repo, "examples/dotfiles");
}

/** The environment of a new machine: an empty home, and only the programs on `bin`. */
function newMachine(bin: string) {
  const home = tempDir();
  return { home, env: { PATH: bin, HOME: home, XDG_STATE_HOME: path.join(home, ".state") } };
}

const uname = which("uname") ?? "/usr/bin/uname";
const install = (dotfiles: string, args: string[], env: NodeJS.ProcessEnv) =>
  run("/bin/sh", [path.join(dotfiles, "install"), ...args], { cwd: dotfiles, env });

describe.skipIf(onWindows)("the single file, dist/linkman.mjs", () => {
  it("runs alone: copied into an empty directory, it prints its version and plans the example", () => {
    const dir = tempDir();
    copyFileSync(path.join(root, "dist/linkman.mjs"), path.join(dir, "linkman.mjs"));
    const { home, env } = newMachine(path.dirname(process.execPath));
    const node = (args: string[]) =>
      run(process.execPath, ["linkman.mjs", ...args], { cwd: dir, env });
    expect(node(["--version"]).stdout.trim()).toBe(version);
    const manifest = path.join(root, "examples/dotfiles/links.yaml");
    const plan = node(["apply", "--dry-run", "-c", manifest]);
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toMatch(/Plan: \d+ to create/);
    expect(existsSync(path.join(home, ".vimrc"))).toBe(false);
  });

  it("has no chunks: it imports nothing but Node's own modules", () => {
    const text = readFileSync(path.join(root, "dist/linkman.mjs"), "utf8");
    // A module specifier in an import or a dynamic import(): minified code has no spaces around it.
    const specifiers = /(?:\bfrom\s*|\bimport\s*\(\s*)["']([@\w./:-]+)["']/g;
    const imported = [...text.matchAll(specifiers)].map((m) => m[1]);
    expect(imported.filter((spec) => !spec?.startsWith("node:"))).toEqual([]);
  });
});

describe.skipIf(onWindows)("examples/dotfiles/install", () => {
  const script = path.join(root, "examples/dotfiles/install");

  it("is POSIX sh, as is the Ansible example's test.sh (sh -n; shellcheck where installed)", () => {
    const scripts = [script, path.join(root, "examples/ansible/test.sh")];
    for (const file of scripts) expect(run("/bin/sh", ["-n", file], {}).code).toBe(0);
    const shellcheck = which("shellcheck");
    if (shellcheck) {
      const checked = run(shellcheck, ["-s", "sh", ...scripts], {});
      expect(checked.code, checked.stdout).toBe(0);
    }
  });

  it("runs vendor/linkman.mjs with the system's node when linkman is not installed, passing its arguments", () => {
    const dotfiles = dotfilesRepository();
    copyFileSync(path.join(root, "dist/linkman.mjs"), path.join(dotfiles, "vendor/linkman.mjs"));
    const { home, env } = newMachine(pathWith({ node: process.execPath, uname }));
    const result = install(dotfiles, ["--dry-run"], env);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain("+ create   ~/.vimrc");
    expect(readdirSync(home)).toEqual([]);
  });

  it("prefers an installed linkman to the vendored file", () => {
    const dotfiles = dotfilesRepository();
    // A vendored file that would fail: the run succeeds only if the installed linkman is used.
    writeFileSync(path.join(dotfiles, "vendor/linkman.mjs"), "process.exit(42);\n");
    const bin = pathWith({ node: process.execPath, uname });
    writeFileSync(
      path.join(bin, "linkman"),
      `#!/bin/sh\nexec "${process.execPath}" "${path.join(root, "dist/bundle/linkman.js")}" "$@"\n`,
      { mode: 0o755 },
    );
    const { env } = newMachine(bin);
    const result = install(dotfiles, ["--dry-run"], env);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain("+ create   ~/.vimrc");
  });

  it("says exactly what to install, and exits 127, when there is no linkman, node or standalone executable", () => {
    const dotfiles = dotfilesRepository();
    const { env } = newMachine(pathWith({ uname }));
    const result = install(dotfiles, ["--dry-run"], env);
    expect(result.code).toBe(127);
    expect(result.stderr).toContain("npm install -g linkman");
    expect(result.stderr).toContain(path.join(dotfiles, "vendor/linkman.mjs"));
    expect(result.stderr).toContain(
      path.join(dotfiles, `vendor/linkman-${process.platform}-${process.arch}`),
    );
  });
});

// Node's single executable applications, built once here as CI builds them (about 100 MB).
describe.runIf(process.platform === "linux")("the standalone executable", () => {
  const exe = path.join(root, `dist/sea/linkman-linux-${process.arch}`);
  beforeAll(() => {
    const built = run("npm", ["run", "build:sea"], { cwd: root, timeout: 300_000 });
    expect(built.code, built.stderr).toBe(0);
  }, 300_000);

  it("prints its version with no node on PATH", () => {
    const { env } = newMachine(tempDir());
    const result = run(exe, ["--version"], { env });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout.trim()).toBe(version);
  });

  it("./install --dry-run uses vendor/linkman-linux-<arch> on a machine without node", () => {
    const dotfiles = dotfilesRepository();
    symlinkSync(exe, path.join(dotfiles, `vendor/linkman-linux-${process.arch}`));
    const { home, env } = newMachine(pathWith({ uname }));
    const result = install(dotfiles, ["--dry-run"], env);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/Plan: \d+ to create/);
    expect(() => lstatSync(path.join(home, ".vimrc"))).toThrow();
  });
});
