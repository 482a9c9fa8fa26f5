import { appendFileSync, chmodSync, existsSync, readFileSync, renameSync, statSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { applyCommand } from "../src/cli/commands/apply.js";
import type { Plan } from "../src/engine/action.js";
import { digestOf, WRAPPER_MARKER, wrapperRecordText } from "../src/engine/wrapper.js";
import { writeState } from "../src/state/stateFile.js";
import { linkRecord } from "./helpers/records.js";
import { WRITE_OPERATIONS, type FileSystem } from "../src/fs/fileSystem.js";
import { crashing, recording } from "../src/fs/wrappers.js";
import { lockPathFor } from "../src/state/lock.js";
import { rm } from "node:fs/promises";
import { status } from "../src/session/status.js";
import { runSession } from "./helpers/sessions.js";
import { gitHome } from "./helpers/git.js";
import { windows } from "./helpers/systems.js";
import { commandOutput, expectNothingLost, makeWorld, type World } from "./helpers/world.js";

/** git with a config of its own, so the machine's (a global core.hooksPath, say) cannot interfere. */
const { git, commitWith } = gitHome();

/** A commit in `cwd`, with what git printed and whether it went through. */
function commit(cwd: string, message: string) {
  appendFileSync(path.join(cwd, "notes.txt"), `${message}\n`);
  git(cwd, "add", "notes.txt");
  const run = commitWith(cwd, ["-q", "-m", message]);
  return { ok: run.code === 0, output: run.output };
}

const REJECT = '#!/bin/sh\necho "rejected by the tracked hook" >&2\nexit 1\n';
const ACCEPT = "#!/bin/sh\nexit 0\n";

/** A world whose repository (dots) is a git repository with `hooks/pre-commit` tracked. */
async function repoWorld(manifest: string, hook = REJECT): Promise<World> {
  const w = await makeWorld(manifest, { dots: { hooks: { "pre-commit": hook } } });
  chmodSync(path.join(w.dots, "hooks", "pre-commit"), 0o755);
  git(w.dots, "init", "-q", "-b", "main");
  git(w.dots, "config", "user.email", "t@example.com");
  git(w.dots, "config", "user.name", "T");
  git(w.dots, "config", "commit.gpgsign", "false");
  git(w.dots, "add", "-A");
  git(w.dots, "commit", "-q", "--no-verify", "-m", "start");
  return w;
}

const HOOK_MANIFEST = (extra = "") =>
  `version: 1\nlinks:\n  - { link: .git/hooks/pre-commit, target: hooks/pre-commit, kind: wrapper${extra} }\n`;

const hookPath = (w: World) => path.join(w.dots, ".git", "hooks", "pre-commit");

describe("hooks as wrapper scripts (kind: wrapper)", () => {
  it("writes a wrapper that runs the tracked hook: a commit the hook rejects is rejected", async () => {
    const w = await repoWorld(HOOK_MANIFEST());
    const planned = await w.cli("plan");
    expect(planned.stdout).toContain("+ create");
    expect(planned.stdout).toContain("[wrapper]");
    expect((await w.cli("apply")).code).toBe(0);
    const wrapper = readFileSync(hookPath(w), "utf8");
    expect(wrapper.split("\n").slice(0, 2)).toEqual(["#!/bin/sh", WRAPPER_MARKER]);
    expect(wrapper).toContain("'./hooks/pre-commit'");
    expect(statSync(hookPath(w)).mode & 0o111).not.toBe(0);
    const attempt = commit(w.dots, "one");
    expect(attempt.ok).toBe(false);
    expect(attempt.output).toContain("rejected by the tracked hook");
  });

  it("is up to date on the second apply, and status says linkman made it", async () => {
    const w = await repoWorld(HOOK_MANIFEST());
    await w.cli("apply");
    const plan = await w.plan();
    expect(plan.actions.map((a) => `${a.op}:${a.reason}`)).toEqual(["skip:up-to-date"]);
    const status = JSON.parse((await w.cli("status", "--json")).stdout) as {
      links: { state: string; madeByLinkman: boolean }[];
    };
    expect(status.links.map((l) => [l.state, l.madeByLinkman])).toEqual([["ok", true]]);
  });

  it("keeps working after a git pull rewrites the tracked hook (it runs the path, not the inode)", async () => {
    const w = await repoWorld(HOOK_MANIFEST(), ACCEPT);
    const upstream = path.join(w.root, "upstream");
    git(w.root, "clone", "-q", w.dots, upstream);
    git(upstream, "config", "user.email", "t@example.com");
    git(upstream, "config", "user.name", "T");
    expect((await w.cli("apply")).code).toBe(0);
    expect(commit(w.dots, "allowed").ok).toBe(true);

    await writeFile(path.join(upstream, "hooks", "pre-commit"), REJECT);
    git(upstream, "commit", "-q", "-am", "the hook now rejects");
    git(w.dots, "pull", "-q", "--no-rebase", upstream, "main");

    const attempt = commit(w.dots, "after the pull");
    expect(attempt.ok).toBe(false);
    expect(attempt.output).toContain("rejected by the tracked hook");
    expect((await w.plan()).actions.map((a) => a.reason)).toEqual(["up-to-date"]);
  });

  it("keeps working in a clone moved elsewhere (the target is named relative to the hook)", async () => {
    const w = await repoWorld(HOOK_MANIFEST());
    await w.cli("apply");
    const moved = path.join(w.root, "moved");
    renameSync(w.dots, moved);
    const attempt = commit(moved, "from the moved clone");
    expect(attempt.ok).toBe(false);
    expect(attempt.output).toContain("rejected by the tracked hook");
  });

  it("lets a commit through, silently, while the tracked hook does not exist (a branch without it)", async () => {
    const w = await repoWorld(HOOK_MANIFEST());
    await w.cli("apply");
    git(w.dots, "rm", "-q", "hooks/pre-commit");
    const attempt = commit(w.dots, "no hook on this branch");
    expect(attempt).toEqual({ ok: true, output: "" });
  });

  it("chains a teammate's own hook: both run, theirs first, and unlink puts theirs back", async () => {
    const w = await repoWorld(
      HOOK_MANIFEST(", onConflict: chain"),
      '#!/bin/sh\necho tracked >> "$(git rev-parse --show-toplevel)/../ran"\n',
    );
    const log = path.join(w.root, "ran");
    const theirs = '#!/bin/sh\necho teammate >> "$(git rev-parse --show-toplevel)/../ran"\n';
    await writeFile(hookPath(w), theirs, { mode: 0o755 });

    const applied = await w.cli("apply");
    expect(applied.code).toBe(0);
    expect(readFileSync(`${hookPath(w)}.linkman-chained`, "utf8")).toBe(theirs);
    expect(commit(w.dots, "both run").ok).toBe(true);
    expect(readFileSync(log, "utf8")).toBe("teammate\ntracked\n");
    expect((await w.plan()).actions.map((a) => a.reason)).toEqual(["up-to-date"]);

    expect((await w.cli("unlink")).code).toBe(0);
    expect(readFileSync(hookPath(w), "utf8")).toBe(theirs);
    expect(existsSync(`${hookPath(w)}.linkman-chained`)).toBe(false);
  });

  it("gives a chained pre-push hook and the tracked one the same refs on stdin, as git gave them", async () => {
    // Each hook copies its stdin to a log: git-lfs's own pre-push, kept and chained, reads it too.
    const copy = (who: string) =>
      `#!/bin/sh\n{ echo "${who}:"; cat; } >> "$(git rev-parse --show-toplevel)/../pushed"\n`;
    const w = await makeWorld(
      "version: 1\nlinks:\n  - { link: .git/hooks/pre-push, target: hooks/pre-push, kind: wrapper, onConflict: chain }\n",
      { dots: { hooks: { "pre-push": copy("tracked") } } },
    );
    chmodSync(path.join(w.dots, "hooks", "pre-push"), 0o755);
    git(w.dots, "init", "-q", "-b", "main");
    git(w.dots, "config", "user.email", "t@example.com");
    git(w.dots, "config", "user.name", "T");
    git(w.dots, "add", "-A");
    git(w.dots, "commit", "-q", "--no-verify", "-m", "start");
    const remote = path.join(w.root, "remote.git");
    git(w.root, "init", "-q", "--bare", remote);
    await writeFile(path.join(w.dots, ".git", "hooks", "pre-push"), copy("teammate"), {
      mode: 0o755,
    });
    expect((await w.cli("apply")).code).toBe(0);

    git(w.dots, "push", "-q", remote, "HEAD:refs/heads/main");
    const head = git(w.dots, "rev-parse", "HEAD").trim();
    const refs = `HEAD ${head} refs/heads/main ${"0".repeat(40)}\n`;
    expect(readFileSync(path.join(w.root, "pushed"), "utf8")).toBe(
      `teammate:\n${refs}tracked:\n${refs}`,
    );
  });

  it("stops at a chained hook that fails: the tracked hook does not run", async () => {
    const w = await repoWorld(
      HOOK_MANIFEST(", onConflict: chain"),
      "#!/bin/sh\necho tracked >&2\n",
    );
    await writeFile(hookPath(w), '#!/bin/sh\necho "secrets found" >&2\nexit 3\n', { mode: 0o755 });
    await w.cli("apply");
    const attempt = commit(w.dots, "blocked");
    expect(attempt.ok).toBe(false);
    expect(attempt.output).toContain("secrets found");
    expect(attempt.output).not.toContain("tracked");
  });

  it("never puts a second chained hook over the first: a conflict that names it", async () => {
    const w = await repoWorld(HOOK_MANIFEST(", onConflict: chain"));
    await writeFile(hookPath(w), "#!/bin/sh\necho mine\n", { mode: 0o755 });
    await writeFile(`${hookPath(w)}.linkman-chained`, "#!/bin/sh\necho earlier\n");
    const plan = await w.plan();
    expect(plan.actions.map((a) => `${a.op}:${a.rule}`)).toEqual(["conflict:chained-taken"]);
    expect((await w.cli("apply")).code).toBe(1);
    expect(readFileSync(hookPath(w), "utf8")).toBe("#!/bin/sh\necho mine\n");
  });

  it("leaves a teammate's hook alone by default (onConflict: fail), as for links", async () => {
    const w = await repoWorld(HOOK_MANIFEST());
    await writeFile(hookPath(w), "#!/bin/sh\necho mine\n", { mode: 0o755 });
    expect((await w.plan()).actions.map((a) => `${a.op}:${a.rule}`)).toEqual([
      "conflict:in-the-way",
    ]);
    expect((await w.cli("apply", "--force")).code).toBe(0);
    expect(readFileSync(`${hookPath(w)}.linkman-backup`, "utf8")).toBe("#!/bin/sh\necho mine\n");
    expect((await w.cli("unlink", "--restore")).code).toBe(0);
    expect(readFileSync(hookPath(w), "utf8")).toBe("#!/bin/sh\necho mine\n");
  });

  it("never removes or overwrites a wrapper someone edited", async () => {
    const w = await repoWorld(HOOK_MANIFEST());
    await w.cli("apply");
    appendFileSync(hookPath(w), "echo my addition\n");
    const edited = readFileSync(hookPath(w), "utf8");

    const unlinked = await w.cli("unlink");
    expect(unlinked.code).toBe(0);
    expect(unlinked.stderr).toContain("changed since linkman made it");
    expect(readFileSync(hookPath(w), "utf8")).toBe(edited);

    expect((await w.plan()).actions.map((a) => `${a.op}:${a.rule}`)).toEqual([
      "conflict:in-the-way",
    ]);
    expect((await w.cli("apply")).code).toBe(1);
    expect(readFileSync(hookPath(w), "utf8")).toBe(edited);
  });

  it("rewrites its own earlier wrapper without a backup when the entry changes", async () => {
    const w = await repoWorld(HOOK_MANIFEST());
    await w.cli("apply");
    await writeFile(path.join(w.dots, "hooks", "check"), ACCEPT, { mode: 0o755 });
    await writeFile(
      w.manifest,
      "version: 1\nlinks:\n  - { link: .git/hooks/pre-commit, target: hooks/check, kind: wrapper }\n",
    );
    const planned = JSON.parse((await w.cli("plan", "--json")).stdout) as Plan;
    expect(planned.actions.map((a) => `${a.op}:${a.rule}`)).toEqual(["replace:own-wrapper"]);
    const applied = JSON.parse((await w.cli("apply", "--json")).stdout) as {
      actions: { op: string; rule: string; backup: string | null }[];
    };
    expect(applied.actions.map((a) => [a.op, a.rule, a.backup])).toEqual([
      ["replace", "own-wrapper", null],
    ]);
    expect(readFileSync(hookPath(w), "utf8")).toContain("'./hooks/check'");
    expect(existsSync(`${hookPath(w)}.linkman-backup`)).toBe(false);
    expect(commit(w.dots, "allowed by check").ok).toBe(true);
  });

  it("replaces a hook symlink linkman made earlier, so a manifest can move from links to wrappers", async () => {
    const w = await repoWorld(
      "version: 1\nlinks:\n  - { link: .git/hooks/pre-commit, target: hooks/pre-commit }\n",
    );
    await w.cli("apply");
    await writeFile(w.manifest, HOOK_MANIFEST());
    expect((await w.plan()).actions.map((a) => `${a.op}:${a.rule}`)).toEqual([
      "replace:link-elsewhere",
    ]);
    expect((await w.cli("apply")).code).toBe(0);
    expect(readFileSync(hookPath(w), "utf8")).toContain(WRAPPER_MARKER);
  });

  it("never takes a teammate's hook for its own wrapper, even where a hand-edited state records that hook's digest", async () => {
    const w = await repoWorld(HOOK_MANIFEST());
    const theirs = "#!/bin/sh\necho mine\n";
    await writeFile(hookPath(w), theirs, { mode: 0o755 });
    await writeState(w.fs, w.stateFile, {
      version: 2,
      manifest: w.manifest,
      links: [
        linkRecord(hookPath(w), {
          kind: "wrapper",
          target: path.join(w.dots, "hooks", "pre-commit"),
          text: wrapperRecordText(digestOf(theirs)),
        }),
      ],
      directories: [],
    });
    const planned = JSON.parse((await w.cli("plan", "--json")).stdout) as Plan;
    expect(planned.actions.map((a) => `${a.op}:${a.rule}`)).toEqual(["conflict:in-the-way"]);
    expect((await w.cli("apply")).code).toBe(1);
    expect((await w.cli("unlink")).code).toBe(0);
    expect(readFileSync(hookPath(w), "utf8")).toBe(theirs);
  });

  it("refuses a directory target and onConflict: chain on a link, saying why", async () => {
    const w = await makeWorld(
      "version: 1\nlinks:\n  - { link: ~/hook, target: nvim, kind: wrapper }\n  - { link: ~/.vimrc, target: vim/vimrc, onConflict: chain }\n",
    );
    expect((await w.plan()).actions.map((a) => `${a.op}:${a.rule}`)).toEqual([
      "error:wrapper-files-only",
      "error:chain-wrappers-only",
    ]);
  });

  it("refuses to adopt into a wrapper entry, saying what to do instead", async () => {
    const w = await makeWorld(
      "version: 1\nlinks:\n  - { link: ~/hooks/pre-commit, target: hooks/pre-commit, kind: wrapper }\n",
      { home: { hooks: { "pre-commit": "#!/bin/sh\n" } } },
    );
    const adopted = await w.cli("adopt", "--json");
    expect(adopted.code).toBe(1);
    expect(adopted.stdout).toContain("adopt-kind");
    expect(readFileSync(path.join(w.home, "hooks", "pre-commit"), "utf8")).toBe("#!/bin/sh\n");
  });

  it("makes wrappers on Windows without the symlink privilege (no EPERM, no fallback needed)", async () => {
    const w = await makeWorld(
      "version: 1\nlinks:\n  - { link: ~/hooks/pre-commit, target: bin/tool, kind: wrapper }\n",
      {},
      windows({ privileged: false }),
    );
    const applied = await w.apply();
    expect(applied.actions.map((a) => [a.op, a.result, a.error])).toEqual([
      ["create", "done", null],
    ]);
    expect(readFileSync(path.join(w.home, "hooks", "pre-commit"), "utf8")).toContain(
      "'../../dots/bin/tool'",
    );
    expect((await w.plan()).actions.map((a) => a.reason)).toEqual(["up-to-date"]);
  });
});

/** A wrapper made, one over a user's file (backup), one chaining a user's hook, and one of linkman's own rewritten. */
const CRASH_MANIFEST =
  "version: 1\nlinks:\n  - { link: ~/hooks/new, target: bin/tool, kind: wrapper }\n  - { link: ~/hooks/theirs, target: bin/tool, kind: wrapper, onConflict: backup }\n  - { link: ~/hooks/chained, target: bin/tool, kind: wrapper, onConflict: chain }\n";

describe("crash consistency of wrappers", () => {
  const prepare = () =>
    makeWorld(CRASH_MANIFEST, {
      home: { hooks: { theirs: "their hook\n", chained: "#!/bin/sh\necho chained\n" } },
    });
  const userFiles = (w: World) =>
    Object.entries(w.snapshot()).filter(([p, v]) => p.startsWith("home/") && v.startsWith("file:"));
  const apply = (w: World, fs: FileSystem) => applyCommand(commandOutput(w, {}, { fs }).out);
  const unlink = async (w: World, fs: FileSystem) =>
    (await runSession(w, "unlink --restore", { fs })).failed;
  /** Each link's state and whether linkman knows it as its own, as `ok:true`. */
  const runStatus = async (w: World) => {
    const read = await status(w.context());
    if (!read.ok) throw new Error("status failed");
    return read.value.links.map((l) => `${l.state}:${l.madeByLinkman}`);
  };
  const leftovers = (w: World) =>
    Object.keys(w.snapshot()).filter((p) => /\.linkman-[0-9a-f]{12}(-old)?$/.test(p));

  /** For every k: a fresh world, `run` killed after k writes, then `run` again: each problem found, by k. */
  async function crashAfterEachWrite(
    setUp: (w: World) => Promise<void>,
    run: (w: World, fs: FileSystem) => Promise<number>,
    check: (w: World, before: [string, string][]) => Promise<string[]>,
  ): Promise<string[]> {
    const counting = await prepare();
    await setUp(counting);
    const recorder = recording(counting.fs);
    expect(await run(counting, recorder)).toBe(0);
    const total = recorder.calls.filter((c) =>
      (WRITE_OPERATIONS as readonly string[]).includes(c.operation),
    ).length;
    expect(total).toBeGreaterThan(5);
    const problems: string[] = [];
    for (let k = 0; k <= total; k++) {
      const w = await prepare();
      const before = userFiles(w);
      await setUp(w);
      await run(w, crashing(w.fs, k)).catch(() => undefined);
      await rm(lockPathFor(w.stateFile), { force: true });
      const again = await run(w, w.fs);
      if (again !== 0) problems.push(`write ${k}: the rerun exited ${again}`);
      for (const p of await check(w, before)) problems.push(`write ${k}: ${p}`);
    }
    return problems;
  }

  it("converges with nothing lost when apply stops after any of its writes", async () => {
    const problems = await crashAfterEachWrite(
      async () => undefined,
      apply,
      async (w, before) => {
        const ops = (await w.plan()).actions.map((a) => `${a.op}:${a.reason}`);
        const after = userFiles(w).map(([p, c]): [string, string] => [
          p.replace(/\.linkman-chained$/, ""),
          c,
        ]);
        expectNothingLost(before, after);
        return [
          ...(ops.every((o) => o === "skip:up-to-date") ? [] : [ops.join(", ")]),
          ...leftovers(w),
        ];
      },
    );
    expect(problems).toEqual([]);
  });

  it("rewriting its own wrapper, stopped after any write, converges and still knows the wrapper as its own", async () => {
    const problems = await crashAfterEachWrite(
      async (w) => {
        expect(await apply(w, w.fs)).toBe(0);
        await writeFile(path.join(w.dots, "bin", "other"), ACCEPT, { mode: 0o755 });
        await writeFile(w.manifest, CRASH_MANIFEST.replaceAll("bin/tool", "bin/other"));
      },
      apply,
      async (w) => {
        const status = await runStatus(w);
        const unlinked = await runSession(w, "unlink --restore");
        const wrappers = Object.keys(w.snapshot()).filter((p) =>
          /^home\/hooks\/(new|theirs|chained)$/.test(p),
        );
        return [
          ...status.filter((l) => l !== "ok:true"),
          ...(unlinked.failed ? [`unlink failed ${unlinked.failed}`] : []),
          ...(wrappers.length === 2 ? [] : [`after unlink: ${wrappers.join(", ")}`]),
          ...leftovers(w),
        ];
      },
    );
    expect(problems).toEqual([]);
  });

  it("puts every user's hook back when unlink --restore stops after any of its writes", async () => {
    const problems = await crashAfterEachWrite(
      async (w) => {
        expect(await apply(w, w.fs)).toBe(0);
      },
      unlink,
      async (w, before) => {
        // Exactly the user's files, where they were: no wrapper, chained or backup name left.
        const now = userFiles(w);
        return [
          ...(JSON.stringify(now) === JSON.stringify(before) ? [] : [JSON.stringify(now)]),
          ...leftovers(w),
        ];
      },
    );
    expect(problems).toEqual([]);
  });
});
