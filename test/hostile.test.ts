import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { mkdir, symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { NodeFileSystem } from "../src/fs/nodeFileSystem.js";
import { readManifest } from "../src/manifest/read.js";
import { resolveLinks } from "../src/resolve/resolveLinks.js";
import { linkman } from "./helpers/cli.js";
import { testContext } from "./helpers/resolve.js";
import { snapshot } from "./helpers/world.js";
import { makeWorld, type World } from "./helpers/world.js";
import { onLinux, onWindows } from "./helpers/systems.js";

const fixtures = path.join(import.meta.dirname, "fixtures/malformed");

/** Runs `linkman apply` and checks the promises every hostile input gets: its exit code, a one-line reason, no stack trace, no hang, nothing changed. */
async function applyHostile(
  w: World,
  args: string[],
  expected: { code: number; reason: string | RegExp; changes?: boolean },
) {
  const watched = [w.root, fixtures];
  const before = watched.map((d) => snapshot(d));
  const started = Date.now();
  const run = await linkman(["apply", ...args], {
    cwd: w.dots,
    home: w.home,
    env: { XDG_STATE_HOME: path.join(w.root, "state") },
  });
  expect(Date.now() - started).toBeLessThan(15_000);
  expect(run.code, run.stderr).toBe(expected.code);
  if (expected.code !== 0) {
    // The reason is an error line on stderr, or the plan's `! error` or `! conflict` line.
    const reasons = [
      ...run.stderr.split("\n").filter((l) => /(^|: )error: /.test(l)),
      ...run.stdout.split("\n").filter((l) => l.startsWith("! ")),
    ];
    const matches = (l: string) =>
      typeof expected.reason === "string" ? l.includes(expected.reason) : expected.reason.test(l);
    expect(reasons.some(matches), run.stderr + run.stdout).toBe(true);
  }
  expect(run.stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
  expect(run.stderr).not.toContain("internal error");
  if (!expected.changes) expect(watched.map((d) => snapshot(d))).toEqual(before);
}

describe("hostile and malformed manifests, applied", () => {
  const malformed = readdirSync(fixtures).filter((f) => f.endsWith(".yaml"));

  it.each(malformed)("%s: exit 2, a pointed reason, nothing changed", async (file) => {
    const w = await makeWorld("version: 1\n");
    const first =
      /^# expect: \d+:\d+ (.+)$/m.exec(readFileSync(path.join(fixtures, file), "utf8"))?.[1] ?? "";
    await applyHostile(w, ["-c", path.join(fixtures, file)], { code: 2, reason: first });
  });

  const cases: [
    string,
    (w: World) => Promise<string>,
    { code: number; reason: string | RegExp; changes?: boolean },
  ][] = [
    [
      "a 50 MB file",
      async () => "#".repeat(50 * 1024 * 1024),
      { code: 2, reason: "linkman reads manifests up to 4.0 MiB" },
    ],
    [
      "YAML nested 100,000 deep",
      async () => `version: 1\nlinks: ${"[".repeat(100_000)}${"]".repeat(100_000)}\n`,
      { code: 2, reason: "nests too deeply" },
    ],
    [
      "a billion-laughs alias bomb of maps",
      async () => {
        let s = "version: 1\na0: &a0 { x: 1, y: 2, z: 3, w: 4 }\n";
        for (let i = 1; i < 12; i++)
          s += `a${i}: &a${i} { p: *a${i - 1}, q: *a${i - 1}, r: *a${i - 1}, s: *a${i - 1} }\n`;
        return s;
      },
      { code: 2, reason: "resource exhaustion" },
    ],
    [
      "variables that double forty times",
      async () =>
        `version: 1\nvars:\n  A0: xxxxxxxx\n${Array.from({ length: 40 }, (_, i) => `  A${i + 1}: $A${i}$A${i}`).join("\n")}\nlinks:\n  ~/a: vim/vimrc\n`,
      { code: 2, reason: "expands to more than 65,536 characters" },
    ],
    [
      "a raw NUL byte",
      async () => "version: 1\nlinks:\n  ~/a: vim\u0000rc\n",
      { code: 2, reason: "contains a NUL byte" },
    ],
    [
      "an escaped NUL in a path",
      async () => 'version: 1\nlinks:\n  - { link: "~/a\\0b", target: vim/vimrc }\n',
      { code: 2, reason: "must not contain a NUL character" },
    ],
    [
      "an include of /dev/zero",
      async () => "version: 1\ninclude: [/dev/zero]\n",
      { code: 2, reason: "is not a regular file" },
    ],
    [
      "an include of a FIFO",
      async (w) => {
        execFileSync("mkfifo", [path.join(w.dots, "pipe")]);
        return "version: 1\ninclude: [pipe]\n";
      },
      { code: 2, reason: "is not a regular file" },
    ],
    [
      "an include of /proc/self/pagemap",
      async () => "version: 1\ninclude: [/proc/self/pagemap]\n",
      { code: 2, reason: /pagemap (cannot be read|is larger than)/ },
    ],
    [
      "a __proto__ link key",
      async () => "version: 1\nlinks: { __proto__: vim/vimrc }\n",
      { code: 2, reason: "`__proto__` cannot be a key" },
    ],
    [
      "a __proto__ variable polluting the lookup",
      async () =>
        'version: 1\nvars: { __proto__: { HOME: /etc } }\nlinks: { "${HOME}/x": vim/vimrc }\n',
      { code: 2, reason: "`__proto__` cannot be a key" },
    ],
    [
      "a list as a key",
      async () => "version: 1\nlinks:\n  ? [~/.vimrc, ~/.nvimrc]\n  : vim/vimrc\n",
      { code: 2, reason: "a key must be a plain string" },
    ],
    [
      "a map as a key",
      async () => "version: 1\nlinks: { {~/.vimrc: x}: vim/vimrc }\n",
      { code: 2, reason: "a key must be a plain string" },
    ],
    [
      "an include of a directory",
      async () => "version: 1\ninclude: [vim]\n",
      { code: 2, reason: "is a directory" },
    ],
    [
      "an include chain 40 deep",
      async (w) => {
        for (let i = 0; i < 40; i++)
          await writeFile(
            path.join(w.dots, `i${i}.yaml`),
            `version: 1\ninclude: [i${i + 1}.yaml]\n`,
          );
        await writeFile(path.join(w.dots, "i40.yaml"), "version: 1\n");
        return "version: 1\ninclude: [i0.yaml]\n";
      },
      { code: 2, reason: "includes nest more than 32 deep" },
    ],
    [
      "a link escaping with ..",
      async () => "version: 1\nlinks:\n  ../../../../../../tmp/linkman-escape: vim/vimrc\n",
      { code: 1, reason: "outside your home directory" },
    ],
    [
      "a link equal to its target",
      async () => "version: 1\nlinks:\n  vim/vimrc: vim/vimrc\n",
      { code: 1, reason: "the link path is the target itself" },
    ],
    [
      "a link into the repository through a directory symlink",
      async (w) => {
        await symlink(path.join(w.dots, "vim"), path.join(w.home, "vim"));
        return "version: 1\nlinks:\n  - { link: ~/vim/vimrc, target: vim/vimrc, onConflict: backup }\n";
      },
      // As Stow folds a package: the directory link is unfolded, the file linked below it.
      { code: 0, reason: "unfold", changes: true },
    ],
    [
      "a link inside another entry's directory link",
      async () => "version: 1\nlinks:\n  ~/nvim: nvim\n  ~/nvim/init.lua: vim/vimrc\n",
      { code: 2, reason: "lies inside" },
    ],
    [
      "a link holding the repository",
      async () => "version: 1\nlinks:\n  - { link: ., target: vim/vimrc, onConflict: backup }\n",
      { code: 1, reason: /outside your home|the target lies inside the link path/ },
    ],
    [
      "a glob over the whole of /usr",
      async () => "version: 1\nlinks:\n  - { link: ~/usr, target: /usr/** }\n",
      { code: 2, reason: "the glob walks more than 100,000 entries" },
    ],
    [
      "a name longer than any filesystem allows",
      async () => `version: 1\nlinks:\n  ~/${"x".repeat(300)}: vim/vimrc\n`,
      { code: 1, reason: "ENAMETOOLONG" },
    ],
    [
      "unicode names",
      async (w) => {
        await mkdir(path.join(w.dots, "ünï"), { recursive: true });
        await writeFile(path.join(w.dots, "ünï", "cødé 数据"), "x");
        return "version: 1\nlinks:\n  ~/数据/ファイル 🗂: ünï/cødé 数据\n";
      },
      { code: 0, reason: "", changes: true },
    ],
    [
      "a symlink loop inside the globbed tree",
      async (w) => {
        await mkdir(path.join(w.dots, "pkg"));
        await writeFile(path.join(w.dots, "pkg", "f"), "x");
        await symlink(".", path.join(w.dots, "pkg", "loop"));
        return "version: 1\nlinks:\n  - { link: ~/, target: pkg/** }\n";
      },
      { code: 0, reason: "", changes: true },
    ],
  ];

  // Windows has no /dev/zero and no FIFOs; only Linux has /proc.
  const here = (name: string) =>
    !(onWindows && /\/dev\/|FIFO/.test(name)) && (onLinux || !name.includes("/proc/"));
  it.each(cases.filter(([name]) => here(name)))(
    "%s",
    async (_name, write, expected) => {
      const w = await makeWorld("version: 1\n");
      await writeFile(w.manifest, await write(w));
      await applyHostile(w, [], expected);
    },
    60_000,
  );

  it("has a corpus of at least 40 hostile or malformed manifests", () => {
    expect(malformed.length + cases.length).toBeGreaterThanOrEqual(40);
  });
});

describe("includes and manifests that are not manifest files", () => {
  /** What each kind of file is made as, and the words that name it in the error. */
  const unreadable: [string, (dir: string) => string, string, boolean][] = [
    ["a /proc file (its size says 0)", () => "/proc/self/pagemap", "cannot be read", onLinux],
    ["/dev/zero", () => "/dev/zero", "is not a regular file", !onWindows],
    [
      "a FIFO nobody writes to",
      (dir) => {
        execFileSync("mkfifo", [path.join(dir, "pipe")]);
        return "pipe";
      },
      "is not a regular file",
      !onWindows,
    ],
    ["a directory", () => "vim", "is a directory, not a manifest file", true],
    [
      "a file of 5 MiB",
      (dir) => {
        writeFileSync(path.join(dir, "big.yaml"), "#".repeat(5 * 1024 * 1024));
        return "big.yaml";
      },
      "is larger than 4.0 MiB; linkman reads manifests up to 4.0 MiB",
      true,
    ],
  ];

  /** Runs the CLI on the world, in well under a second, changing nothing. */
  async function quickly(w: World, args: string[]) {
    const before = w.snapshot();
    const started = performance.now();
    const run = await linkman(args, { cwd: w.dots, home: w.home });
    expect(performance.now() - started).toBeLessThan(1000);
    expect(w.snapshot()).toEqual(before);
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
    return run;
  }

  it.each(unreadable.filter(([, , , here]) => here))(
    "an include of %s is an error at the include's line, in well under a second",
    async (_name, make, words) => {
      const w = await makeWorld("");
      const included = make(w.dots);
      writeFileSync(w.manifest, `version: 1\ninclude:\n  - ${included}\n`);
      const run = await quickly(w, ["apply"]);
      const headline = run.stderr.split("\n")[0];
      expect(headline).toMatch(/^links\.yaml:3:5: error: include\[0\]: included file /);
      expect(headline).toContain(words);
      expect(run.stderr).toMatch(
        /hint: (an include names another manifest|is this the right file)/,
      );
    },
  );

  it.each(unreadable.filter(([, , , here]) => here))(
    "%s given with -c is an error naming the file, in well under a second",
    async (_name, make, words) => {
      const w = await makeWorld("version: 1\n");
      const file = path.resolve(w.dots, make(w.dots));
      const run = await quickly(w, ["apply", "-c", file]);
      expect(run.stderr).toContain(words);
    },
  );
});

describe("fuzzing the loader", () => {
  const valid =
    "version: 1\nvars: { C: ${X:-~/.config} }\ndefaults: { kind: symlink }\nlinks:\n  - { link: ~/a, target: vim/vimrc, when: { os: linux } }\n  ~/b: nvim\n";

  it(
    "returns errors as values for any text, never throws, in bounded time",
    { timeout: 120_000 },
    async () => {
      const w = await makeWorld(valid);
      const fs = new NodeFileSystem();
      const mutated = fc
        .tuple(fc.nat({ max: valid.length }), fc.nat({ max: 20 }), fc.string({ maxLength: 12 }))
        .map(([at, cut, insert]) => valid.slice(0, at) + insert + valid.slice(at + cut));
      const anything = fc.oneof(
        mutated,
        fc.string({ maxLength: 200 }),
        fc.json().map((j) => `version: 1\nlinks: ${j}\n`),
      );
      await fc.assert(
        fc.asyncProperty(anything, async (text) => {
          await writeFile(w.manifest, text);
          const started = Date.now();
          const read = await readManifest(w.manifest, { fs, homedir: w.home });
          if (read.ok) await resolveLinks(read.value, testContext(w.home));
          expect(Date.now() - started).toBeLessThan(2000);
          if (!read.ok) for (const e of read.errors) expect(e.message.length).toBeGreaterThan(0);
        }),
        { numRuns: Number(process.env.LINKMAN_FUZZ_RUNS ?? 300) },
      );
    },
  );
});
