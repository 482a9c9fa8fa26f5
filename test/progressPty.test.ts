import { spawn } from "node:child_process";
import { lstatSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { inTerminal } from "./helpers/pty.js";
import { makeWorld, type World } from "./helpers/world.js";

/** The built CLI, as a user runs it. */
const BIN = path.resolve(import.meta.dirname, "..", "dist", "bundle", "linkman.js");

/**
 * Enough files that planning and applying each last well over one redraw (100 ms), so a
 * rate is shown (with 3000, one full-suite run showed no line with a rate).
 */
const FILES = 6000;

/** One glob entry linking every file of `many/` into `~/many`. */
const MANIFEST = "version: 1\nlinks:\n  - link: ~/many\n    target: many/**\n";

/** A progress line: count, total, what, percentage and (once measurable) rate. */
const LINE = /linkman: (\d+) of (\d+) (done|looked at) \((\d+)%(?:, (\d+)\/s)?\)…/g;

/** A world whose repository holds FILES files in `many/` (written directly: a tree literal is slower). */
const manyFiles = async () => {
  const w = await makeWorld(MANIFEST);
  mkdirSync(path.join(w.dots, "many"));
  for (let i = 0; i < FILES; i++) writeFileSync(path.join(w.dots, "many", `f${i}`), `${i}\n`);
  return w;
};

/** The world's environment, with progress shown at once rather than after a second. */
const envOf = (w: World) => ({
  HOME: w.home,
  XDG_STATE_HOME: path.join(w.root, "state"),
  LINKMAN_PROGRESS_DELAY_MS: "0",
});

/** Runs the built CLI with stderr piped (not a terminal). */
function piped(args: string[], w: World): Promise<{ code: number; stderr: string }> {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: w.dots,
    env: { PATH: process.env.PATH ?? "", ...envOf(w) },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? -1, stderr }));
  });
}

describe.skipIf(process.platform === "win32")("progress of a large glob", () => {
  it("shows files found, then count, percentage and rate on a terminal, and clears the line", async () => {
    const w = await manyFiles();
    const run = await inTerminal(["apply"], { cwd: w.dots, env: envOf(w) });
    expect(run.code).toBe(0);
    expect(lstatSync(path.join(w.home, "many", "f0")).isSymbolicLink()).toBe(true);
    const lines = [...run.screen.matchAll(LINE)];
    expect(lines.map((m) => m[3])).toEqual(expect.arrayContaining(["looked at", "done"]));
    for (const [, done, total, , percent, rate] of lines) {
      expect(Number(total)).toBe(FILES);
      expect(Number(done)).toBeLessThan(FILES);
      expect(Number(percent)).toBe(Math.floor((Number(done) / FILES) * 100));
      if (rate !== undefined) expect(Number(rate)).toBeGreaterThan(0);
    }
    expect(lines.some((m) => m[5] !== undefined)).toBe(true);
    // Before any link is looked at, the glob's walk counts the files it finds.
    const found = run.screen.search(/linkman: \d+ files? found…/);
    expect(found).toBeGreaterThanOrEqual(0);
    expect(found).toBeLessThan(run.screen.indexOf("looked at"));
    // Each line is redrawn in place and the last one erased before the summary.
    const last = run.screen.lastIndexOf("linkman: ");
    expect(run.screen.indexOf("\r\u001b[K", last)).toBeGreaterThan(last);
  }, 30_000);

  it("prints no progress when stderr is not a terminal", async () => {
    const w = await manyFiles();
    const run = await piped(["plan"], w);
    expect(run.code).toBe(0);
    expect(run.stderr).not.toMatch(/linkman: \d+ (of|files? found)/);
    expect(run.stderr).not.toContain("\u001b[K");
  }, 30_000);
});
