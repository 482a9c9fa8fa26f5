import os from "node:os";
import path from "node:path";
import type { FileSystem } from "../fs/fileSystem.js";
import { errorCode, readTextFile } from "../fs/fileSystem.js";
import { ensureDirectory } from "../fs/ensureDirectory.js";

/** Who holds a lock, as written in the lock file. */
export interface LockOwner {
  pid: number;
  hostname: string;
  startedAt: string;
}

/** A held lock; `release` removes the lock file. */
export interface Lock {
  file: string;
  release(): Promise<void>;
}

/** Taking a lock: held, or held by someone else after waiting. */
export type LockResult = { ok: true; lock: Lock } | { ok: false; message: string };

/** How long to wait for another run, and how to tell whether a process is alive. */
export interface LockOptions {
  waitMs?: number;
  pollMs?: number;
  /** Whether a process on this host is still running; a dead owner's lock is stale. */
  isAlive?: (pid: number) => boolean;
}

/** The lock file of a state file. */
export const lockPathFor = (stateFile: string) => `${stateFile}.lock`;

/**
 * Takes the lock beside a state file so two runs never interleave. A lock held by a live
 * process is waited for (briefly), then reported naming the lock file and its owner; a
 * lock whose owner on this host is gone (killed) is stale and taken over.
 */
export async function acquireLock(
  fs: FileSystem,
  stateFile: string,
  options: LockOptions = {},
): Promise<LockResult> {
  const file = lockPathFor(stateFile);
  const waitMs = options.waitMs ?? 3000;
  const pollMs = options.pollMs ?? 100;
  const isAlive = options.isAlive ?? processIsAlive;
  const me: LockOwner = {
    pid: process.pid,
    hostname: os.hostname(),
    startedAt: new Date().toISOString(),
  };
  const deadline = Date.now() + waitMs;
  // Directories made for the lock are removed again on release if nothing else was put in
  // them, so a run that changes nothing leaves nothing behind.
  let created: string[];
  try {
    created = await ensureDirectory(fs, path.dirname(file));
  } catch (error) {
    return {
      ok: false,
      message: `cannot create the state directory ${path.dirname(file)}: ${errorCode(error) ?? String(error)}`,
    };
  }
  const removeCreated = async () => {
    for (const dir of [...created].reverse()) await fs.rmdir(dir).catch(() => undefined);
  };
  const release = async () => {
    await fs.unlink(file).catch(() => undefined);
    await removeCreated();
  };

  for (;;) {
    try {
      await fs.writeNewFile(file, `${JSON.stringify(me)}\n`);
      return { ok: true, lock: { file, release } };
    } catch (error) {
      if (errorCode(error) !== "EEXIST") {
        return {
          ok: false,
          message: `cannot create the lock file ${file}: ${errorCode(error) ?? String(error)}`,
        };
      }
    }
    const owner = await readOwner(fs, file);
    if (owner && owner.hostname === me.hostname && !isAlive(owner.pid)) {
      // The owner was killed: take the lock over. Look once more right before removing it,
      // so a lock another waiter has just taken over is not removed by mistake; the
      // exclusive create that follows decides who holds it.
      const again = await readOwner(fs, file);
      if (again && again.pid === owner.pid && again.startedAt === owner.startedAt) {
        await fs.unlink(file).catch(() => undefined);
      }
      continue;
    }
    if (Date.now() >= deadline) {
      await removeCreated();
      const who = owner
        ? `process ${owner.pid} on ${owner.hostname}, since ${owner.startedAt}`
        : "another linkman run";
      return {
        ok: false,
        message: `another linkman run holds the lock ${file} (${who}); wait for it to finish, or remove the lock file if that process is gone`,
      };
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

async function readOwner(fs: FileSystem, file: string): Promise<LockOwner | undefined> {
  try {
    const owner = JSON.parse(await readTextFile(fs, file, 4096)) as Partial<LockOwner>;
    return typeof owner.pid === "number" && typeof owner.hostname === "string"
      ? { pid: owner.pid, hostname: owner.hostname, startedAt: String(owner.startedAt) }
      : undefined;
  } catch {
    return undefined; // being written or removed right now: wait and look again
  }
}

/** Whether a process exists (signal 0 checks without sending anything). */
export function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return errorCode(error) === "EPERM"; // exists, but belongs to someone else
  }
}
