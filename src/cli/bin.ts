#!/usr/bin/env node
import { processIO } from "./io.js";
import { main } from "./main.js";

// A reader that stops early (`linkman plan | head`) closes the pipe: that is not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw error;
  });
}

// No top-level await: the bin is bundled as CommonJS, which Node 20 loads faster.
void main(process.argv.slice(2), processIO()).then((code) => {
  process.exitCode = code;
});
