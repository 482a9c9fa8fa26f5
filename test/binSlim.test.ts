import { readFileSync, readlinkSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { installed, runBin } from "./helpers/bin.js";
import { makeTree, tempDir } from "./helpers/tree.js";

const built = path.resolve(import.meta.dirname, "../dist/bundle");

/** Runs a copy of the bin in a clean environment and a home of its own. */
function run(bin: string, args: string[], home = tempDir()) {
  const { status, stdout, stderr } = runBin(args, home, {}, bin);
  return { code: status, stdout, stderr };
}

const manifest = { "links.yaml": "version: 1\nlinks:\n  - { link: ~/, target: pkg/** }\n" };
const tree = { ...manifest, pkg: { ".a": "a", sub: { b: "b" } } };

describe("the bin's main.js holds only what an apply, plan or status runs", () => {
  it("holds nothing of commander, which commander.js beside it holds", () => {
    expect(readFileSync(path.join(built, "main.js"), "utf8")).not.toContain("too many arguments");
    expect(readFileSync(path.join(built, "commander.js"), "utf8")).toContain("too many arguments");
  });

  it("holds picomatch's scan but not its parser", () => {
    const code = readFileSync(path.join(built, "main.js"), "utf8");
    expect(code).toContain("isGlob");
    expect(code).not.toContain("exceeds maximum allowed length");
  });

  it("applies a glob, shows its status and prints its version without commander.js", async () => {
    const dots = await makeTree(tree);
    const { bin } = installed("commander.js");
    const home = tempDir();
    const config = ["-c", path.join(dots, "links.yaml")];
    expect(run(bin, ["apply", ...config], home)).toMatchObject({ code: 0, stderr: "" });
    expect(readlinkSync(path.join(home, ".a"))).toBe(path.join(dots, "pkg/.a"));
    expect(readlinkSync(path.join(home, "sub/b"))).toBe(path.join(dots, "pkg/sub/b"));
    expect(run(bin, ["status", ...config], home).code).toBe(0);
    expect(run(bin, ["--version"])).toMatchObject({ code: 0, stderr: "" });
  });

  it("validates, shows help and refuses a bad flag with commander from beside the bundle", async () => {
    const dots = await makeTree(tree);
    const { bin } = installed();
    const validated = run(bin, ["validate", "-c", path.join(dots, "links.yaml")]);
    expect(validated.code).toBe(0);
    expect(validated.stderr).toContain("is valid: 2 links");
    expect(run(bin, ["--help"]).stdout).toContain("Usage: linkman");
    const bad = run(bin, ["apply", "--no-such-flag"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("unknown option '--no-such-flag'");
  });

  it("says a damaged install is missing commander.js, in one line, and to reinstall", async () => {
    const dots = await makeTree(tree);
    const result = run(installed("commander.js").bin, [
      "validate",
      "-c",
      path.join(dots, "links.yaml"),
    ]);
    expect(result).toEqual({
      code: 1,
      stdout: "",
      stderr:
        "linkman: error: its file commander.js is missing beside its bundle; reinstall linkman\n",
    });
  });
});
