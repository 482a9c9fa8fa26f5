#!/usr/bin/env node
// linkman's bin (dist/bundle/linkman.js): runs the CLI bundle beside it (main.js) from V8's code
// cache of it (main.cache, made by the build from a real apply), so a run deserialises the
// bytecode of the functions an apply needs instead of compiling the 540 KB bundle again. Node
// 22.1+ has a compile cache of its own, used instead. Any cache that is missing, damaged, from
// another build or refused by V8 (another Node version, other V8 flags) means a plain compile.
"use strict";
// Plain CommonJS, run by Node as it is (copied by esbuild.config.mjs, not compiled).
/* global require, module, __dirname, process */
/* eslint-disable @typescript-eslint/no-require-imports */
const { closeSync, constants, fstatSync, openSync, readFileSync } = require("node:fs");
const Module = require("node:module");
const path = require("node:path");

const bundle = path.join(__dirname, "main.js");
// Set only by tests: says on stderr how the bundle was compiled.
const debug = process.env.LINKMAN_DEBUG_CODE_CACHE === "1";

if (typeof Module.enableCompileCache === "function") {
  // Node's own place for it (NODE_COMPILE_CACHE, else the system's temporary directory; off
  // with NODE_DISABLE_COMPILE_CACHE=1), as TypeScript's tsc does: nothing in the user's home.
  const { status } = Module.enableCompileCache();
  if (debug) process.stderr.write(`linkman: code cache: node ${status}\n`);
  require(bundle);
} else {
  const vm = require("node:vm");
  const source = readFileSync(bundle);
  const cachedData = codeCache(source);
  const script = new vm.Script(Module.wrap(source.toString()), { filename: bundle, cachedData });
  if (debug) {
    const how = !cachedData ? "none" : script.cachedDataRejected ? "rejected" : "used";
    process.stderr.write(`linkman: code cache: ${how}\n`);
  }
  // V8's young generation is kept small by the CLI, once a run is seen to be large
  // (src/cli/youngGeneration.ts): loading node:v8 here cost every short run ~4 ms.
  script
    .runInThisContext()
    .call(module.exports, module.exports, require, module, bundle, __dirname);
}

/**
 * V8's data from main.cache, or undefined. The file starts with the CRC-32 of the bundle's bytes
 * followed by V8's data (4 bytes, little-endian): V8 itself checks only the source's length and,
 * outside debug builds, no checksum, so the cache of another bundle of the same length, or a
 * flipped bit, would run wrong code or crash (tried: a two-byte change did both).
 */
function codeCache(source) {
  const MAX_CACHE_BYTES = 64 * 1024 * 1024; // the real one is about 0.5 MB
  try {
    const { crc32 } = require("node:zlib"); // Node 20.15+; older ones compile without a cache
    // Opened without waiting (a FIFO would block the open) and read only if a regular file of
    // a sane size: a FIFO or a link to /dev/zero in its place must not hang the bin.
    const fd = openSync(
      path.join(__dirname, "main.cache"),
      constants.O_RDONLY | constants.O_NONBLOCK,
    );
    let file;
    try {
      const stat = fstatSync(fd);
      // Size 0 too: /proc files say 0 and some read on for gigabytes.
      if (!stat.isFile() || stat.size === 0 || stat.size > MAX_CACHE_BYTES) return undefined;
      file = readFileSync(fd);
    } finally {
      closeSync(fd);
    }
    const data = file.subarray(4);
    if (crc32 && file.length > 4 && file.readUInt32LE(0) === crc32(data, crc32(source))) {
      return data;
    }
  } catch {
    // missing or unreadable: compile without it
  }
  return undefined;
}
