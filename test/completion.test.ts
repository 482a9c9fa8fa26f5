import { execFileSync, spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { linkman, SPEC_COMMANDS } from "./helpers/cli.js";
import { tempDir } from "./helpers/tree.js";

const root = path.resolve(import.meta.dirname, "..");
const has = (shell: string) => spawnSync("sh", ["-c", `command -v ${shell}`]).status === 0;

describe("linkman completion", () => {
  it.each(["bash", "zsh", "fish"])("prints a %s script naming every command", async (shell) => {
    const run = await linkman(["completion", shell], { cwd: root });
    expect(run.code).toBe(0);
    for (const command of [...SPEC_COMMANDS, "explain", "import", "completion"]) {
      expect(run.stdout).toContain(command);
    }
  });

  it("completes commands and their options in bash", async () => {
    const script = path.join(tempDir(), "linkman.bash");
    writeFileSync(script, (await linkman(["completion", "bash"], { cwd: root })).stdout);
    const complete = (words: string) =>
      execFileSync(
        "bash",
        [
          "-c",
          `source ${script}; COMP_WORDS=(${words}); COMP_CWORD=$(( \${#COMP_WORDS[@]} - 1 )); _linkman; echo "\${COMPREPLY[@]}"`,
        ],
        { encoding: "utf8" },
      ).trim();
    expect(complete("linkman pl")).toBe("plan");
    expect(complete("linkman apply --dr")).toBe("--dry-run");
    expect(complete("linkman unlink --res")).toBe("--restore");
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
