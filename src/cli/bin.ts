#!/usr/bin/env node
import { processIO } from "./io.js";
import { main } from "./main.js";

// No top-level await: the bin is bundled as CommonJS, which Node 20 loads faster.
void main(process.argv.slice(2), processIO()).then((code) => {
  process.exitCode = code;
});
