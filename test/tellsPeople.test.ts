import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { makeWorld } from "./helpers/world.js";

/*
 * linkman may run from a project's `npm install` for someone who has never heard of it:
 * whatever it does to their files is said on stderr, even with --quiet, and a conflict says
 * which manifest asks for the link and the exact command to run.
 */

const hook = "version: 1\nlinks:\n  - link: ~/hooks/pre-commit\n    target: bin/tool\n";

describe("saying what happened to people's files", () => {
  it.each([[[]], [["--quiet"]], [["--json"]]])(
    "says on stderr where a backup went and how to undo it, with %j",
    async (flags) => {
      const w = await makeWorld(hook, { home: { hooks: { "pre-commit": "scan for secrets\n" } } });
      const run = await w.cli(...flags, "apply", "--force");
      expect(run.code).toBe(0);
      const backup = path.join(w.home, "hooks/pre-commit.linkman-backup");
      expect(readFileSync(backup, "utf8")).toBe("scan for secrets\n");
      expect(run.stderr).toContain(
        "linkman moved your ~/hooks/pre-commit to ~/hooks/pre-commit.linkman-backup to put a link there; to put it back: npx linkman -c links.yaml unlink --restore",
      );
      if (flags[0] === "--quiet") expect(run.stdout).toBe("");
    },
  );

  it("says nothing about backups when none was made", async () => {
    const w = await makeWorld(hook);
    const run = await w.cli("--quiet", "apply");
    expect(run.code).toBe(0);
    expect(run.stderr).toBe("");
  });

  it("names the manifest and the exact commands in a conflict's hint, the same for every conflict so it is shown once", async () => {
    const w = await makeWorld(hook, { home: { hooks: { "pre-commit": "mine\n" } } });
    const run = await w.cli("--quiet", "apply");
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("links.yaml asks linkman");
    expect(run.stdout).toContain(`\`npx linkman -c ${w.manifest} apply --force\``);
    expect(run.stdout).toContain(`\`npx linkman -c ${w.manifest} unlink --restore\``);
    expect(run.stdout).toContain("`onConflict: skip`");
  });
});
