import { describe, expect, it } from "vitest";
import { COMMANDS } from "../src/cli/main.js";
import { linkman } from "./helpers/cli.js";
import { tempDir } from "./helpers/tree.js";

/** The command names a full help lists, in its order. */
function listed(help: string): string[] {
  return [...help.matchAll(/^ {2}([a-z]+)\b.*$/gm)]
    .map((m) => m[1] ?? "")
    .filter((name) => name !== "help" && name !== "linkman"); // commander's own, and the examples
}

describe("a run of one command builds only that command", () => {
  it("names every command the full program has, and no other", async () => {
    const help = await linkman(["--help"], { cwd: tempDir() });
    expect(help.code).toBe(0);
    expect(new Set(listed(help.stdout))).toEqual(COMMANDS);
  });

  it("still shows the command's own help with the global options", async () => {
    const help = await linkman(["apply", "--help"], { cwd: tempDir() });
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("Usage: linkman apply [options] [paths...]");
    expect(help.stdout).toContain("--skip-conflicts");
    expect(help.stdout).toContain("-c, --config <file>");
  });

  it("still suggests the command meant for a misspelt one, and lists all after a global option", async () => {
    const typo = await linkman(["aply"], { cwd: tempDir() });
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain("(Did you mean apply?)");
    const help = await linkman(["-q", "help"], { cwd: tempDir() });
    expect(new Set(listed(help.stdout))).toEqual(COMMANDS);
  });
});
