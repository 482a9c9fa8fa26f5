import { cpSync, mkdirSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { linkman } from "./helpers/cli.js";
import { gitHome } from "./helpers/git.js";
import { tempDir } from "./helpers/tree.js";

const example = path.resolve(import.meta.dirname, "../examples/repo-onboarding");

/** A home of its own, a git that reads only that home's config, and the example committed in a repository. */
function world() {
  const { home, gitEnv, git, commitWith } = gitHome();
  /** Commits a file with this content, as a teammate would: the exit code and what the hooks said. */
  const commit = (cwd: string, file: string, content: string) => {
    writeFileSync(path.join(cwd, file), content);
    git(cwd, "add", file);
    return commitWith(cwd, ["-q", "-m", `Add ${file}`]);
  };
  /** The hooks directory git runs hooks from in `cwd`. */
  const hooksDir = (cwd: string) =>
    path.resolve(cwd, git(cwd, "rev-parse", "--git-path", "hooks").trim());
  const run = (cwd: string, args: string[]) => linkman(args, { cwd, home, env: gitEnv });
  /** The example as a team's repository: copied, initialised and committed. */
  const repository = () => {
    const repo = path.join(tempDir(), "repo");
    cpSync(example, repo, { recursive: true });
    git(repo, "init", "-q");
    git(repo, "add", "-A");
    git(repo, "commit", "-q", "-m", "Start");
    return repo;
  };
  return { git, commit, hooksDir, run, repository };
}

/** Proves the example's pre-commit hook runs in `cwd`: it rejects trailing whitespace, accepts a clean file. */
function expectPreCommitRuns(w: ReturnType<typeof world>, cwd: string) {
  const rejected = w.commit(cwd, "notes.txt", "trailing whitespace   \n");
  expect(rejected.code, rejected.output).not.toBe(0);
  expect(rejected.output).toContain("trailing whitespace");
  const clean = w.commit(cwd, "notes.txt", "no trailing whitespace\n");
  expect(clean.code, clean.output).toBe(0);
}

describe("the repo-onboarding example", () => {
  it("onboards a worktree: hooks land where git looks, run, and a second apply changes nothing", async () => {
    const w = world();
    const repo = w.repository();
    const worktree = path.join(path.dirname(repo), "wt");
    w.git(repo, "worktree", "add", "-q", worktree);
    const run = await w.run(worktree, ["apply"]);
    expect(run.code, run.stderr).toBe(0);
    const hooks = w.hooksDir(worktree);
    expect(hooks).toBe(path.join(repo, ".git/hooks"));
    expect(readFileSync(path.join(hooks, "pre-commit"), "utf8")).toContain(
      "tools/hooks/pre-commit",
    );
    expect(readlinkSync(path.join(worktree, "packages/api/.editorconfig"))).toBe(
      "../../shared/.editorconfig",
    );
    expectPreCommitRuns(w, worktree);
    const again = await w.run(worktree, ["apply"]);
    expect(again.code, again.stderr).toBe(0);
    const plan = await w.run(worktree, ["plan"]);
    expect(plan.stdout).toContain(
      "0 to create, 0 to replace, 0 to remove, 5 unchanged, 0 conflicts",
    );
  });

  it("onboards a worktree of an onboarded clone: the shared hooks stay unchanged, nothing is chained", async () => {
    const w = world();
    const repo = w.repository();
    const first = await w.run(repo, ["apply"]);
    expect(first.code, first.stderr).toBe(0);
    for (const name of ["wt", "wt2"]) {
      const worktree = path.join(path.dirname(repo), name);
      w.git(repo, "worktree", "add", "-q", worktree);
      const run = await w.run(worktree, ["apply", "--onboarding"]);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toContain("3 created, 0 replaced, 0 removed, 2 unchanged, 0 failed");
      expectPreCommitRuns(w, worktree);
    }
    expect(readdirSync(path.join(repo, ".git/hooks")).filter((f) => f.includes("linkman"))).toEqual(
      [],
    );
    const plan = await w.run(repo, ["plan"]);
    expect(plan.stdout).toContain(
      "0 to create, 0 to replace, 0 to remove, 5 unchanged, 0 conflicts",
    );
    // Each working tree runs its own checkout's hook: removing a worktree leaves the clone's hooks running.
    w.git(repo, "worktree", "remove", "--force", path.join(path.dirname(repo), "wt"));
    expectPreCommitRuns(w, repo);
  });

  it("onboards a submodule: hooks land in the superproject's .git/modules/NAME/hooks and run", async () => {
    const w = world();
    const from = w.repository();
    const superproject = path.join(tempDir(), "super");
    mkdirSync(superproject);
    w.git(superproject, "init", "-q");
    w.git(
      superproject,
      "-c",
      "protocol.file.allow=always",
      "submodule",
      "add",
      "-q",
      from,
      "onboarding",
    );
    const sub = path.join(superproject, "onboarding");
    const run = await w.run(sub, ["apply"]);
    expect(run.code, run.stderr).toBe(0);
    const hooks = w.hooksDir(sub);
    expect(hooks).toBe(path.join(superproject, ".git/modules/onboarding/hooks"));
    expect(readFileSync(path.join(hooks, "pre-commit"), "utf8")).toContain(
      "tools/hooks/pre-commit",
    );
    expectPreCommitRuns(w, sub);
    const plan = await w.run(sub, ["plan"]);
    expect(plan.stdout).toContain(
      "0 to create, 0 to replace, 0 to remove, 5 unchanged, 0 conflicts",
    );
  });
});
