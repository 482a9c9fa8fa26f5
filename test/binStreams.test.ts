import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { makeTree, tempDir } from "./helpers/tree.js";

const bin = path.resolve(import.meta.dirname, "../dist/bundle/linkman.js");

/** A preload that says at exit whether Node's stream modules were loaded (process.stdout loads them). */
function streamsReporter(): string {
  const preload = path.join(tempDir(), "streams.cjs");
  writeFileSync(
    preload,
    `process.on("exit", () => require("node:fs").writeSync(2, "streams: " + process.moduleLoadList.includes("NativeModule stream") + "\\n"));`,
  );
  return preload;
}

/** Runs `args` with Node, its output to pipes, no colour setting, and the reporter preloaded. */
function run(args: string[], env: Record<string, string> = {}) {
  const home = tempDir();
  const result = spawnSync(process.execPath, ["--require", streamsReporter(), ...args], {
    cwd: home,
    encoding: "utf8",
    env: { PATH: process.env.PATH, HOME: home, XDG_STATE_HOME: path.join(home, ".state"), ...env },
  });
  return {
    code: result.status,
    stdout: result.stdout,
    streams: /streams: (true|false)/.exec(result.stderr)?.[1],
  };
}

describe("the bin writing to a pipe", () => {
  it("applies without making Node's stdout stream when no colour setting is given, and prints no colour", async () => {
    // The reporter sees a stream when one is made.
    expect(run(["-e", "process.stdout"]).streams).toBe("true");
    const dots = await makeTree({ "links.yaml": "version: 1\nlinks:\n  '~/.a': a\n", a: "a" });
    const result = run([bin, "apply", "-c", path.join(dots, "links.yaml")]);
    expect(result).toMatchObject({ code: 0, streams: "false" });
    expect(result.stdout).toContain("created");
    expect(result.stdout).not.toContain("\u001b[");
  });

  it("still colours with FORCE_COLOR", async () => {
    const dots = await makeTree({ "links.yaml": "version: 1\nlinks:\n  '~/.a': a\n", a: "a" });
    const result = run([bin, "apply", "-c", path.join(dots, "links.yaml")], { FORCE_COLOR: "1" });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("\u001b[");
  });
});
