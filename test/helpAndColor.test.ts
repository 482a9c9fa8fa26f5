import path from "node:path";
import { describe, expect, it } from "vitest";
import type { CliIO } from "../src/cli/io.js";
import { main } from "../src/cli/main.js";
import { colorFor } from "../src/cli/output.js";
import { NodeFileSystem } from "../src/fs/nodeFileSystem.js";
import { linkman } from "./helpers/cli.js";
import { makeTree } from "./helpers/tree.js";

const root = path.resolve(import.meta.dirname, "..");
const ESC = "\u001b[";

/** Runs the CLI with stdout and stderr each a terminal or not, as the test says. */
async function run(
  args: string[],
  cwd: string,
  tty: { stdout: boolean; stderr: boolean },
  env: Record<string, string> = {},
) {
  let stdout = "";
  let stderr = "";
  const io: CliIO = {
    stdout: { write: (s: string) => (stdout += s), isTTY: tty.stdout },
    stderr: { write: (s: string) => (stderr += s), isTTY: tty.stderr },
    env: { HOME: cwd, ...env },
    cwd,
    homedir: cwd,
    platform: process.platform,
    arch: process.arch,
    hostname: "test-host",
    fs: new NodeFileSystem(),
  };
  const code = await main(args, io);
  return { code, stdout, stderr };
}

describe("colour by the conventions", () => {
  const tty = { isTTY: true };
  const pipe = { isTTY: false };
  it.each([
    ["auto on a terminal", undefined, {}, tty, true],
    ["auto on a pipe", undefined, {}, pipe, false],
    ["NO_COLOR on a terminal", undefined, { NO_COLOR: "1" }, tty, false],
    ["an empty NO_COLOR", undefined, { NO_COLOR: "" }, tty, true],
    ["FORCE_COLOR on a pipe", undefined, { FORCE_COLOR: "1" }, pipe, true],
    ["FORCE_COLOR over NO_COLOR", undefined, { FORCE_COLOR: "1", NO_COLOR: "1" }, pipe, true],
    ["FORCE_COLOR=0 on a terminal", undefined, { FORCE_COLOR: "0" }, tty, false],
    ["TERM=dumb", undefined, { TERM: "dumb" }, tty, false],
    ["--color=always on a pipe with NO_COLOR", "always", { NO_COLOR: "1" }, pipe, true],
    ["--color=never with FORCE_COLOR", "never", { FORCE_COLOR: "1" }, tty, false],
    ["--no-color on a terminal", false, {}, tty, false],
  ] as const)("%s", (_, setting, env, stream, expected) => {
    expect(colorFor(setting, env, stream)).toBe(expected);
  });

  it("decides each stream by its own terminal", async () => {
    const cwd = await makeTree({
      "links.yaml": "version: 1\nlinks: { ~/a: missing }\n",
      "bad.yaml": "version: 1\nlinkz: []\n",
    });
    const outTty = { stdout: true, stderr: false };
    const errTty = { stdout: false, stderr: true };
    // The plan's lines are stdout's; a diagnostic is stderr's.
    expect((await run(["plan"], cwd, outTty)).stdout).toContain(ESC);
    expect((await run(["plan"], cwd, errTty)).stdout).not.toContain(ESC);
    expect((await run(["-c", "bad.yaml", "validate"], cwd, errTty)).stderr).toContain(ESC);
    expect((await run(["-c", "bad.yaml", "validate"], cwd, outTty)).stderr).not.toContain(ESC);
  });

  it("takes --color=always, --color=never and --no-color", async () => {
    const cwd = await makeTree({ "links.yaml": "version: 1\nlinks: { ~/a: missing }\n" });
    const always = await run(["--color=always", "plan"], cwd, { stdout: false, stderr: false });
    expect(always.stdout + always.stderr).toContain(ESC);
    for (const flag of ["--color=never", "--no-color"]) {
      const never = await run([flag, "plan"], cwd, { stdout: true, stderr: true });
      expect(never.stdout + never.stderr, flag).not.toContain(ESC);
    }
    expect(
      (await run(["--color=sometimes", "plan"], cwd, { stdout: false, stderr: false })).code,
    ).toBe(2);
  });

  it("validate -v writes its list to stdout, like plan, and the verdict to stderr", async () => {
    const cwd = await makeTree({ "links.yaml": "version: 1\nlinks: { ~/a: b }\n" });
    const listed = await linkman(["validate", "-v"], { cwd });
    expect(listed.stdout).toMatch(/^ {2}symlink .*a → .*b\n$/);
    expect(listed.stderr).toContain("is valid: 1 link.");
    expect(listed.stderr).not.toContain("→");
  });
});

describe("help that teaches", () => {
  const commands = [
    "init",
    "validate",
    "plan",
    "apply",
    "status",
    "adopt",
    "unlink",
    "prune",
    "explain",
    "doctor",
    "import",
    "schema",
    "completion",
  ];

  it("bare linkman prints help on stdout and exits 0", async () => {
    const bare = await linkman([], { cwd: root });
    expect(bare.code).toBe(0);
    expect(bare.stdout).toContain("Usage: linkman");
    expect(bare.stdout).toContain("Examples:");
  });

  it("lists the commands in the order a user meets them", async () => {
    const help = (await linkman(["--help"], { cwd: root })).stdout;
    const at = commands.map((c) => help.search(new RegExp(`^  ${c}\\b`, "m")));
    expect(at.every((i) => i > 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
  });

  it.each(commands)("%s --help shows examples and the global options", async (command) => {
    const run = await linkman([command, "--help"], { cwd: root });
    expect(run.code).toBe(0);
    const examples = run.stdout.slice(run.stdout.indexOf("Examples:"));
    expect(examples.split("\n").filter((l) => l.startsWith("  ")).length).toBeGreaterThanOrEqual(2);
    for (const flag of ["-c, --config", "--profile", "--json", "--color", "--quiet"]) {
      expect(run.stdout).toContain(flag);
    }
  });
});
