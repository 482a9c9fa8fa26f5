#!/usr/bin/env node
// linkman's benchmark against GNU Stow on the same tree, in one run.
// Usage: npm run bench [-- --runs 7 --sizes 100,1000,10000 --write]
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const bin = path.join(root, "dist/bundle/linkman.js");
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const runs = Number(option("runs", "7"));
const sizes = option("sizes", "100,1000,10000").split(",").map(Number);
// tmpfs by default: on a VM disk the cost of a metadata write swings tenfold between runs
// (seen here: 10,000 symlinks in 0.2 s or in 3.7 s), which would drown both tools alike.
const tmpdir = option("tmpdir", existsSync("/dev/shm") ? "/dev/shm" : os.tmpdir());

/** Installs what the benchmark needs from Debian when it is missing. */
function ensureTools() {
  const missing = ["stow", "/usr/bin/time"].filter(
    (t) => spawnSync("sh", ["-c", `command -v ${t}`]).status !== 0,
  );
  if (missing.length === 0) return;
  console.error(`installing ${missing.join(", ")} from Debian...`);
  execFileSync("sh", ["-c", "apt-get update -qq && apt-get install -y -qq stow time"], {
    stdio: "inherit",
  });
}

/** Runs a command under /usr/bin/time; returns wall milliseconds and peak RSS in MB. */
function measure(command, commandArgs, options = {}) {
  const start = process.hrtime.bigint();
  const r = spawnSync("/usr/bin/time", ["-f", "%M", command, ...commandArgs], {
    encoding: "utf8",
    ...options,
  });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0)
    throw new Error(
      `${command} ${commandArgs.join(" ")} failed (${r.status}):\n${r.stdout}\n${r.stderr}`,
    );
  const rssKb = Number(r.stderr.trim().split("\n").at(-1));
  return { ms, rssMb: rssKb / 1024 };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** A dotfiles tree of n files in 50 directories, and the manifests that link it. */
function makeTree(dir, n) {
  const pkg = path.join(dir, "stow", "pkg");
  const entries = [];
  for (let i = 0; i < n; i++) {
    const rel = i < 10 ? `.file${i}` : `d${i % 50}/f${i}`;
    mkdirSync(path.dirname(path.join(pkg, rel)), { recursive: true });
    writeFileSync(path.join(pkg, rel), `${i}\n`);
    entries.push(rel);
  }
  const explicit = path.join(dir, "stow", "explicit.yaml");
  writeFileSync(
    explicit,
    `version: 1\nlinks:\n${entries.map((e) => `  "~/${e}": pkg/${e}`).join("\n")}\n`,
  );
  const glob = path.join(dir, "stow", "glob.yaml");
  writeFileSync(glob, "version: 1\nlinks:\n  - { link: ~/, target: pkg/** }\n");
  return { stowDir: path.join(dir, "stow"), explicit, glob };
}

function bench(n) {
  const dir = mkdtempSync(path.join(tmpdir, `linkman-bench-${n}-`));
  try {
    const tree = makeTree(dir, n);
    const tools = {
      "linkman (explicit)": (home) => [
        process.execPath,
        [bin, "apply", "-q", "-c", tree.explicit],
        { env: { ...process.env, HOME: home, XDG_STATE_HOME: path.join(home, ".state") } },
      ],
      "linkman (glob)": (home) => [
        process.execPath,
        [bin, "apply", "-q", "-c", tree.glob],
        { env: { ...process.env, HOME: home, XDG_STATE_HOME: path.join(home, ".state") } },
      ],
      "stow --no-folding": (home) => [
        "stow",
        ["--no-folding", "-d", tree.stowDir, "-t", home, "pkg"],
        {},
      ],
    };
    const results = Object.fromEntries(
      Object.keys(tools).map((t) => [t, { fresh: [], noop: [], rss: [] }]),
    );
    const floor = [];
    for (let r = 0; r < runs; r++) {
      floor.push(measure(process.execPath, ["-e", "0"]).ms);
      for (const [name, tool] of Object.entries(tools)) {
        const home = path.join(dir, `home-${name.replace(/\W+/g, "-")}-${r}`);
        mkdirSync(home);
        const [cmd, cmdArgs, options] = tool(home);
        const fresh = measure(cmd, cmdArgs, options);
        const noop = measure(cmd, cmdArgs, options);
        results[name].fresh.push(fresh.ms);
        results[name].noop.push(noop.ms);
        results[name].rss.push(Math.max(fresh.rssMb, noop.rssMb));
        rmSync(home, { recursive: true, force: true });
      }
    }
    return {
      n,
      floor: median(floor),
      tools: Object.fromEntries(
        Object.entries(results).map(([name, r]) => [
          name,
          { fresh: median(r.fresh), noop: median(r.noop), rss: Math.max(...r.rss) },
        ]),
      ),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

ensureTools();
if (!existsSync(bin)) execFileSync("npm", ["run", "build"], { cwd: root, stdio: "inherit" });

const cpu = os.cpus()[0]?.model ?? "unknown CPU";
const machine = `${os.cpus().length} × ${cpu}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.type()} ${os.release()}, Node ${process.version}, ${execFileSync("stow", ["--version"], { encoding: "utf8" }).trim()}`;
console.log(`machine: ${machine}`);
console.log(
  `trees in ${tmpdir}; ${runs} runs per size, interleaved; times are medians in ms, RSS the peak in MB\n`,
);

const all = sizes.map(bench);
const lines = [
  "| N | tool | fresh ms | no-op ms | peak RSS MB | fresh / Stow | no-op / Stow |",
  "| --- | --- | --- | --- | --- | --- | --- |",
];
for (const r of all) {
  const stow = r.tools["stow --no-folding"];
  for (const [name, t] of Object.entries(r.tools)) {
    const ratio = (a, b) => (name.startsWith("stow") ? "" : (a / b).toFixed(2));
    lines.push(
      `| ${r.n} | ${name} | ${t.fresh.toFixed(0)} | ${t.noop.toFixed(0)} | ${t.rss.toFixed(0)} | ${ratio(t.fresh, stow.fresh)} | ${ratio(t.noop, stow.noop)} |`,
    );
  }
  lines.push(`| ${r.n} | node -e 0 | ${r.floor.toFixed(0)} | | | | |`);
}
console.log(lines.join("\n"));

// The targets of the performance issue, checked on this run.
const at = (n) => all.find((r) => r.n === n);
const checks = [];
const big = at(10000);
if (big) {
  const stow = big.tools["stow --no-folding"];
  for (const name of ["linkman (explicit)", "linkman (glob)"]) {
    const t = big.tools[name];
    checks.push([`N=10000 ${name}: fresh ≤ 0.7 × Stow`, t.fresh / stow.fresh, 0.7]);
    checks.push([`N=10000 ${name}: no-op ≤ 0.3 × Stow`, t.noop / stow.noop, 0.3]);
    checks.push([`N=10000 ${name}: peak RSS ≤ 150 MB`, t.rss, 150]);
  }
}
const small = at(100);
if (small) {
  for (const name of ["linkman (explicit)", "linkman (glob)"]) {
    checks.push([
      `N=100 ${name}: no-op ≤ 2.5 × node -e 0`,
      small.tools[name].noop / small.floor,
      2.5,
    ]);
  }
}
const mid = at(1000);
if (mid && big) {
  for (const name of ["linkman (explicit)", "linkman (glob)"]) {
    // Linear growth: the time above the start-up floor grows by about 10× from 1,000 to 10,000.
    const growth = (big.tools[name].fresh - big.floor) / (mid.tools[name].fresh - mid.floor);
    checks.push([
      `${name}: fresh time above start-up grows ≤ 12× from N=1000 to N=10000 (linear)`,
      growth,
      12,
    ]);
  }
}
const targets = [
  "| target | measured | limit | met |",
  "| --- | --- | --- | --- |",
  ...checks.map(
    ([what, value, limit]) =>
      `| ${what} | ${value.toFixed(2)} | ${limit} | ${value <= limit ? "yes" : "NO"} |`,
  ),
];
console.log(`\n${targets.join("\n")}`);

if (args.includes("--write")) {
  const text = [
    "# Benchmark results",
    "",
    `\`npm run bench\` on ${new Date().toISOString().slice(0, 10)}. Machine: ${machine}.`,
    "",
    `Trees in ${tmpdir}; ${runs} runs per size, interleaved; medians.`,
    "",
    ...lines,
    "",
    ...targets,
    "",
  ].join("\n");
  // A hand-written "## Notes" section (the reasons behind the numbers) is kept across runs.
  const file = path.join(root, "bench/RESULTS.md");
  const previous = existsSync(file) ? readFileSync(file, "utf8") : "";
  const notes = previous.includes("\n## Notes")
    ? previous.slice(previous.indexOf("\n## Notes"))
    : "";
  writeFileSync(file, text + notes);
}
