import type { FileSystem, Operation } from "./fileSystem.js";
import { WRITE_OPERATIONS } from "./fileSystem.js";

/** A FileSystem whose every call goes to `handle(operation, args, call)`. */
function intercept(
  inner: FileSystem,
  handle: (operation: Operation, args: unknown[], call: () => Promise<unknown>) => Promise<unknown>,
): FileSystem {
  // One wrapper per method, made on first use (not a new closure per call: a plan of 10,000
  // links makes tens of thousands of calls), and made again if the method is replaced.
  const wrappers = new Map<PropertyKey, { method: unknown; wrapper: unknown }>();
  return new Proxy(inner, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver) as unknown;
      if (typeof value !== "function") return value;
      const known = wrappers.get(key);
      if (known?.method === value) return known.wrapper;
      const wrapper = (...args: unknown[]) =>
        handle(key as Operation, args, () =>
          (value as (...a: unknown[]) => Promise<unknown>).apply(target, args),
        );
      wrappers.set(key, { method: value, wrapper });
      return wrapper;
    },
  });
}

const isWrite = (operation: Operation) =>
  (WRITE_OPERATIONS as readonly string[]).includes(operation);

/** Thrown when something tries to write through a read-only FileSystem: a bug, never a user error. */
export class ReadOnlyViolation extends Error {
  constructor(operation: string, path: unknown) {
    super(`internal: attempted ${operation} on ${String(path)} through a read-only filesystem`);
    this.name = "ReadOnlyViolation";
  }
}

/**
 * For `plan`, `status` and `--dry-run`: reads pass through, any write throws. One plain
 * method each, not `intercept`'s Proxy: a plan of 10,000 links reads through it 30,000 times,
 * and each call through the Proxy took a trap, a lookup, a rest array and a closure. Each
 * call asks `inner` for its method then, as the Proxy did.
 */
export function readOnly(inner: FileSystem): FileSystem {
  const refuse = (operation: (typeof WRITE_OPERATIONS)[number]) => (first: unknown) =>
    Promise.reject(new ReadOnlyViolation(operation, first));
  return {
    lstat: (path) => inner.lstat(path),
    stat: (path) => inner.stat(path),
    lstatIfExists: (path) => inner.lstatIfExists(path),
    statIfExists: (path) => inner.statIfExists(path),
    // Called as it was called: a filesystem that records calls sees no added `undefined`.
    readdir: (path, maxEntries) =>
      maxEntries === undefined ? inner.readdir(path) : inner.readdir(path, maxEntries),
    readFile: (path, maxBytes) => inner.readFile(path, maxBytes),
    readlink: (path) => inner.readlink(path),
    realpath: (path) => inner.realpath(path),
    syncDirectory: (path) => inner.syncDirectory(path),
    writeNewFile: refuse("writeNewFile"),
    symlink: refuse("symlink"),
    link: refuse("link"),
    copyFile: refuse("copyFile"),
    rename: refuse("rename"),
    unlink: refuse("unlink"),
    rmdir: refuse("rmdir"),
    mkdir: refuse("mkdir"),
  };
}

/** One call made through a recording FileSystem. */
export interface RecordedCall {
  operation: Operation;
  args: unknown[];
}

/** For tests: every call, in order, in `calls` (and then passed through). */
export function recording(inner: FileSystem): FileSystem & { calls: RecordedCall[] } {
  const calls: RecordedCall[] = [];
  const fs = intercept(inner, (operation, args, call) => {
    calls.push({ operation, args });
    return call();
  });
  return Object.assign(fs, { calls });
}

/** When an injected fault fires: which operation, on which path, which occurrence. */
export interface Fault {
  /** The operation to fail; any write when omitted. */
  operation?: Operation;
  /** Only calls whose first path argument equals this or matches it. */
  path?: string | RegExp;
  /** Fail only the n-th matching call (1-based); every matching call when omitted. */
  nth?: number;
  /** The errno code to fail with, such as EACCES, EPERM, ENOSPC. */
  code: string;
}

/** An error shaped like Node's filesystem errors. */
export function fsError(code: string, operation: string, path: string): NodeJS.ErrnoException {
  const error: NodeJS.ErrnoException = new Error(
    `${code}: injected failure, ${operation} '${path}'`,
  );
  error.code = code;
  error.syscall = operation;
  error.path = path;
  return error;
}

/** For fault injection: calls that match a fault fail with its errno code, without touching the disk. */
export function failing(inner: FileSystem, faults: Fault[]): FileSystem {
  const seen = faults.map(() => 0);
  return intercept(inner, (operation, args, call) => {
    // The path a call is about: the one it creates (symlink, link) or the first one.
    const paths = args.filter((a): a is string => typeof a === "string");
    const path = (operation === "symlink" || operation === "link" ? paths[1] : paths[0]) ?? "";
    for (const [i, fault] of faults.entries()) {
      const operationMatches = fault.operation ? fault.operation === operation : isWrite(operation);
      const rule = fault.path;
      const pathMatches =
        rule === undefined ||
        paths.some((p) => (typeof rule === "string" ? rule === p : rule.test(p)));
      if (!operationMatches || !pathMatches) continue;
      seen[i] = (seen[i] ?? 0) + 1;
      if (fault.nth === undefined || fault.nth === seen[i]) {
        return Promise.reject(fsError(fault.code, operation, path));
      }
    }
    return call();
  });
}

/** Thrown by a crashing FileSystem for every write after the crash. */
export class SimulatedCrash extends Error {
  constructor(operation: string) {
    super(`simulated crash before ${operation}`);
    this.name = "SimulatedCrash";
  }
}

/** For crash tests: the first `writes` writes happen, every later one fails, as if the process had died there. */
export function crashing(
  inner: FileSystem,
  writes: number,
): FileSystem & { writesDone: () => number } {
  let done = 0;
  const fs = intercept(inner, (operation, _args, call) => {
    if (!isWrite(operation)) return call();
    if (done >= writes) return Promise.reject(new SimulatedCrash(operation));
    done++;
    return call();
  });
  return Object.assign(fs, { writesDone: () => done });
}

/**
 * For race tests: `before(operation, args)` runs right before each call (and may change
 * the disk, as another process would at that exact moment), then the call goes through.
 */
export function interleaved(
  inner: FileSystem,
  before: (operation: Operation, args: unknown[]) => void | Promise<void>,
): FileSystem {
  return intercept(inner, async (operation, args, call) => {
    await before(operation, args);
    return call();
  });
}
