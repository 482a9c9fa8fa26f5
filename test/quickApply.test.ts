import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { CliIO } from "../src/cli/io.js";
import { parsedByCommander } from "../src/cli/main.js";
import { quickApply } from "../src/cli/quickApply.js";
import { nodeContext } from "../src/session/context.js";

/** A CLI that says nothing: commander's help and errors are not what is compared. */
const silent: CliIO = {
  ...nodeContext(),
  stdout: { write: () => true },
  stderr: { write: () => true },
};

/** What commander gives `apply` for argv, as quickApply gives it. */
async function byCommander(argv: string[]) {
  const parsed = await parsedByCommander(argv, silent);
  return parsed && { command: parsed.command, options: parsed.options, paths: parsed.args };
}

// Every flag apply has, in each spelling, with values, and what quickApply must leave alone.
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

describe("apply's quick parse", () => {
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
  ])("reads %j as commander does", async (argv, options, paths) => {
    expect(quickApply(argv)).toEqual({ options, paths });
    expect(await byCommander(argv)).toEqual({ command: "apply", options, paths });
  });

  it.each([
    ["another command", ["plan", "-c", "a.yaml"]],
    ["help", ["apply", "--help"]],
    ["a flag it does not list", ["apply", "--color", "never"]],
    ["flags run together", ["apply", "-qv"]],
    ["a value that looks like a flag", ["apply", "-c", "-q"]],
    ["a missing value", ["apply", "-c"]],
    ["a value given twice", ["apply", "-c", "a", "-c", "b"]],
    ["the end of the flags", ["apply", "--", "-x"]],
  ])("leaves %s to commander", (_, argv) => {
    expect(quickApply(argv)).toBeUndefined();
  });

  it("gives commander's answer for every command line it takes", async () => {
    let taken = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(token, { maxLength: 6 }), async (rest) => {
        const argv = ["apply", ...rest];
        const quick = quickApply(argv);
        if (!quick) return;
        taken++;
        expect(await byCommander(argv)).toEqual({ command: "apply", ...quick });
      }),
      { numRuns: 2000 },
    );
    // Not a property that holds by taking nothing.
    expect(taken).toBeGreaterThan(200);
  });
});
