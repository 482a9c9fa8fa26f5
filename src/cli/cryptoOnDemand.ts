/**
 * node:crypto for the bin, loaded on first use: the bundle build (esbuild.config.mjs) puts this in
 * place of `node:crypto` in linkman's modules. Loading it costs a short run ~7 ms (a dozen
 * internal modules and the stream modules), and a no-op apply never needs it: the state file's
 * name and the lock do without (src/state/sha256.ts, lock.ts); temporaries and hook wrappers
 * call it when they are made. The library (built by tsc) imports node:crypto as written.
 */
import type * as Crypto from "node:crypto";

// The bundle is CommonJS: this require runs when called, not when the bundle loads.
declare const require: (id: string) => unknown;

let crypto: typeof Crypto | undefined;
const load = () => (crypto ??= require("node:crypto") as typeof Crypto);

/** node:crypto's `randomBytes`, loading the module on the first call. */
export const randomBytes = ((...args: Parameters<typeof Crypto.randomBytes>) =>
  load().randomBytes(...args)) as typeof Crypto.randomBytes;

/** node:crypto's `createHash`, loading the module on the first call. */
export const createHash = ((...args: Parameters<typeof Crypto.createHash>) =>
  load().createHash(...args)) as typeof Crypto.createHash;
