import { spawnSync } from "node:child_process";
import {
  chmodSync,
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  readlinkSync,
  renameSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { linkman } from "./helpers/cli.js";
import { gitHome } from "./helpers/git.js";
import { tempDir, writeTree } from "./helpers/tree.js";

/** A home of its own and a git that reads only that home's config. */
function gitWorld() {
  const { home, gitEnv, env, git, commitWith } = gitHome();
  /** A commit's exit code and output, for proving that a hook ran. */
  const commit = (cwd: string, message: string) =>
    commitWith(cwd, ["--allow-empty", "-m", message]);
  const run = (cwd: string, args: string[], more: Record<string, string | undefined> = {}) =>
    linkman(args, { cwd, home, env: { ...gitEnv, ...more } });
  return { home, env, git, commit, run };
}

const MANIFEST = `version: 1
defaults: { relative: true }
links:
  - link: .git/hooks/commit-msg
    target: tools/hooks/commit-msg
`;
const HOOK = `#!/bin/sh
head -1 "$1" | grep -q "^[A-Z]" || { echo "Start the message with a capital letter." >&2; exit 1; }
`;

/** A repository with the manifest and its hook committed, and a clone of it. */
async function origin(w: ReturnType<typeof gitWorld>, manifest = MANIFEST) {
  const dir = path.join(tempDir(), "origin");
  await writeTree(dir, { "links.yaml": manifest, tools: { hooks: { "commit-msg": HOOK } } });
  chmodSync(path.join(dir, "tools/hooks/commit-msg"), 0o755);
  w.git(dir, "init", "-q");
  w.git(dir, "add", "-A");
  w.git(dir, "commit", "-q", "-m", "Start");
  return dir;
}

async function clone(w: ReturnType<typeof gitWorld>, manifest = MANIFEST) {
  const from = await origin(w, manifest);
  const to = path.join(tempDir(), "clone");
  w.git(path.dirname(to), "clone", "-q", from, to);
  return to;
}

describe("git-aware link paths", () => {
  it("links a hook into a fresh clone, and the hook runs: a commit it rejects fails", async () => {
    const w = gitWorld();
    const repo = await clone(w);
    const run = await w.run(repo, ["apply"]);
    expect(run.code, run.stderr).toBe(0);
    expect(readlinkSync(path.join(repo, ".git/hooks/commit-msg"))).toBe(
      "../../tools/hooks/commit-msg",
    );
    const rejected = w.commit(repo, "lowercase message");
    expect(rejected.code).not.toBe(0);
    expect(rejected.output).toContain("Start the message with a capital letter.");
    expect(w.commit(repo, "Capital message").code).toBe(0);
  });

  it("links a worktree's hooks into the main repository's git directory, where git looks", async () => {
    const w = gitWorld();
    const repo = await clone(w);
    const worktree = path.join(path.dirname(repo), "feature");
    w.git(repo, "worktree", "add", "-q", worktree);
    const plan = await w.run(worktree, ["plan"]);
    expect(plan.code, plan.stderr).toBe(0);
    const run = await w.run(worktree, ["apply"]);
    expect(run.code, run.stderr).toBe(0);
    expect(lstatSync(path.join(worktree, ".git")).isFile()).toBe(true);
    expect(lstatSync(path.join(repo, ".git/hooks/commit-msg")).isSymbolicLink()).toBe(true);
    expect(w.commit(worktree, "lowercase in the worktree").code).not.toBe(0);
    expect(w.commit(worktree, "Capital in the worktree").code).toBe(0);
  });

  it("links a submodule's hooks into the superproject's .git/modules/NAME", async () => {
    const w = gitWorld();
    const from = await origin(w);
    const superproject = path.join(tempDir(), "super");
    mkdirSync(superproject);
    w.git(superproject, "init", "-q");
    w.git(superproject, "-c", "protocol.file.allow=always", "submodule", "add", "-q", from, "sub");
    const sub = path.join(superproject, "sub");
    const run = await w.run(sub, ["apply"]);
    expect(run.code, run.stderr).toBe(0);
    const hook = path.join(superproject, ".git/modules/sub/hooks/commit-msg");
    expect(readFileSync(hook, "utf8")).toBe(HOOK);
    expect(w.commit(sub, "lowercase in the submodule").code).not.toBe(0);
    expect(w.commit(sub, "Capital in the submodule").code).toBe(0);
  });

  it("resolves a subdirectory's manifest to the repository's own .git, never making frontend/.git", async () => {
    const w = gitWorld();
    const repo = await clone(w);
    await writeTree(path.join(repo, "frontend"), {
      "links.yaml": "version: 1\nlinks:\n  - link: .git/hooks/pre-push\n    target: push-hook\n",
      "push-hook": "#!/bin/sh\nexit 0\n",
    });
    const run = await w.run(path.join(repo, "frontend"), ["apply"]);
    expect(run.code, run.stderr).toBe(0);
    expect(existsSync(path.join(repo, "frontend/.git"))).toBe(false);
    expect(readlinkSync(path.join(repo, ".git/hooks/pre-push"))).toBe(
      path.join(repo, "frontend/push-hook"),
    );
  });

  it("skips a hook where there is no repository, with the reason, and never creates .git", async () => {
    const w = gitWorld();
    const dir = tempDir();
    await writeTree(dir, { "links.yaml": MANIFEST, tools: { hooks: { "commit-msg": HOOK } } });
    const plan = await w.run(dir, ["plan", "--verbose"]);
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toContain("not a git repository");
    const run = await w.run(dir, ["apply"]);
    expect(run.code, run.stderr).toBe(0);
    expect(existsSync(path.join(dir, ".git"))).toBe(false);
  });

  it("never links into an enclosing repository past a .git file that names no git directory", async () => {
    const w = gitWorld();
    const repo = await clone(w);
    const inner = path.join(repo, "vendor/tool");
    await writeTree(inner, {
      ".git": "gitdir: ../nowhere\n",
      "links.yaml": MANIFEST,
      tools: { hooks: { "commit-msg": HOOK } },
    });
    const plan = await w.run(inner, ["plan", "--verbose"]);
    expect(plan.stdout).toContain("not a git repository");
    expect((await w.run(inner, ["apply"])).code).toBe(0);
    expect(existsSync(path.join(repo, ".git/hooks/commit-msg"))).toBe(false);
  });

  it("plans an error, not a create, where a file on the way makes the link impossible", async () => {
    const w = gitWorld();
    const dir = tempDir();
    await writeTree(dir, {
      "links.yaml": "version: 1\nlinks:\n  - link: notes/today\n    target: t\n",
      notes: "a file, not a directory",
      t: "target",
    });
    const plan = await w.run(dir, ["plan"]);
    expect(plan.code).toBe(1);
    expect(plan.stdout + plan.stderr).toContain(`${path.join(dir, "notes")} is a file`);
  });

  it("says in plan, status and doctor that core.hooksPath keeps the linked hooks from running", async () => {
    const w = gitWorld();
    const repo = await clone(w);
    w.git(repo, "config", "core.hooksPath", ".husky/_");
    expect((await w.run(repo, ["apply"])).code).toBe(0);
    for (const command of ["plan", "status", "doctor"]) {
      const run = await w.run(repo, [command]);
      expect(run.stdout + run.stderr, command).toContain("core.hooksPath is set to .husky/_");
      expect(run.stdout + run.stderr, command).toContain("git config --unset core.hooksPath");
    }
    expect((await w.run(repo, ["doctor"])).code).toBe(1);
  });

  it("reads core.hooksPath from the global git config too", async () => {
    const w = gitWorld();
    const repo = await clone(w);
    w.git(repo, "config", "--global", "core.hooksPath", "~/hooks");
    const run = await w.run(repo, ["status"]);
    expect(run.stderr).toContain("git config --global --unset core.hooksPath");
  });
});

describe("state that lives with the repository", () => {
  it("keeps a repository manifest's state in .git/linkman, needing no writable home", async () => {
    const w = gitWorld();
    const repo = await clone(w);
    // A home below a file: nothing can be made in it, even by root.
    writeFileSync(path.join(w.home, "file"), "");
    const home = path.join(w.home, "file", "home");
    const run = await linkman(["apply", "--json"], {
      cwd: repo,
      home,
      env: { GIT_CONFIG_NOSYSTEM: "1" },
    });
    expect(run.code, run.stderr).toBe(0);
    const stateFile = JSON.parse(run.stdout).stateFile as string;
    expect(path.dirname(stateFile)).toBe(path.join(repo, ".git/linkman"));
    expect(existsSync(stateFile)).toBe(true);
  });

  it("recognises a moved clone's relative links as its own: status, then unlink", async () => {
    const w = gitWorld();
    const repo = await clone(w);
    expect((await w.run(repo, ["apply"])).code).toBe(0);
    const moved = path.join(path.dirname(repo), "moved");
    renameSync(repo, moved);
    const status = await w.run(moved, ["status", "--json"]);
    expect(status.code, status.stderr).toBe(0);
    const links = JSON.parse(status.stdout).links as { state: string; madeByLinkman: boolean }[];
    expect(links.map((l) => [l.state, l.madeByLinkman])).toEqual([["ok", true]]);
    const unlink = await w.run(moved, ["unlink"]);
    expect(unlink.code, unlink.stderr).toBe(0);
    expect(existsSync(path.join(moved, ".git/hooks/commit-msg"))).toBe(false);
  });
});

describe("apply --onboarding, for npm's prepare", () => {
  it.each([
    ["CI is set", { CI: "true" }, "CI is set"],
    ["LINKMAN=0", { LINKMAN: "0" }, "LINKMAN=0 is set"],
  ])("says why in one line and exits 0 when %s", async (_, env, why) => {
    const w = gitWorld();
    const repo = await clone(w);
    const run = await w.run(repo, ["apply", "--onboarding"], env);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe(
      `linkman: not linking: ${why}${why === "CI is set" ? " (run `linkman apply` to link anyway)" : ""}\n`,
    );
    expect(existsSync(path.join(repo, ".git/hooks/commit-msg"))).toBe(false);
  });

  it("says why and exits 0 outside a git repository", async () => {
    const w = gitWorld();
    const dir = tempDir();
    await writeTree(dir, { "links.yaml": MANIFEST, tools: { hooks: { "commit-msg": HOOK } } });
    const run = await w.run(dir, ["apply", "--onboarding"]);
    expect(run).toMatchObject({ code: 0, stderr: "linkman: not linking: not a git repository\n" });
  });

  it("says why and exits 0 when the state directory cannot be written", async () => {
    const w = gitWorld();
    const repo = await clone(w);
    // A file where the state's directory would be: unwritable even for root (tests may run as root).
    const blocked = path.join(w.home, "ro");
    writeFileSync(blocked, "");
    const run = await w.run(repo, ["apply", "--onboarding", "--state", `${blocked}/s.json`]);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe(
      `linkman: not linking: cannot write linkman's state in ${blocked} (ENOTDIR)\n`,
    );
    expect(existsSync(path.join(repo, ".git/hooks/commit-msg"))).toBe(false);
  });

  it("applies otherwise, and a conflict fails naming the manifest and the exact command", async () => {
    const w = gitWorld();
    const repo = await clone(w);
    writeFileSync(path.join(repo, ".git/hooks/commit-msg"), "#!/bin/sh\n# my own hook\n");
    const run = await w.run(repo, ["apply", "--onboarding"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("links.yaml");
    expect(run.stderr).toContain("npx linkman apply --force");
    expect(readFileSync(path.join(repo, ".git/hooks/commit-msg"), "utf8")).toContain("my own hook");
    const strict = await w.run(repo, ["apply"], { CI: "true" });
    expect(strict.code).toBe(1);
  });
});

describe("the repo-onboarding example, installed with npm (offline)", () => {
  const root = path.resolve(import.meta.dirname, "..");

  it("links on npm install, exits 0 when linkman is left out (--omit=dev), and fails on a real failure", async () => {
    expect(existsSync(path.join(root, "dist/bundle/linkman.js")), "run npm run build first").toBe(
      true,
    );
    const w = gitWorld();
    const repo = path.join(tempDir(), "onboarding");
    cpSync(path.join(root, "examples/repo-onboarding"), repo, { recursive: true });
    const manifest = path.join(repo, "package.json");
    writeFileSync(
      manifest,
      readFileSync(manifest, "utf8").replace('"file:../.."', JSON.stringify(`file:${root}`)),
    );
    w.git(repo, "init", "-q");
    const npm = (...args: string[]) =>
      spawnSync("npm", [...args, "--offline", "--no-audit", "--no-fund"], {
        cwd: repo,
        env: { ...w.env, npm_config_cache: path.join(w.home, ".npm") },
        encoding: "utf8",
      });

    const install = npm("install");
    expect(install.status, install.stderr).toBe(0);
    // The hook is a wrapper script that runs the tracked hook by its path.
    expect(readFileSync(path.join(repo, ".git/hooks/pre-commit"), "utf8")).toContain(
      "tools/hooks/pre-commit",
    );
    // The example's pre-commit hook (git's own whitespace check) rejects a staged error.
    writeFileSync(path.join(repo, "notes.txt"), "trailing space \n");
    w.git(repo, "add", "notes.txt");
    expect(w.commit(repo, "Add notes").code).not.toBe(0);

    rmSync(path.join(repo, "node_modules"), { recursive: true });
    const production = npm("ci", "--omit=dev");
    expect(production.status, production.stderr).toBe(0);
    expect(existsSync(path.join(repo, "node_modules/linkman"))).toBe(false);

    writeFileSync(path.join(repo, "links.yaml"), "version: 2\n");
    const broken = npm("install");
    expect(broken.status).not.toBe(0);
  }, 180_000);
});
