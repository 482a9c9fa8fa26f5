// Bundles the CLI into one CommonJS file: Node 20 starts it faster than ES modules (measured
// with CPU profiles: ESM chunks spent ~50 ms in the module loader for a 100-link no-op; one
// CommonJS file skips the loader's per-module resolving and linking). Commands stay lazy:
// each `await import()` becomes code run only when called. The library (dist/index.js, with
// types) is built by tsc.
import { execFileSync, spawnSync } from "node:child_process";
import {
  chmodSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  unlinkSync,
  writeFileSync,
} from "node:fs";
import * as nodeModule from "node:module";
import os from "node:os";
import path from "node:path";
import { build } from "esbuild";

/**
 * commander requires `child_process` at load, for executable subcommands only, which linkman
 * has none of; Node compiles it and the modules it needs (net, dgram, …) on every run: ~10 ms
 * of a 100-link no-op's CPU. This loads it on first use instead. If commander's source no
 * longer has the line, the build fails rather than silently losing the saving.
 */
const lazyChildProcess = {
  name: "lazy-child-process",
  setup(build) {
    build.onLoad({ filter: /commander[\\/]lib[\\/]command\.js$/ }, ({ path }) => {
      const eager = "const childProcess = require('node:child_process');";
      const source = readFileSync(path, "utf8");
      if (!source.includes(eager)) throw new Error(`${path}: no longer has \`${eager}\``);
      const lazy =
        "const childProcess = { spawn: (...a) => require('node:child_process').spawn(...a) };";
      return { contents: source.replace(eager, lazy), loader: "js" };
    });
  },
};

/**
 * picocolors decides when loaded whether colour is supported, reading process.stdout unless
 * NO_COLOR is set: that makes Node's stdout stream and loads its stream modules (~5 ms and ~150
 * page faults of a run whose output is a pipe). linkman only asks it for createColors with its
 * own answer (src/cli/output.ts's colorFor), so in the bin that reading is taken out. If
 * picocolors' source no longer has it, the build fails rather than silently losing the saving.
 */
const picocolorsWithoutStdout = {
  name: "picocolors-without-stdout",
  setup(build) {
    build.onLoad({ filter: /picocolors[\\/]picocolors\.js$/ }, ({ path }) => {
      const eager = "(p.stdout || {}).isTTY";
      const source = readFileSync(path, "utf8");
      if (!source.includes(eager)) throw new Error(`${path}: no longer has \`${eager}\``);
      return { contents: source.replace(eager, "false"), loader: "js" };
    });
  },
};

/**
 * zod's module costs ~16 ms of a 100-link no-op's CPU to start, and a valid manifest and state
 * never build a schema. In the bin, linkman's `import * as z from "zod"` becomes the stand-in in
 * src/cli/zodOnDemand.ts, which runs zod's modules on the first schema built; the library keeps
 * the import as written. The build fails below if any other module of the bin imports zod.
 */
const zodOnDemand = {
  name: "zod-on-demand",
  setup(build) {
    const standIn = path.resolve("src/cli/zodOnDemand.ts");
    build.onLoad({ filter: /[\\/]src[\\/].*\.ts$/ }, ({ path: file }) => {
      const source = readFileSync(file, "utf8");
      const eager = 'import * as z from "zod";';
      if (!source.includes(eager)) return undefined;
      return {
        contents: source.replace(eager, `import { z } from ${JSON.stringify(standIn)};`),
        loader: "ts",
      };
    });
  },
};

/**
 * picomatch's modules cost ~0.7 ms of every run to start, and linkman calls only its `scan`, and
 * only for a text with a glob character: an explicit manifest never does. In the bin, linkman's
 * `import picomatch from "picomatch"` becomes the stand-in in src/cli/picomatchOnDemand.ts, which
 * starts picomatch on the first scan; the build fails if a module uses picomatch otherwise.
 */
const picomatchOnDemand = {
  name: "picomatch-on-demand",
  setup(build) {
    const standIn = path.resolve("src/cli/picomatchOnDemand.ts");
    build.onResolve({ filter: /^picomatch$/ }, ({ importer }) => {
      if (!/[\\/]src[\\/]/.test(importer) || importer === standIn) return undefined;
      // Every use but the import itself is a call of scan (comments aside).
      const code = readFileSync(importer, "utf8").replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, "");
      const other = code
        .replace('import picomatch from "picomatch";', "")
        .match(/\bpicomatch\b(?!\.scan\()/);
      if (other) throw new Error(`${importer} uses picomatch other than picomatch.scan()`);
      return { path: standIn };
    });
  },
};

/**
 * node:crypto costs ~7 ms of a short run to load (a dozen internal modules, and the stream
 * modules), and an apply needs from it only random names (the lock's, temporaries') and a hook
 * wrapper's digest. In the bin, linkman's imports of it become the stand-in in
 * src/cli/cryptoOnDemand.ts, which reads random bytes from /dev/urandom and loads node:crypto
 * on first call otherwise; the build fails if a module imports from it what the stand-in lacks.
 */
const cryptoOnDemand = {
  name: "crypto-on-demand",
  setup(build) {
    const standIn = path.resolve("src/cli/cryptoOnDemand.ts");
    build.onResolve({ filter: /^(node:)?crypto$/ }, ({ importer }) =>
      /[\\/]src[\\/]/.test(importer) && importer !== standIn ? { path: standIn } : undefined,
    );
  },
};

/**
 * `import path from "node:path"` in an ES module bundled as CommonJS becomes, in each of the 46
 * modules that write it, esbuild's `__toESM(require("node:path"))`: a copy of the builtin with a
 * getter closure per export, made at start-up (~300 KB, most of it kept to the end). In the bin,
 * src/'s imports of these builtins go through one module whose default export is the builtin
 * itself; a named import from them fails the build rather than silently copying again.
 */
const builtinDefaults = {
  name: "builtin-defaults",
  setup(build) {
    build.onResolve({ filter: /^node:(path|os)$/ }, ({ path: id, importer, namespace }) =>
      namespace === "file" && /[\\/]src[\\/]/.test(importer)
        ? { path: id, namespace: "builtin-default" }
        : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: "builtin-default" }, ({ path: id }) => ({
      contents: `export default require(${JSON.stringify(id)});`,
      loader: "js",
    }));
  },
};

/**
 * Libraries that only rare runs need, each in its own file beside main.js that the bundle
 * `require`s on first use, so a run does not read, checksum and make a string of them: zod
 * (explaining a bad file, a JSON Schema, a saved plan), the `yaml` library (a manifest the fast
 * reader declines, `import stow/dotbot`), @inquirer/expand (`apply --interactive`), ~270 KB of
 * the 570, and commander (40 KB of the 307 left: every command but the few src/cli/quickArgs.ts
 * parses, so not an apply, plan or status). Each file holds the library alone and linkman's own modules stay in main.js, so no
 * module's state or class is split in two. `require` of "./NAME.js" resolves beside main.js both
 * when the loader runs it (its own `require`, in the same directory) and when Node does (22.1+).
 */
const apart = [
  // src/cli/zodOnDemand.ts requires the list of zod's functions linkman uses.
  {
    file: "zod.js",
    from: /^\.\/zodExports\.js$/,
    entry: { entryPoints: ["src/cli/zodExports.ts"] },
  },
  { file: "yaml.js", from: /^yaml$/, entry: adapter('module.exports = require("yaml");') },
  // `import expand from` in an ES module takes module.exports whole as the default (Node's rule).
  {
    file: "expand.js",
    from: /^@inquirer\/expand$/,
    entry: adapter('module.exports = require("@inquirer/expand").default;'),
  },
  {
    file: "commander.js",
    from: /^commander$/,
    entry: adapter('module.exports = require("commander");'),
  },
];

/** An entry point of a few lines, resolved from the repository (its node_modules). */
function adapter(contents) {
  return { stdin: { contents, resolveDir: ".", loader: "js", sourcefile: "adapter.js" } };
}

/**
 * In the bin, linkman's imports of the libraries in `apart` become requires of their files. An
 * `await import()` of one (commander's) goes through a module of one require, which esbuild
 * bundles as code run when called: an import() of an external file would stay an import().
 */
const requireApart = {
  name: "require-apart",
  setup(build) {
    for (const { file, from } of apart) {
      build.onResolve({ filter: from }, ({ importer, kind }) => {
        if (!/[\\/]src[\\/]/.test(importer)) return undefined;
        if (kind === "dynamic-import") return { path: file, namespace: "require-apart" };
        return { path: `./${file}`, external: true };
      });
    }
    build.onResolve({ filter: /.*/, namespace: "require-apart" }, ({ path: file }) => ({
      path: file,
      external: true,
    }));
    build.onLoad({ filter: /.*/, namespace: "require-apart" }, ({ path: file }) => ({
      contents: `module.exports = require(${JSON.stringify(`./${file}`)});`,
      loader: "js",
    }));
  },
};

// No chunks are left behind from earlier builds that split the bundle.
rmSync("dist/bundle", { recursive: true, force: true });

// Every bundle has the version written in: none reads package.json at start-up.
const { version } = JSON.parse(readFileSync("package.json", "utf8"));

// The CLI, run by the bin (src/cli/loader.cjs, copied to dist/bundle/linkman.js) from V8's code
// cache of it, made below.
const main = "dist/bundle/main.js";
// false for a readable bundle in CPU profiles (it keeps comments, so the ASCII check is off).
const minify = true;
const bin = await build({
  entryPoints: ["src/cli/bin.ts"],
  bundle: true,
  platform: "node",
  format: "cjs",
  target: "node20",
  outfile: main,
  minify,
  // import.meta.url only finds package.json, which the written-in version leaves unused.
  define: { __LINKMAN_VERSION__: JSON.stringify(version), "import.meta.url": "__filename" },
  logLevel: "warning",
  metafile: true,
  plugins: [
    lazyChildProcess,
    picocolorsWithoutStdout,
    zodOnDemand,
    cryptoOnDemand,
    picomatchOnDemand,
    builtinDefaults,
    requireApart,
  ],
});
// Each library apart in its own CommonJS file beside main.js, holding nothing of linkman's.
const apartInputs = {};
for (const { file, entry } of apart) {
  const side = await build({
    ...entry,
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node20",
    outfile: `dist/bundle/${file}`,
    minify,
    logLevel: "warning",
    metafile: true,
    // commander's file, as it was in main.js.
    plugins: [lazyChildProcess],
  });
  Object.assign(apartInputs, Object.values(side.metafile.outputs)[0]?.inputs);
}
const apartFiles = apart.map(({ file }) => `dist/bundle/${file}`);
// `import { z } from "zod"` (the namespace as a value) keeps all of zod, its 40 locales
// included: zod.js's list of zod's functions keeps them out (800 KB instead of 450 when all of
// the bin was one file, and ~15% more CPU for every run to compile).
const locales = Object.entries(apartInputs).filter(
  ([file, { bytesInOutput }]) =>
    bytesInOutput > 0 && /zod\/v4\/locales\/(?!en\.js|index\.js)/.test(file),
);
if (locales.length > 0) {
  throw new Error(
    `the bin bundles zod's locales (${locales.length} files): import zod as \`import * as z from "zod"\`, never \`import { z }\``,
  );
}
// None of the libraries apart creeps back into main.js (an import of them that the stand-ins
// and requireApart do not see), nor anything of linkman's into their files.
const bundled = Object.values(bin.metafile.outputs)[0]?.inputs ?? {};
const back = Object.keys(bundled).filter((file) =>
  /node_modules\/(zod|yaml|@inquirer|commander)\//.test(file),
);
if (back.length > 0) throw new Error(`${main} bundles a library kept apart: ${back.join(", ")}`);
const ours = Object.keys(apartInputs).filter(
  (file) => file.startsWith("src/") && file !== "src/cli/zodExports.ts",
);
if (ours.length > 0) throw new Error(`a file kept apart bundles linkman's own ${ours.join(", ")}`);
// The loader compiles the bundle as a function body (vm.Script), where a `#!` line is a syntax
// error; and a dynamic import() there would need a loader of its own.
const code = readFileSync(main, "utf8").replace(/^#!.*\n/, "");
if (/\bimport\(/.test(code))
  throw new Error(`${main} has a dynamic import(), which the loader cannot run`);
// One character outside ASCII makes V8 keep the whole source as two bytes a character (1.1 MB
// instead of 0.56): esbuild escapes them, except in a regular expression's character class.
for (const [file, text] of [[main, code], ...apartFiles.map((f) => [f, readFileSync(f, "utf8")])]) {
  const wide = minify && /[\u0080-\uffff]/.exec(text);
  if (wide) {
    const around = text.slice(Math.max(0, wide.index - 60), wide.index + 20);
    throw new Error(`${file} has a character outside ASCII; write it as a \\u escape: ${around}`);
  }
}
writeFileSync(main, code);
copyFileSync("src/cli/loader.cjs", "dist/bundle/linkman.js");
chmodSync("dist/bundle/linkman.js", 0o755);
// The package is "type": "module"; this keeps the bin's name (linkman.js) and makes Node read it as CommonJS.
writeFileSync("dist/bundle/package.json", '{ "type": "commonjs" }\n');
writeCodeCache();

// One self-contained file (dist/linkman.mjs) that a dotfiles repository can vendor and run with
// any Node >= 20: no chunks, no node_modules, no package.json beside it, so the version and the
// schema's address are written in at build time.
await build({
  entryPoints: ["src/cli/bin.ts"],
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  outfile: "dist/linkman.mjs",
  minify: true,
  define: { __LINKMAN_VERSION__: JSON.stringify(version) },
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
  },
  logLevel: "warning",
});

/**
 * Writes dist/bundle/main.cache, V8's code cache of the bundle, as the bin reads it (see
 * src/cli/loader.cjs): made at the end of a real apply in a throw-away home where half the links
 * are in place already, so the functions that plan, create, skip and write the state are in it,
 * not only the top level. Made by this Node, so used by this Node's version (V8 refuses it
 * elsewhere, and the bin then compiles as before); the build fails if the bin does not use it.
 */
function writeCodeCache() {
  const dir = mkdtempSync(path.join(os.tmpdir(), "linkman-code-cache-"));
  try {
    const env = {
      PATH: process.env.PATH,
      HOME: path.join(dir, "home"),
      XDG_STATE_HOME: path.join(dir, "state"),
      NO_COLOR: "1",
    };
    mkdirSync(path.join(dir, "home"));
    mkdirSync(path.join(dir, "dots/pkg/nested"), { recursive: true });
    const names = Array.from({ length: 10 }, (_, i) => `f${i}`);
    for (const name of names) {
      writeFileSync(path.join(dir, "dots/pkg", name), name);
      writeFileSync(path.join(dir, "dots/pkg/nested", name), name);
    }
    // Both forms of `links`, a glob and an include.
    const manifest = path.join(dir, "dots/links.yaml");
    writeFileSync(
      manifest,
      "version: 1\ninclude: [more.yaml]\nlinks:\n  - link: ~/nested\n    target: pkg/nested/**\n",
    );
    writeFileSync(
      path.join(dir, "dots/more.yaml"),
      `version: 1\nlinks:\n${names.map((n) => `  "~/.${n}": pkg/${n}\n`).join("")}`,
    );
    const run = (args) => execFileSync(process.execPath, args, { env, stdio: "ignore" });
    run(["dist/bundle/linkman.js", "apply", "-c", manifest]);
    for (const name of names.slice(5)) unlinkSync(path.join(dir, "home", `.${name}`));
    // Compiles the bundle as the bin does, runs it, and writes the cache when it exits.
    const produce = `
      const { readFileSync, writeFileSync } = require("node:fs");
      const vm = require("node:vm");
      const { crc32 } = require("node:zlib");
      const [bundle, out, ...args] = process.argv.slice(1);
      // The bundle as the bin reads it: between the halves of CommonJS's wrapper.
      const source = Buffer.from(require("node:module").wrap(readFileSync(bundle, "utf8")));
      const script = new vm.Script(source.toString(), { filename: bundle });
      process.argv = [process.argv[0], bundle, ...args];
      process.on("exit", () => {
        const data = script.createCachedData();
        // The CRC and 4 zero bytes, so that V8's data starts 8-aligned.
        const head = Buffer.alloc(8);
        head.writeUInt32LE(crc32(data, crc32(source)));
        writeFileSync(out, Buffer.concat([head, data]));
      });
      // A require beside the bundle, as the bin's: it requires the libraries kept apart there.
      const besideBundle = require("node:module").createRequire(bundle);
      script.runInThisContext().call(exports, exports, besideBundle, module, bundle, require("node:path").dirname(bundle));`;
    run(["-e", produce, path.resolve(main), "dist/bundle/main.cache", "apply", "-c", manifest]);
    // Node 22.1+ runs the bin with its own compile cache instead.
    if (typeof nodeModule.enableCompileCache === "function") return;
    const check = spawnSync(process.execPath, ["dist/bundle/linkman.js", "--version"], {
      env: { ...env, LINKMAN_DEBUG_CODE_CACHE: "1" },
      encoding: "utf8",
    });
    if (!check.stderr.includes("code cache: used")) {
      throw new Error(`the bin does not use the code cache just made: ${check.stderr}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
