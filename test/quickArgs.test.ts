import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { CliIO } from "../src/cli/io.js";
import { parsedByCommander } from "../src/cli/main.js";
import { quickArgs } from "../src/cli/quickArgs.js";
import { nodeContext } from "../src/session/context.js";

/** A CLI that says nothing: commander's help and errors are not what is compared. */
const silent: CliIO = {
  ...nodeContext(),
  stdout: { write: () => true },
  stderr: { write: () => true },
};

/** What commander gives the command for argv, as quickArgs gives it. */
async function byCommander(argv: string[]) {
  const parsed = await parsedByCommander(argv, silent);
  return parsed && { command: parsed.command, options: parsed.options, paths: parsed.args };
}

// Every flag apply, plan and status have, in each spelling, with values, and what quickArgs must
// leave alone.
const token = fc.constantFrom(
  "-c",
  "--config",
  "--config=a.yaml",
  "-c=a.yaml",
  "--state",
  "--state=s.json",
  "--profile",
  "--profile=work",
  "--allow-outside",
  "--allow-outside=/opt",
  "--json",
  "--json=1",
  "-q",
  "--quiet",
  "-v",
  "--verbose",
  "--dry-run",
  "--prune",
  "--force",
  "--skip-conflicts",
  "-i",
  "--interactive",
  "--onboarding",
  "--out",
  "--out=plan.json",
  "--no-color",
  "--color",
  "never",
  "-qv",
  "--",
  "-",
  "-h",
  "--version",
  "--bogus",
  "",
  "a.yaml",
  "vim",
  "~/x",
  "apply",
);

describe("the quick parse of apply, plan and status", () => {
  it.each([
    [["apply"], {}, []],
    [["apply", "-c", "a.yaml", "-q"], { config: "a.yaml", quiet: true }, []],
    [
      ["apply", "--config=a.yaml", "--json", "vim", "zsh"],
      { config: "a.yaml", json: true },
      ["vim", "zsh"],
    ],
    [
      ["apply", "--profile", "a", "--profile=b", "--no-color"],
      { profile: ["a", "b"], color: false },
      [],
    ],
    [["plan", "--out", "p.json", "--prune"], { out: "p.json", prune: true }, []],
    [["status", "-v", "--allow-outside", "/opt"], { verbose: true, allowOutside: ["/opt"] }, []],
  ])("reads %j as commander does", async (argv, options, paths) => {
    const command = argv[0];
    expect(quickArgs(argv)).toEqual({ command, options, paths });
    expect(await byCommander(argv)).toEqual({ command, options, paths });
  });

  it("prints the version as commander does", async () => {
    expect(quickArgs(["--version"])).toEqual({ command: "--version", options: {}, paths: [] });
    let printed = "";
    const io = { ...silent, stdout: { write: (s: string) => (printed += s) } };
    expect(await parsedByCommander(["--version"], io)).toBeUndefined();
    expect(printed).toMatch(/^\d+\.\d+\.\d+\n$/);
  });

  it.each([
    ["another command", ["unlink", "-c", "a.yaml"]],
    ["a flag of another command", ["status", "--prune"]],
    ["the version with more", ["--version", "apply"]],
    ["help", ["apply", "--help"]],
    ["a flag it does not list", ["apply", "--color", "never"]],
    ["flags run together", ["apply", "-qv"]],
    ["a value that looks like a flag", ["apply", "-c", "-q"]],
    ["a missing value", ["apply", "-c"]],
    ["a value given twice", ["apply", "-c", "a", "-c", "b"]],
    ["the end of the flags", ["apply", "--", "-x"]],
  ])("leaves %s to commander", (_, argv) => {
    expect(quickArgs(argv)).toBeUndefined();
  });

  it("gives commander's answer for every command line it takes", async () => {
    let taken = 0;
    const command = fc.constantFrom("apply", "plan", "status");
    await fc.assert(
      fc.asyncProperty(command, fc.array(token, { maxLength: 6 }), async (name, rest) => {
        const argv = [name, ...rest];
        const quick = quickArgs(argv);
        if (!quick) return;
        taken++;
        expect(await byCommander(argv)).toEqual(quick);
      }),
      { numRuns: 3000 },
    );
    // Not a property that holds by taking nothing.
    expect(taken).toBeGreaterThan(200);
  });
});
