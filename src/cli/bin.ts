#!/usr/bin/env node
import { processIO } from "./io.js";
import { main } from "./main.js";

// No top-level await: the bin is bundled as CommonJS, which Node 20 loads faster.
const io = processIO();
void main(process.argv.slice(2), io).then((code) => io.end(code));
