#!/usr/bin/env node
// linkman's benchmark against GNU Stow on the same trees, in one run, with the targets of
// issue 18 checked on what it measured.
// Usage: npm run bench [-- --runs 7 --sizes 100,1000,10000 --large --quick --tmpdir DIR --write]
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
// --quick: a look while working (fewer runs, small trees); --large adds the 100,000 case.
const quick = args.includes("--quick");
const large = args.includes("--large");
const runs = Number(option("runs", quick ? "3" : "7"));
const sizes = option("sizes", quick ? "100,1000" : `100,1000,10000${large ? ",100000" : ""}`)
  .split(",")
  .map(Number);
// tmpfs by default: on a VM disk the cost of a metadata write swings tenfold between runs
// (seen here: 10,000 symlinks in 0.2 s or in 3.7 s), which would drown both tools alike.
const tmpdir = option("tmpdir", existsSync("/dev/shm") ? "/dev/shm" : os.tmpdir());

/**
 * Every command runs in this environment and no other: the machine's own can hold
 * NODE_OPTIONS or NODE_EXTRA_CA_CERTS (a certificate bundle loaded at each Node start-up,
 * ~45 ms), which would add the same constant to linkman and `node -e 0` and hide the ratio.
 */
const cleanEnv = (home) => ({
  PATH: process.env.PATH ?? "/usr/bin:/bin",
  HOME: home,
  XDG_STATE_HOME: path.join(home, ".state"),
  NO_COLOR: "1",
});
const ENV_DESCRIPTION =
  "every command runs with only PATH, HOME (a fresh directory), XDG_STATE_HOME (inside it) and NO_COLOR=1 in its environment";

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

/** Runs a command under /usr/bin/time in the clean environment; wall ms and peak RSS in MB. */
function measure(command, commandArgs, home) {
  const start = process.hrtime.bigint();
  const r = spawnSync("/usr/bin/time", ["-f", "%M", command, ...commandArgs], {
    encoding: "utf8",
    env: cleanEnv(home),
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

/**
 * A dotfiles package of n files and the manifests that link it: `flat` puts every file in
 * the package's top directory (one directory of n links in HOME), `nested` spreads them over
 * 50 directories of 7 subdirectories each (Stow --no-folding and linkman make them).
 */
function makeTree(dir, n, shape) {
  const pkg = path.join(dir, "stow", "pkg");
  const entries = [];
  for (let i = 0; i < n; i++) {
    const rel = shape === "flat" ? `f${i}` : i < 10 ? `.file${i}` : `d${i % 50}/e${i % 7}/f${i}`;
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

const TOOLS = ["linkman (explicit)", "linkman (glob)", "stow --no-folding"];
/**
 * A glob walks at most 100,000 entries (a safety limit: a glob such as `/**` must not walk a
 * whole disk), and a tree of 100,000 files has more with its directories: at that size only
 * the explicit manifest is measured.
 */
const toolsFor = (n) => TOOLS.filter((t) => n < 100000 || t !== "linkman (glob)");

/** One size and shape: every tool's fresh and no-op apply, interleaved over the runs. */
function bench(n, shape) {
  const dir = mkdtempSync(path.join(tmpdir, `linkman-bench-${n}-`));
  try {
    const tree = makeTree(dir, n, shape);
    const command = {
      "linkman (explicit)": () => [process.execPath, [bin, "apply", "-q", "-c", tree.explicit]],
      "linkman (glob)": () => [process.execPath, [bin, "apply", "-q", "-c", tree.glob]],
      "stow --no-folding": (home) => [
        "stow",
        ["--no-folding", "-d", tree.stowDir, "-t", home, "pkg"],
      ],
    };
    const results = Object.fromEntries(
      toolsFor(n).map((t) => [t, { fresh: [], noop: [], rss: [] }]),
    );
    const floor = [];
    for (let r = 0; r < runs; r++) {
      floor.push(measure(process.execPath, ["-e", "0"], dir).ms);
      for (const name of toolsFor(n)) {
        const home = path.join(dir, `home-${r}`);
        mkdirSync(home);
        const [cmd, cmdArgs] = command[name](home);
        const fresh = measure(cmd, cmdArgs, home);
        const noop = measure(cmd, cmdArgs, home);
        results[name].fresh.push(fresh.ms);
        results[name].noop.push(noop.ms);
        results[name].rss.push(Math.max(fresh.rssMb, noop.rssMb));
        rmSync(home, { recursive: true, force: true });
      }
    }
    const tools = Object.fromEntries(
      Object.entries(results).map(([name, r]) => [
        name,
        { fresh: median(r.fresh), noop: median(r.noop), rss: Math.max(...r.rss) },
      ]),
    );
    return { n, shape, floor: median(floor), tools };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

ensureTools();
if (!existsSync(bin)) execFileSync("npm", ["run", "build"], { cwd: root, stdio: "inherit" });

const cpu = os.cpus()[0]?.model ?? "unknown CPU";
const machine = `${os.cpus().length} × ${cpu}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.type()} ${os.release()}, Node ${process.version}, ${execFileSync("stow", ["--version"], { encoding: "utf8" }).trim()}`;
const fsType = spawnSync("stat", ["-f", "-c", "%T", tmpdir], { encoding: "utf8" }).stdout.trim();
const how = `Trees in ${tmpdir} (${fsType || "unknown file system"}); ${ENV_DESCRIPTION}; ${runs} runs per case, the tools interleaved within each run; times are medians of wall-clock ms, RSS the peak in MB.`;
console.log(`machine: ${machine}\n${how}\n`);

// Both shapes at 10,000 (the targets); the nested shape at every size (the growth).
const cases = sizes.flatMap((n) =>
  (n === 10000 ? ["flat", "nested"] : ["nested"]).map((s) => [n, s]),
);
const all = [];
for (const [n, shape] of cases) {
  const t0 = Date.now();
  all.push(bench(n, shape));
  console.error(`N=${n} ${shape}: ${((Date.now() - t0) / 1000).toFixed(0)} s`);
}

const lines = [
  "| N | tree | tool | fresh ms | no-op ms | peak RSS MB | fresh / Stow | no-op / Stow |",
  "| --- | --- | --- | --- | --- | --- | --- | --- |",
];
for (const r of all) {
  const stow = r.tools["stow --no-folding"];
  for (const [name, t] of Object.entries(r.tools)) {
    const ratio = (a, b) => (name.startsWith("stow") ? "" : (a / b).toFixed(2));
    lines.push(
      `| ${r.n} | ${r.shape} | ${name} | ${t.fresh.toFixed(0)} | ${t.noop.toFixed(0)} | ${t.rss.toFixed(0)} | ${ratio(t.fresh, stow.fresh)} | ${ratio(t.noop, stow.noop)} |`,
    );
  }
  lines.push(`| ${r.n} | ${r.shape} | node -e 0 | ${r.floor.toFixed(0)} | | | | |`);
}
console.log(lines.join("\n"));

// The targets of issue 18, each with the ratio this run measured.
const at = (n, shape) => all.find((r) => r.n === n && r.shape === shape);
const linkmans = ["linkman (explicit)", "linkman (glob)"];
const checks = [];
const small = at(100, "nested");
for (const name of small ? linkmans : []) {
  for (const mode of ["fresh", "noop"]) {
    const ratio = small.tools[name][mode] / small.floor;
    checks.push([`N=100 ${name}: ${mode} ≤ 1.6 × node -e 0`, ratio, 1.6]);
  }
}
for (const shape of ["flat", "nested"]) {
  const big = at(10000, shape);
  if (!big) continue;
  const stow = big.tools["stow --no-folding"];
  for (const name of linkmans) {
    const t = big.tools[name];
    checks.push([`N=10000 ${shape} ${name}: fresh ≤ 0.7 × Stow`, t.fresh / stow.fresh, 0.7]);
    checks.push([`N=10000 ${shape} ${name}: no-op ≤ 0.3 × Stow`, t.noop / stow.noop, 0.3]);
    checks.push([`N=10000 ${shape} ${name}: peak RSS ≤ 100 MB`, t.rss, 100]);
  }
}
// Linear growth: the time above start-up grows at most 1.2 × as fast as N from 1,000 up.
const from = at(1000, "nested");
for (const name of linkmans) {
  const largest = all.filter((r) => r.shape === "nested" && r.tools[name]).at(-1);
  if (!from || !largest || largest.n <= from.n) continue;
  const k = largest.n / from.n;
  for (const mode of ["fresh", "noop"]) {
    const above = (r) => Math.max(1, r.tools[name][mode] - r.floor);
    const growth = above(largest) / above(from) / k;
    checks.push([
      `${name}: ${mode} time above start-up, N=1000 → ${largest.n}, per ${k}× links (linear is 1)`,
      growth,
      1.2,
    ]);
  }
}
const targets = [
  "| target | measured | limit | met |",
  "| --- | --- | --- | --- |",
  ...checks.map(
    ([what, value, limit]) =>
      `| ${what} | ${value.toFixed(2)} | ${limit} | ${value <= limit ? "met" : "NOT MET"} |`,
  ),
];
console.log(`\n${targets.join("\n")}`);

if (args.includes("--write")) {
  // One section per kind of file system (tmpfs, and a real disk: issue 18 asks for both); a
  // run replaces its own kind's section and keeps the others and the hand-written notes.
  const heading = fsType === "tmpfs" ? "## On tmpfs" : "## On a disk";
  const section = [
    heading,
    "",
    `\`npm run bench${args.length ? ` -- ${args.join(" ")}` : ""}\` on ${new Date().toISOString().slice(0, 10)}. Machine: ${machine}.`,
    "",
    how,
    "",
    ...lines,
    "",
    ...targets,
    "",
  ].join("\n");
  const file = path.join(root, "bench/RESULTS.md");
  const previous = existsSync(file) ? readFileSync(file, "utf8") : "";
  const sections = new Map(
    previous
      .split(/\n(?=## )/)
      .filter((part) => part.startsWith("## On "))
      .map((part) => [part.split("\n")[0], `${part.trimEnd()}\n`]),
  );
  sections.set(heading, section);
  const notes = previous.includes("\n## Notes")
    ? previous.slice(previous.indexOf("\n## Notes"))
    : "";
  const ordered = ["## On tmpfs", "## On a disk"].filter((h) => sections.has(h));
  writeFileSync(
    file,
    ["# Benchmark results", "", ...ordered.map((h) => sections.get(h))].join("\n") + notes,
  );
}
