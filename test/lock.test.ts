import { execFile, spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { utimes, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import type { FileSystem } from "../src/fs/fileSystem.js";
import { NodeFileSystem } from "../src/fs/nodeFileSystem.js";
import { crashing, failing, fsError, recording } from "../src/fs/wrappers.js";
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

/** A pid no process has here (the tests tell `acquireLock` so through `isAlive`). */
const DEAD = 999_999;
const isAlive = (pid: number) => pid !== DEAD;

/** A state file in a new directory, with a lock a killed process left, if `lock` is given. */
async function stateWithLock(lock?: string, ageMs = 0): Promise<string> {
  const state = path.join(tempDir(), "s.json");
  if (lock !== undefined) {
    await writeFile(lockPathFor(state), lock);
    const then = (Date.now() - ageMs) / 1000;
    await utimes(lockPathFor(state), then, then);
  }
  return state;
}

const deadOwner = () =>
  JSON.stringify({ pid: DEAD, hostname: os.hostname(), startedAt: "2024-01-01T00:00:00.000Z" });

/** `inner`, but its `n`-th call (0-based) waits until `resume` is called. */
function pausedAt(inner: FileSystem, n: number) {
  let calls = 0;
  let resume = () => {};
  let reached = () => {};
  const gate = new Promise<void>((r) => (resume = r));
  const fs = new Proxy(inner, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver) as unknown;
      if (typeof value !== "function") return value;
      return async (...args: unknown[]) => {
        if (calls++ === n) {
          reached();
          await gate;
        }
        return (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
      };
    },
  });
  return { fs, reached: new Promise<void>((r) => (reached = r)), resume: () => resume() };
}

describe("the lock never jams", () => {
  it("takes over an empty lock file (a run killed while writing it) once it is a few seconds old", async () => {
    const state = await stateWithLock("", 60_000);
    expect(await acquireLock(fs, state, { waitMs: 0 })).toMatchObject({ ok: true });
  });

  it("takes over an old lock file that holds no owner record", async () => {
    const state = await stateWithLock('{"pid": "x"', 60_000);
    expect(await acquireLock(fs, state, { waitMs: 0 })).toMatchObject({ ok: true });
  });

  it("waits for a new empty lock file: its writer may be writing it", async () => {
    const state = await stateWithLock("");
    expect(await acquireLock(fs, state, { waitMs: 50, pollMs: 10 })).toMatchObject({ ok: false });
  });

  it("leaves nothing that blocks the next run when the disk fills up while the lock is written", async () => {
    const state = await stateWithLock();
    const full: FileSystem = new Proxy(fs, {
      get(target, key, receiver) {
        if (key !== "writeNewFile") return Reflect.get(target, key, receiver) as unknown;
        // ENOSPC after the file was created: what a full disk does.
        return async (file: string) => {
          await writeFile(file, "", { flag: "wx" });
          throw fsError("ENOSPC", "write", file);
        };
      },
    });
    const first = await acquireLock(full, state, { waitMs: 0 });
    expect(first).toEqual({ ok: false, message: expect.stringContaining("ENOSPC") });
    const next = await acquireLock(fs, state, { waitMs: 0 });
    expect(next).toMatchObject({ ok: true });
    if (next.ok) await next.lock.release();
    expect(readdirSync(path.dirname(state))).toEqual([]);
  });

  it.each([
    ["no lock", undefined],
    ["a stale lock", deadOwner()],
  ])(
    "with %s there, a run killed at any write while taking it leaves nothing that blocks the next run or stays behind",
    async (_name, lock) => {
      for (let k = 0; k < 12; k++) {
        const state = await stateWithLock(lock);
        const killed = await acquireLock(crashing(fs, k), state, { waitMs: 0, isAlive }).catch(
          () => undefined,
        );
        // The killed run's process is gone: its pid is dead from now on.
        const gone = (pid: number) => pid !== DEAD && pid !== process.pid;
        const next = await acquireLock(fs, state, { waitMs: 0, isAlive: gone });
        expect(next, `killed at write ${k}: ${JSON.stringify(killed)}`).toMatchObject({ ok: true });
        if (next.ok) await next.lock.release();
        expect(readdirSync(path.dirname(state)), `killed at write ${k}`).toEqual([]);
      }
    },
  );

  it("is taken without flushing the disk: a power loss ends its holder, and it is no lock after", async () => {
    const state = await stateWithLock();
    const recorded = recording(fs);
    const taken = await acquireLock(recorded, state, { waitMs: 0 });
    expect(taken).toMatchObject({ ok: true });
    const writes = recorded.calls.filter((c) => c.operation === "writeNewFile");
    expect(writes.length).toBeGreaterThan(0);
    expect(writes.map((c) => c.args[3])).toEqual(writes.map(() => false));
    expect(recorded.calls.map((c) => c.operation)).not.toContain("syncDirectory");
    if (taken.ok) await taken.lock.release();
  });

  it.each([
    ["an empty file", () => ""],
    ["a few bytes of its record", () => deadOwner().slice(0, 20)],
    ["its whole record, naming a process that is gone", deadOwner],
  ])("takes over what a power loss leaves of a lock: %s", async (_name, leftover) => {
    const state = await stateWithLock(leftover(), 60_000);
    const taken = await acquireLock(fs, state, { waitMs: 0 });
    expect(taken).toMatchObject({ ok: true });
    expect(JSON.parse(readFileSync(lockPathFor(state), "utf8"))).toMatchObject({
      pid: process.pid,
    });
    if (taken.ok) await taken.lock.release();
  });

  it.each(["EPERM", "ENOTSUP", "EOPNOTSUPP"])(
    "where hard links fail with %s, still takes the lock with its owner and leaves no temporary",
    async (code) => {
      const state = await stateWithLock();
      const noLinks = failing(fs, [{ operation: "link", code }]);
      const taken = await acquireLock(noLinks, state, { waitMs: 0 });
      expect(taken).toMatchObject({ ok: true });
      expect(readdirSync(path.dirname(state))).toEqual([path.basename(lockPathFor(state))]);
      expect(JSON.parse(readFileSync(lockPathFor(state), "utf8"))).toMatchObject({
        pid: process.pid,
      });
      expect(await acquireLock(noLinks, state, { waitMs: 0 })).toMatchObject({ ok: false });
      if (taken.ok) await taken.lock.release();
    },
  );
});

describe("taking over a stale lock", () => {
  it("lets only one of two runs hold it, whichever call the first is paused at while the second runs", async () => {
    // How many calls the first run makes when nothing gets in its way.
    const alone = recording(fs);
    const took = await acquireLock(alone, await stateWithLock(deadOwner()), { isAlive });
    if (took.ok) await took.lock.release();
    const calls = alone.calls.length - 2; // the release's two
    expect(calls).toBeGreaterThan(3);
    for (let n = 0; n < calls; n++) {
      const state = await stateWithLock(deadOwner());
      const first = pausedAt(fs, n);
      const a = acquireLock(first.fs, state, { waitMs: 100, pollMs: 5, isAlive });
      await first.reached;
      const b = await acquireLock(fs, state, { waitMs: 30, pollMs: 5, isAlive });
      first.resume();
      const ra = await a;
      expect([ra.ok, b.ok].filter(Boolean), `the first run paused at its call ${n}`).toEqual([
        true,
      ]);
      for (const r of [ra, b]) if (r.ok) await r.lock.release();
      expect(readdirSync(path.dirname(state)), `paused at call ${n}`).toEqual([]);
    }
  });

  it("lets several concurrent runs racing for it hold it one at a time", async () => {
    let holders = 0;
    let most = 0;
    for (let round = 0; round < 10; round++) {
      const state = await stateWithLock(deadOwner());
      const results = await Promise.all(
        Array.from({ length: 6 }, async () => {
          const r = await acquireLock(fs, state, { waitMs: 10_000, pollMs: 1, isAlive });
          if (!r.ok) return r;
          most = Math.max(most, ++holders);
          await new Promise((resolve) => setTimeout(resolve, 2));
          holders--;
          await r.lock.release();
          return r;
        }),
      );
      expect(results.map((r) => r.ok)).toEqual(Array.from({ length: 6 }, () => true));
      expect(readdirSync(path.dirname(state))).toEqual([]);
    }
    expect(most).toBe(1);
  });
});
