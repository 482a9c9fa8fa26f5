import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { onWindows } from "./helpers/systems.js";

const root = path.resolve(import.meta.dirname, "..");
/** Whether every program is on this machine's PATH. */
const installed = (...programs: string[]) =>
  programs.every((p) => spawnSync("sh", ["-c", `command -v ${p}`]).status === 0);

// Four playbook runs: slow (about half a minute on an idle machine), so it has its own time limit,
// and its own file, so the other worker can run the rest meanwhile.
describe.runIf(!onWindows && installed("ansible-playbook", "git"))("the Ansible example", () => {
  it(
    "converges, reports changed=0 the second time, plans in --check, and fails a conflict with linkman's message",
    { timeout: 600_000 },
    () => {
      const result = spawnSync("/bin/sh", [path.join(root, "examples/ansible/test.sh")], {
        cwd: root,
        encoding: "utf8",
        timeout: 600_000,
      });
      expect(result.status, result.stdout + result.stderr).toBe(0);
      expect(result.stdout).toMatch(/== second run[^\n]*\nlocalhost +: ok=\d+ +changed=0 /);
    },
  );
});
