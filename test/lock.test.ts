import { execFile, spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { NodeFileSystem } from "../src/fs/nodeFileSystem.js";
import { acquireLock, lockPathFor } from "../src/state/lock.js";
import type { State } from "../src/state/state.js";
import { tempDir } from "./helpers/tree.js";
import { makeWorld, type World } from "./helpers/world.js";

const root = path.resolve(import.meta.dirname, "..");
const bin = path.join(root, "dist/bundle/linkman.js");
const fs = new NodeFileSystem();

/** Runs the built linkman as its own process in the world. */
function linkmanProcess(w: World, args: string[], env: Record<string, string> = {}) {
  return promisify(execFile)(process.execPath, [bin, ...args], {
    cwd: w.dots,
    env: {
      ...process.env,
      HOME: w.home,
      XDG_STATE_HOME: path.join(w.root, "state"),
      NO_COLOR: "1",
      ...env,
    },
  }).then(
    (r) => ({ code: 0, ...r }),
    (e: { code: number; stdout: string; stderr: string }) => e,
  );
}

describe("the lock", () => {
  it("makes a second taker wait, then fail naming the lock file and its owner", async () => {
    const state = path.join(tempDir(), "s.json");
    const first = await acquireLock(fs, state);
    expect(first.ok).toBe(true);
    const started = Date.now();
    const second = await acquireLock(fs, state, { waitMs: 200, pollMs: 20 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(200);
    expect(second).toEqual({
      ok: false,
      message: expect.stringContaining(
        `another linkman run holds the lock ${lockPathFor(state)} (process ${process.pid} on `,
      ),
    });
    if (first.ok) await first.lock.release();
    expect((await acquireLock(fs, state, { waitMs: 0 })).ok).toBe(true);
  });

  it("takes over a lock whose owner is gone", async () => {
    const state = path.join(tempDir(), "s.json");
    await writeFile(
      lockPathFor(state),
      JSON.stringify({
        pid: 999999,
        hostname: (await import("node:os")).hostname(),
        startedAt: "then",
      }),
    );
    const taken = await acquireLock(fs, state, { waitMs: 0, isAlive: () => false });
    expect(taken.ok).toBe(true);
  });

  it("keeps a running apply from interleaving with another: the second fails after waiting", async () => {
    const w = await makeWorld("version: 1\nlinks:\n  ~/a: vim/vimrc\n");
    const held = await acquireLock(fs, w.stateFile);
    const r = await linkmanProcess(w, ["apply"], { LINKMAN_LOCK_WAIT_MS: "200" });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      `another linkman run holds the lock ${lockPathFor(w.stateFile)} (process ${process.pid}`,
    );
    expect(readdirSync(w.home)).toEqual([]);
    if (held.ok) await held.lock.release();
    expect((await linkmanProcess(w, ["apply"])).code).toBe(0);
  });

  it("takes over the lock a killed process left behind", async () => {
    const w = await makeWorld("version: 1\nlinks:\n  ~/a: vim/vimrc\n");
    const lockModule = path.join(root, "dist/state/lock.js");
    const fsModule = path.join(root, "dist/fs/nodeFileSystem.js");
    const holder = spawn(process.execPath, [
      "--input-type=module",
      "-e",
      `const { acquireLock } = await import(${JSON.stringify(lockModule)});
       const { NodeFileSystem } = await import(${JSON.stringify(fsModule)});
       const r = await acquireLock(new NodeFileSystem(), ${JSON.stringify(w.stateFile)});
       console.log(r.ok ? "locked" : r.message);
       setInterval(() => {}, 1000);`,
    ]);
    await new Promise<void>((resolve, reject) => {
      holder.stdout.on("data", (d: Buffer) =>
        d.toString().includes("locked") ? resolve() : reject(new Error(d.toString())),
      );
      holder.on("error", reject);
    });
    const exited = new Promise((resolve) => holder.on("exit", resolve));
    holder.kill("SIGKILL");
    await exited;
    expect(JSON.parse(readFileSync(lockPathFor(w.stateFile), "utf8"))).toMatchObject({
      pid: holder.pid,
    });
    const r = await linkmanProcess(w, ["apply"], { LINKMAN_LOCK_WAIT_MS: "0" });
    expect(r.code).toBe(0);
    expect(readdirSync(w.home)).toEqual(["a"]);
  });

  it("lets two racing applies both finish, one after the other, with one consistent state", async () => {
    const n = 300;
    const links = Array.from({ length: n }, (_, i) => `  ~/l${i}: vim/vimrc\n`).join("");
    const w = await makeWorld(`version: 1\nlinks:\n${links}`);
    const [a, b] = await Promise.all([
      linkmanProcess(w, ["apply"], { LINKMAN_LOCK_WAIT_MS: "20000" }),
      linkmanProcess(w, ["apply"], { LINKMAN_LOCK_WAIT_MS: "20000" }),
    ]);
    expect([a.code, b.code]).toEqual([0, 0]);
    const summaries = [a.stdout, b.stdout].map((s) => s.trim().split("\n").at(-1));
    expect(summaries.sort()).toEqual([
      `Applied: 0 created, 0 replaced, 0 removed, ${n} unchanged, 0 failed.`,
      `Applied: ${n} created, 0 replaced, 0 removed, 0 unchanged, 0 failed.`,
    ]);
    const state = JSON.parse(readFileSync(w.stateFile, "utf8")) as State;
    expect(state.links).toHaveLength(n);
    expect(readdirSync(w.home)).toHaveLength(n);
    expect(readdirSync(path.dirname(w.stateFile))).toEqual([path.basename(w.stateFile)]);
  });
});
