/**
 * node:crypto for the bin, loaded on first use: the bundle build (esbuild.config.mjs) puts this in
 * place of `node:crypto` in linkman's modules. Loading it costs a short run ~7 ms (a dozen
 * internal modules), and an apply never needs it: the state file's name and the lock's key
 * come from src/state/sha256.ts, and random names (the lock's, temporaries') from the system's
 * random source where it is a device (/dev/urandom, what node:crypto's generator is seeded
 * from). The library (built by tsc) imports node:crypto as written.
 */
import type * as Crypto from "node:crypto";
import { closeSync, openSync, readSync } from "node:fs";

// The bundle is CommonJS: this require runs when called, not when the bundle loads.
declare const require: (id: string) => unknown;

let crypto: typeof Crypto | undefined;
const load = () => (crypto ??= require("node:crypto") as typeof Crypto);

/** node:crypto's `randomBytes`: `size` bytes from /dev/urandom where it can be read, else node:crypto's. */
export const randomBytes = ((...args: unknown[]) =>
  (args.length === 1 && process.platform !== "win32" && fromDevice(args[0])) ||
  (load().randomBytes as (...a: unknown[]) => unknown)(...args)) as typeof Crypto.randomBytes;

/** node:crypto's `createHash`, loading the module on the first call. */
export const createHash = ((...args: Parameters<typeof Crypto.createHash>) =>
  load().createHash(...args)) as typeof Crypto.createHash;

/** `size` random bytes read from /dev/urandom (never blocks, the kernel's CSPRNG), or undefined if it cannot be read. */
function fromDevice(size: unknown): Buffer | undefined {
  // Short names only; anything else (a bad size, a large buffer) is node:crypto's to answer.
  if (typeof size !== "number" || !Number.isSafeInteger(size) || size < 1 || size > 1024)
    return undefined;
  try {
    const fd = openSync("/dev/urandom", "r");
    try {
      const bytes = Buffer.alloc(size);
      for (let done = 0; done < size;) {
        const read = readSync(fd, bytes, done, size - done, null);
        if (read === 0) return undefined;
        done += read;
      }
      return bytes;
    } finally {
      closeSync(fd);
    }
  } catch {
    return undefined; // no /dev (a bare chroot): node:crypto's generator
  }
}
