import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { makeTree, tempDir } from "./helpers/tree.js";

const bin = path.resolve(import.meta.dirname, "../dist/bundle/linkman.js");

/** Runs the bin with a preload that says on descriptor 3 whether the process ended on its own. */
function run(args: string[], home: string) {
  const preload = path.join(tempDir(), "ending.cjs");
  writeFileSync(
    preload,
    // `beforeExit` comes only when the event loop empties, never on process.exit().
    'process.on("beforeExit", () => require("node:fs").writeSync(3, "on its own"));',
  );
  const result = spawnSync(process.execPath, ["-r", preload, bin, ...args], {
    env: { PATH: process.env.PATH, HOME: home, XDG_STATE_HOME: path.join(home, ".state") },
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe", "pipe"],
  });
  return { ...result, ending: String(result.output[3]) };
}

describe("the bin's end", () => {
  it("exits at once, with its code and all its output, once everything is written", async () => {
    const home = tempDir();
    const dots = await makeTree({
      "links.yaml": 'version: 1\nlinks:\n  "~/.a": a\n  "~/.b": b\n',
      a: "a",
      b: "b",
    });
    writeFileSync(path.join(home, ".b"), "in the way");
    const conflict = run(["apply", "-c", path.join(dots, "links.yaml")], home);
    expect(conflict.status).toBe(1);
    expect(conflict.stdout).toContain("! conflict");
    expect(conflict.stderr).toMatch(/nothing was applied/);
    expect(conflict.ending).toBe("");

    const version = run(["--version"], home);
    expect(version.status).toBe(0);
    expect(version.stdout).toMatch(/^\d+\.\d+\.\d+/);
    expect(version.ending).toBe("");
  });
});
