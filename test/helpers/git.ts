import { execFileSync, spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { tempDir } from "./tree.js";

/**
 * A home of its own and a git that reads only that home's config (a name, an e-mail, `main`
 * as the first branch), free of the caller's GIT_* variables and CI: what each git test needs
 * so the machine's own git setup never changes its outcome.
 */
export function gitHome() {
  const home = tempDir();
  const gitEnv = { GIT_CONFIG_NOSYSTEM: "1", GIT_CONFIG_GLOBAL: path.join(home, ".gitconfig") };
  writeFileSync(
    gitEnv.GIT_CONFIG_GLOBAL,
    "[user]\n\tname = Test\n\temail = test@example.com\n[init]\n\tdefaultBranch = main\n",
  );
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env))
    if (v !== undefined && !k.startsWith("GIT_") && k !== "CI") env[k] = v;
  Object.assign(env, { HOME: home, ...gitEnv });
  /** Runs git and returns its stdout; throws when it fails. */
  const git = (cwd: string, ...args: string[]) =>
    execFileSync("git", args, { cwd, env, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  /** Runs `git commit` with these arguments: its exit code and what it (and the hooks) said. */
  const commitWith = (cwd: string, args: readonly string[]) => {
    const r = spawnSync("git", ["commit", ...args], { cwd, env, encoding: "utf8" });
    return { code: r.status, output: `${r.stdout}${r.stderr}` };
  };
  return { home, gitEnv, env, git, commitWith };
}
