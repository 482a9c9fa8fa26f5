#!/usr/bin/env node
// linkman's bin (dist/bundle/linkman.js): runs the CLI bundle beside it (main.js) from V8's code
// cache of it (main.cache, made by the build from a real apply), so a run deserialises the
// bytecode of the functions an apply needs instead of compiling the 300 KB bundle again. The
// libraries only rare runs need (zod.js, yaml.js, expand.js) are files beside it, which the
// bundle requires with this file's `require`, so from this directory. Node 22.1+ has a compile
// cache of its own, used instead. Any cache that is missing, damaged, from another build or
// refused by V8 (another Node version, other V8 flags) means a plain compile.
"use strict";
// Plain CommonJS, run by Node as it is (copied by esbuild.config.mjs, not compiled).
/* global require, module, __dirname, process, Buffer */
/* eslint-disable @typescript-eslint/no-require-imports */
const { closeSync, constants, fstatSync, openSync, readSync, writeSync } = require("node:fs");
const path = require("node:path");
// CommonJS's Module, which node:module exports with more attached: loading node:module for it
// cost ~14 page faults a run. Node 22.1+, whose enableCompileCache only node:module attaches, loads it.
const major = Number(process.versions.node.split(".")[0]);
const Module = major >= 22 ? require("node:module") : module.constructor;

const bundle = path.join(__dirname, "main.js");
// main.cache's header: a CRC-32 and 4 zero bytes (see codeCache).
const HEADER_BYTES = 8;
// Set only by tests: says on stderr how the bundle was compiled.
const debug = process.env.LINKMAN_DEBUG_CODE_CACHE === "1";

if (typeof Module.enableCompileCache === "function") {
  // Node's own place for it (NODE_COMPILE_CACHE, else the system's temporary directory; off
  // with NODE_DISABLE_COMPILE_CACHE=1), as TypeScript's tsc does: nothing in the user's home.
  const { status } = Module.enableCompileCache();
  if (debug) writeSync(2, `linkman: code cache: node ${status}\n`);
  require(bundle);
} else {
  const vm = require("node:vm");
  // Fresh memory is costly to touch (each page fault ~15 µs on the VM this was measured on), so
  // one buffer serves the bundle's bytes and then the cache's: the bundle is read between the
  // two halves of CommonJS's wrapper, which makes its string flat (V8 would copy a
  // concatenation again before looking the cache up), and the cache read over it once the
  // string is made.
  const [head, tail] = Module.wrapper;
  // Opened first, so that the bundle's buffer is made large enough for the cache too.
  const cache = openCache();
  let buffer;
  try {
    buffer = readInto(bundle, head, tail, cache?.size ?? 0);
  } catch (error) {
    // A damaged install, said in one line: not a stack trace, and not an empty program run.
    writeSync(
      2,
      `linkman: cannot read its bundle ${bundle} (${error.code ?? error.message}); reinstall linkman\n`,
    );
    process.exit(1);
  }
  const source = buffer.toString();
  const cachedData = cache && codeCache(buffer, cache);
  const script = new vm.Script(source, { filename: bundle, cachedData });
  if (debug) {
    const how = !cachedData ? "none" : script.cachedDataRejected ? "rejected" : "used";
    writeSync(2, `linkman: code cache: ${how}\n`);
  }
  // V8's young generation is kept small by the CLI, once a run is seen to be large
  // (src/cli/youngGeneration.ts): loading node:v8 here cost every short run ~4 ms.
  script
    .runInThisContext()
    .call(module.exports, module.exports, require, module, bundle, __dirname);
}

/**
 * The bytes of the file at `file` between `head` and `tail` (latin1: ASCII here), in a buffer of
 * at least `room` bytes. Only a regular file: a link to /dev/zero says size 0 (an empty program
 * would run, and exit 0), and a FIFO would block the open (hence O_NONBLOCK, which a regular file
 * ignores).
 */
function readInto(file, head, tail, room) {
  const fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw new Error("not a regular file");
    const size = stat.size;
    const buffer = Buffer.allocUnsafeSlow(Math.max(head.length + size + tail.length, room));
    buffer.latin1Write(head, 0);
    const end = head.length + readAll(fd, buffer, head.length, size);
    buffer.latin1Write(tail, end);
    return buffer.subarray(0, end + tail.length);
  } finally {
    closeSync(fd);
  }
}

/** Reads up to `length` bytes from `fd` into `buffer` at `offset`; the count read (less at EOF). */
function readAll(fd, buffer, offset, length) {
  let done = 0;
  while (done < length) {
    const n = readSync(fd, buffer, offset + done, length - done, null);
    if (n === 0) break;
    done += n;
  }
  return done;
}

/**
 * main.cache opened without waiting (a FIFO would block the open), with its size, if it is a
 * regular file of a sane size: a FIFO or a link to /dev/zero in its place must not hang the bin.
 * Size 0 too: /proc files say 0 and some read on for gigabytes. Otherwise undefined (no cache).
 */
function openCache() {
  const MAX_CACHE_BYTES = 64 * 1024 * 1024; // the real one is about 0.5 MB
  let fd;
  try {
    fd = openSync(path.join(__dirname, "main.cache"), constants.O_RDONLY | constants.O_NONBLOCK);
    const stat = fstatSync(fd);
    if (stat.isFile() && stat.size > HEADER_BYTES && stat.size <= MAX_CACHE_BYTES) {
      return { fd, size: stat.size };
    }
  } catch {
    // missing or unreadable: compile without it
  }
  if (fd !== undefined) closeSync(fd);
  return undefined;
}

/**
 * V8's data from the opened cache (see openCache; closed here), read into `source`'s buffer (made
 * by readInto with room for it), or undefined. The file is the CRC-32 (4 bytes, little-endian) of
 * the wrapped source's bytes followed by V8's data, then 4 zero bytes so that V8's data starts
 * 8-aligned (V8 copies it first otherwise), then V8's data. V8 itself checks only the source's
 * length and, outside debug builds, no checksum, so the cache of another bundle of the same
 * length, or a flipped bit, would run wrong code or crash (tried: a two-byte change did both).
 */
function codeCache(source, { fd, size }) {
  try {
    const crc32 = zlibCrc32();
    if (!crc32) return undefined;
    const sourceCrc = crc32(source);
    // Read over the source's bytes, no longer needed (its string is a copy), in the buffer that
    // readInto made large enough: fresh memory costs a page fault a page (-75 on a no-op here).
    const into = Buffer.from(source.buffer, source.byteOffset, size);
    const file = into.subarray(0, readAll(fd, into, 0, size));
    const data = file.subarray(HEADER_BYTES);
    if (file.length > HEADER_BYTES && file.readUInt32LE(0) === crc32(data, sourceCrc)) return data;
  } catch {
    // unreadable: compile without it
  } finally {
    closeSync(fd);
  }
  return undefined;
}

/**
 * zlib's CRC-32 (Node 20.15+; undefined before, and the bundle is compiled without the cache).
 * Taken from zlib's binding rather than node:zlib, whose module loads Node's stream modules
 * (100-link no-op: -8 ms CPU, 21 of 31 interleaved runs faster). Only Node 20 and 21 come here,
 * whose releases have ended, so the binding no longer changes; its deprecation (DEP0111) warns
 * only under --pending-deprecation, which is kept quiet for this one call.
 */
function zlibCrc32() {
  const quiet = process.noDeprecation;
  process.noDeprecation = true;
  try {
    const { crc32 } = process.binding("zlib");
    return crc32 && ((data, value = 0) => crc32(data, value));
  } finally {
    process.noDeprecation = quiet;
  }
}
