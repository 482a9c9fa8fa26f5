import { randomBytes } from "node:crypto";
import os from "node:os";
import path from "node:path";
import * as z from "zod";
import { lazy } from "../lazy.js";
import type { FileSystem } from "../fs/fileSystem.js";
import { errorCode, lstatIfExists, readTextFile } from "../fs/fileSystem.js";
import { ensureDirectory } from "../fs/ensureDirectory.js";
import { sha256Hex } from "./sha256.js";
import { isoTime } from "../isoTime.js";

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
 * How old an empty or unreadable lock, claim or temporary must be to count as left by a run
 * killed while writing it: a live run writes its few bytes in far less.
 */
const UNREADABLE_STALE_MS = 10_000;
/** A temporary of the lock older than this is a leftover, whichever host made it. */
const LEFTOVER_MS = 60_000;
/** How many runs killed while taking over one stale lock are passed over before giving up. */
const MAX_CLAIMS = 16;
/** What `link` fails with where a filesystem has no hard links (FAT, some network shares). */
const NO_HARD_LINKS = new Set(["EPERM", "ENOTSUP", "EOPNOTSUPP", "ENOSYS"]);

// Printed in messages, so no control characters.
const printable = (max: number) =>
  z
    .string()
    .max(max)
    .regex(/^\P{Cc}*$/u);
const ownerSchema = lazy(() =>
  z.object({
    pid: z.number().int().positive(),
    hostname: printable(255),
    startedAt: printable(64),
  }),
);

/** What is at a lock (or claim, or temporary) path: its owner, and a key that changes when it is replaced. */
interface Seen {
  owner: LockOwner | undefined;
  mtimeMs: number;
  key: string;
}

/**
 * Takes the lock beside a state file so two runs never interleave. The lock file is created
 * with its owner already in it (a temporary, hard-linked into place, so a kill or a full disk
 * never leaves it empty). Neither it nor its directory is flushed to the disk (an fsync each,
 * ~4 ms of a run on a disk): a power loss ends the run that held it, and what it may leave
 * (no lock file, an empty one, or one with a few bytes of its record) is no lock or a stale
 * one, taken over as below; a whole record names a process that is gone. A lock held by a live
 * process is waited for (briefly), then reported naming the lock file and its owner. A lock
 * whose owner on this host is gone (killed), or that has held no owner record for a few
 * seconds, is stale and taken over; only one of several runs can take over the same stale
 * lock (see `takeOver`).
 */
export async function acquireLock(
  fs: FileSystem,
  stateFile: string,
  options: LockOptions = {},
): Promise<LockResult> {
  const file = lockPathFor(stateFile);
  const dir = path.dirname(file);
  const waitMs = options.waitMs ?? 3000;
  const pollMs = options.pollMs ?? 100;
  const isAlive = options.isAlive ?? processIsAlive;
  const me: LockOwner & { id: string } = {
    pid: process.pid,
    hostname: os.hostname(),
    startedAt: isoTime(),
    // Two takers in one process in one millisecond still write different records.
    id: randomBytes(8).toString("hex"),
  };
  const record = `${JSON.stringify(me)}\n`;
  const isStale = (seen: Seen) =>
    seen.owner
      ? seen.owner.hostname === me.hostname && !isAlive(seen.owner.pid)
      : Date.now() - seen.mtimeMs > UNREADABLE_STALE_MS;
  const deadline = Date.now() + waitMs;
  // Directories made for the lock are removed again on release if nothing else was put in
  // them, so a run that changes nothing leaves nothing behind.
  let created: string[];
  try {
    created = await ensureDirectory(fs, dir);
  } catch (error) {
    return {
      ok: false,
      message: `cannot create the state directory ${dir}: ${errorCode(error) ?? String(error)}`,
    };
  }
  const removeCreated = async () => {
    for (const d of [...created].reverse()) await fs.rmdir(d).catch(() => undefined);
  };
  const release = async () => {
    await fs.unlink(file).catch(() => undefined);
    await removeCreated();
  };

  // A retry without waiting follows a change another run made; bounded all the same.
  for (let retries = 0; ;) {
    let seen: Seen | undefined;
    try {
      seen = await look(fs, file);
      if (!seen) {
        if (await createExclusively(fs, file, record, file)) {
          await sweepLeftovers(fs, file, isStale);
          return { ok: true, lock: { file, release } };
        }
        if (retries++ < 100) continue; // taken just now: look at who took it
      } else if (isStale(seen) && (await takeOver(fs, file, seen, record, isStale))) {
        if (retries++ < 100) continue;
      }
    } catch (error) {
      await removeCreated();
      return {
        ok: false,
        message: `cannot create the lock file ${file}: ${errorCode(error) ?? String(error)}`,
      };
    }
    if (Date.now() >= deadline) {
      await removeCreated();
      const owner = seen?.owner;
      const who = owner
        ? `process ${owner.pid} on ${owner.hostname}, since ${owner.startedAt}`
        : "another linkman run";
      return {
        ok: false,
        message: `another linkman run holds the lock ${file} (${who}); wait for it to finish, or remove the lock file if that process is gone`,
      };
    }
    retries = 0;
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

/**
 * Removes a stale lock so that only one run does, however many saw it stale. Looking, then
 * removing by name is not enough: another run may have taken the lock over in between. So the
 * remover first creates a claim named after exactly this stale lock (`LOCK.claim-KEY-N`):
 * only one run can create claim N, and it counts only while every claim below N belongs to a
 * run that is gone. Holding it, the run looks once more and removes the lock only if it is
 * still the stale one; nothing else can remove or replace it meanwhile (its owner is gone,
 * and every other remover lacks the claim). Returns whether the lock was removed or had
 * changed; false while another live run holds the claim (wait for it).
 */
async function takeOver(
  fs: FileSystem,
  file: string,
  stale: Seen,
  record: string,
  isStale: (seen: Seen) => boolean,
): Promise<boolean> {
  const key = sha256Hex(stale.key).slice(0, 12);
  for (let n = 1; n <= MAX_CLAIMS; n++) {
    const claim = `${file}.claim-${key}-${n}`;
    if (!(await createExclusively(fs, claim, record, file))) {
      // Passed over only when its run is gone: one that just vanished was removed by a run
      // that finished, and a run starting afresh may take its number again.
      const other = await look(fs, claim);
      if (!other || !isStale(other)) return false;
      continue;
    }
    try {
      if ((await look(fs, file))?.key === stale.key) await fs.unlink(file);
    } finally {
      // Only its own claim: the lower ones stay until the sweep, so no run that starts
      // afresh can take one of their numbers while a later claim is in use.
      await fs.unlink(claim).catch(() => undefined);
    }
    return true;
  }
  return false;
}

/**
 * Creates `file` holding `text`, or answers false if something is there. The text goes to a
 * temporary first, which is hard-linked into place (atomic, and EEXIST if taken), so
 * `file` never exists without its text. Where hard links are not supported the file is
 * created in place; a kill can then leave it empty, which `UNREADABLE_STALE_MS` makes stale.
 */
async function createExclusively(
  fs: FileSystem,
  file: string,
  text: string,
  lockFile: string,
): Promise<boolean> {
  // Named after the lock, whatever it is for, so that the sweep finds it.
  const temporary = `${lockFile}.${process.pid}-${randomBytes(4).toString("hex")}.tmp`;
  try {
    await fs.writeNewFile(temporary, text, undefined, false);
  } catch (error) {
    await fs.unlink(temporary).catch(() => undefined); // a full disk leaves it empty
    throw error;
  }
  try {
    await fs.link(temporary, file);
    return true;
  } catch (error) {
    if (errorCode(error) === "EEXIST") return false;
    if (!NO_HARD_LINKS.has(errorCode(error) ?? "")) throw error;
  } finally {
    await fs.unlink(temporary).catch(() => undefined);
  }
  try {
    await fs.writeNewFile(file, text, undefined, false);
    return true;
  } catch (error) {
    if (errorCode(error) === "EEXIST") return false;
    throw error;
  }
}

/**
 * What is at `file`, or undefined if nothing is. Read with a bound and shape-checked (a lock
 * is untrusted input), between two looks at the file so that the key names one file.
 */
async function look(fs: FileSystem, file: string): Promise<Seen | undefined> {
  for (let tries = 0; ; tries++) {
    const before = await lstatIfExists(fs, file);
    if (!before) return undefined;
    const text = before.type === "file" ? await readTextFile(fs, file, 4096).catch(() => "") : "";
    const after = await lstatIfExists(fs, file);
    if (!after) return undefined;
    const same =
      before.ino === after.ino &&
      before.dev === after.dev &&
      before.mtimeMs === after.mtimeMs &&
      before.size === after.size;
    if (same || tries >= 2) {
      return {
        owner: parseOwner(text),
        mtimeMs: after.mtimeMs,
        key: `${after.dev}:${after.ino}:${after.mtimeMs}:${after.size}:${text}`,
      };
    }
  }
}

function parseOwner(text: string): LockOwner | undefined {
  try {
    const parsed = ownerSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined; // empty (being written, or a kill while writing it) or not JSON
  }
}

/**
 * Removes what killed runs left beside the lock, once it is held: every claim (each was for
 * a stale lock that is gone by now) and the temporaries whose owner is gone or that are old.
 */
async function sweepLeftovers(
  fs: FileSystem,
  file: string,
  isStale: (seen: Seen) => boolean,
): Promise<void> {
  const dir = path.dirname(file);
  const base = path.basename(file);
  const entries = await fs.readdir(dir).catch(() => []);
  for (const { name } of entries) {
    if (!name.startsWith(`${base}.`)) continue;
    const rest = name.slice(base.length);
    const leftover = path.join(dir, name);
    if (/^\.\d+-[0-9a-f]{8}\.tmp$/.test(rest)) {
      const seen = await look(fs, leftover).catch(() => undefined);
      if (!seen || (!isStale(seen) && Date.now() - seen.mtimeMs < LEFTOVER_MS)) continue;
    } else if (!/^\.claim-[0-9a-f]{12}-\d+$/.test(rest)) continue;
    await fs.unlink(leftover).catch(() => undefined);
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
