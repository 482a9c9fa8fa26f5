import { symlink } from "node:fs/promises";
import path from "node:path";
import fc from "fast-check";
import picomatch from "picomatch";
import { describe, expect, it } from "vitest";
import { NodeFileSystem } from "../src/fs/nodeFileSystem.js";
import { recording } from "../src/fs/wrappers.js";
import { expandGlob, GlobRefused, parseGlob } from "../src/resolve/glob.js";
import { ANY, GlobMatcher } from "../src/resolve/globMatcher.js";
import { linkman } from "./helpers/cli.js";
import { makeTree, type Tree } from "./helpers/tree.js";
import { makeWorld, ops } from "./helpers/world.js";

const fs = new NodeFileSystem();

async function matches(
  pattern: string,
  exclude: string[] = [],
  tree: Tree = dotfiles,
  platform = "linux",
) {
  const root = await makeTree(tree);
  const glob = parseGlob(path.join(root, pattern) + (pattern.endsWith("/") ? "/" : ""));
  if (!glob) throw new Error(`${pattern} is not a glob`);
  return (await expandGlob(fs, glob, exclude, platform)).map(
    (m) => `${m.relative}${m.type === "directory" ? "/" : ""}`,
  );
}

const dotfiles: Tree = {
  home: {
    ".zshrc": "z",
    ".config": {
      git: { config: "g", ignore: "i" },
      nvim: { "init.lua": "n", lua: { "a.lua": "a" } },
    },
    "notes.swp": "s",
    ".git": { HEAD: "ref" },
    sub: { ".git": "gitdir: ../x" },
  },
};

describe("glob targets", () => {
  it("tells a glob from a plain path", () => {
    expect(parseGlob("/d/home/**")).toEqual({ base: "/d/home", glob: "**", directories: false });
    expect(parseGlob("/d/home/*/")).toEqual({ base: "/d/home", glob: "*", directories: true });
    expect(parseGlob("/d/vim/vimrc")).toBeUndefined();
  });

  it("matches every file below the static part, dotfiles included, sorted", async () => {
    expect(await matches("home/**")).toEqual([
      ".config/git/config",
      ".config/git/ignore",
      ".config/nvim/init.lua",
      ".config/nvim/lua/a.lua",
      ".zshrc",
      "notes.swp",
    ]);
  });

  it("sorts its matches by their paths, a directory's after names that sort between it and its `/`", async () => {
    const tree: Tree = {
      a: { x: "", "b-c": { y: "" } },
      "a-b": "",
      "a.c": "",
      a0: "",
      A: "",
      "\u{1F600}": "",
      "\uFFFD": "",
    };
    const walked = await matches("t/**", [], { t: tree });
    expect(walked).toEqual([...walked].sort());
    expect(walked).toEqual(["A", "a-b", "a.c", "a/b-c/y", "a/x", "a0", "\u{1F600}", "\uFFFD"]);
  });

  it("sorts a glob of directories' matches by their paths too", async () => {
    const tree: Tree = { a: { b: {} }, "a-b": {}, a0: {}, A: {} };
    expect(await matches("t/**/", [], { t: tree })).toEqual(["A/", "a/", "a-b/", "a0/"]);
  });

  it("never matches or enters .git, a directory or a file", async () => {
    const found = await matches("home/**");
    expect(found.some((m) => m.split("/").includes(".git"))).toBe(false);
  });

  it("matches directories, each whole, when the pattern ends in /", async () => {
    expect(await matches("home/.config/*/")).toEqual(["git/", "nvim/"]);
  });

  it("does not go deeper than a glob without ** can match", async () => {
    expect(await matches("home/*")).toEqual([".zshrc", "notes.swp"]);
  });

  it("leaves out excluded names at any depth", async () => {
    expect(await matches("home/**", ["*.swp", "*.lua"])).toEqual([
      ".config/git/config",
      ".config/git/ignore",
      ".zshrc",
    ]);
  });

  it("leaves out an excluded directory with everything in it", async () => {
    expect(await matches("home/**", [".config/nvim"])).toEqual([
      ".config/git/config",
      ".config/git/ignore",
      ".zshrc",
      "notes.swp",
    ]);
  });

  it("matches names whatever their case on Windows and macOS only, as their filesystems do", async () => {
    const tree = { home: { "Notes.SWP": "s", "init.LUA": "n", ".GIT": { HEAD: "ref" } } };
    expect(await matches("home/*.lua", ["*.swp"], tree, "linux")).toEqual([]);
    expect(await matches("home/**", ["*.swp"], tree, "linux")).toEqual([
      ".GIT/HEAD",
      "Notes.SWP",
      "init.LUA",
    ]);
    for (const platform of ["win32", "darwin"]) {
      expect(await matches("home/**", ["*.swp"], tree, platform)).toEqual(["init.LUA"]);
      expect(await matches("home/*.lua", [], tree, platform)).toEqual(["init.LUA"]);
    }
  });

  it("matches nothing, without error, when the static part does not exist", async () => {
    expect(await matches("nothere/**")).toEqual([]);
  });

  it("matches a symlink out of the tree by what it points to but does not walk through it", async () => {
    const tree = {
      out: { d: { f: "x" }, g: "y" },
      pkg: { real: { f: "x" }, "to-d": { symlink: "../out/d" }, "to-g": { symlink: "../out/g" } },
    };
    expect(await matches("pkg/**", [], tree)).toEqual(["real/f", "to-g"]);
    expect(await matches("pkg/*/", [], tree)).toEqual(["real/", "to-d/"]);
  });

  it("never matches a symlink pointing back into the walked tree, as the links linkman makes do", async () => {
    const root = await makeTree({ pkg: { real: { f: "x" }, f: "y" } });
    await symlink(path.join(root, "pkg", "f"), path.join(root, "pkg", "real", "abs"));
    await symlink("../f", path.join(root, "pkg", "real", "rel"));
    await symlink("real", path.join(root, "pkg", "to-real"));
    const glob = parseGlob(path.join(root, "pkg/**"))!;
    expect((await expandGlob(fs, glob, [], "linux")).map((m) => m.relative)).toEqual([
      "f",
      "real/f",
    ]);
  });

  it("never matches or enters the paths it is told to leave alone (the manifest, the entry's own link directory)", async () => {
    const root = await makeTree({ d: { "links.yaml": "m", f: "x", m: { f: "x" } } });
    const glob = parseGlob(path.join(root, "d/**"))!;
    const never = [path.join(root, "d", "links.yaml"), path.join(root, "d", "m")];
    expect((await expandGlob(fs, glob, [], "linux", never)).map((m) => m.relative)).toEqual(["f"]);
  });
});

describe("exclude, anchored as in .gitignore", () => {
  const tree: Tree = {
    cfg: {
      "README.md": "r",
      "a.swp": "s",
      config: { baz: { x: "x", deep: { y: "y" } }, "README.md": "r2", keep: "k" },
      docs: { baz: { z: "z" }, build: "a file named build" },
      build: { out: "o" },
    },
  };
  const all = [
    "README.md",
    "a.swp",
    "build/out",
    "config/README.md",
    "config/baz/deep/y",
    "config/baz/x",
    "config/keep",
    "docs/baz/z",
    "docs/build",
  ];
  const without = (...gone: string[]) => all.filter((m) => !gone.includes(m));

  it.each([
    [
      "a name without / matches at any depth",
      ["README*"],
      without("README.md", "config/README.md"),
    ],
    ["a leading / anchors to the static part", ["/README*"], without("README.md")],
    [
      "a / in the middle anchors too, and what it names is not entered",
      ["config/baz/*"],
      without("config/baz/x", "config/baz/deep/y"),
    ],
    [
      "a directory's name excludes everything below it",
      ["baz"],
      without("config/baz/x", "config/baz/deep/y", "docs/baz/z"),
    ],
    [
      "** reaches any depth",
      ["**/baz/*"],
      without("config/baz/x", "config/baz/deep/y", "docs/baz/z"),
    ],
    ["a trailing / matches directories only", ["build/"], without("build/out")],
    ["a pattern with / does not match below the static part's top", ["baz/*"], all],
  ])("%s", async (_name, exclude, expected) => {
    expect(await matches("cfg/**", exclude, tree)).toEqual(expected);
  });

  it("does not enter an excluded directory", async () => {
    const root = await makeTree(tree);
    const seen = recording(new NodeFileSystem());
    await expandGlob(seen, parseGlob(path.join(root, "cfg/**"))!, ["/config/"], "linux");
    const read = seen.calls.filter((c) => c.operation === "readdir").map((c) => String(c.args[0]));
    expect(read.some((d) => d.includes(`${path.sep}config`))).toBe(false);
  });
});

describe("glob matching has a complexity bound", () => {
  // Each of these takes picomatch's backtracking regular expressions from seconds to hours
  // against one long name; here each must match or be refused well within 2 seconds.
  const long = "a".repeat(200);
  const cases: [string, string][] = [
    ["+(@(a|aa))", long + "!"],
    ["+({a,aa})", long + "!"],
    ["+(a|[a])", long + "!"],
    ["+([a]|[a])b", long],
    ["+(+(a|aa)|a)b", long],
    ["*(a|aa)", long + "!"],
    ["+(a|a)", long + "!"],
    ["@(a|aa)*b", long],
    ["+(+(a))", long + "!"],
    ["*(a)*(a)*(a)*(a)*(a)*(a)*(a)*(a)", long + "!"],
    ["*a*a*a*a*a*a*a*a*a*a*a*a", long + "!"],
    ["**a**a**a**a**a**a**a**a", long + "!"],
    ["?*?*?*?*?*?*?*?*?*?*b", long],
    ["**/*a*a*a*a*a*a*a*a/**/*a*a*a*a*a*a*a*a", `${long}/${long}/${long}!`],
    ["{a,aa}{a,aa}{a,aa}{a,aa}{a,aa}{a,aa}{a,aa}{a,aa}*b", long],
    ["{1..100000}", long],
    ["{a,b}".repeat(40), long],
  ];

  it.each(cases)("%s, as a target or an exclude, against a long name", async (pattern, name) => {
    const root = await makeTree(treeOf(name));
    for (const [glob, exclude] of [
      [`t/**/${pattern}`, []],
      ["t/**", [pattern]],
    ] as const) {
      const started = performance.now();
      try {
        await expandGlob(fs, parseGlob(path.join(root, glob))!, exclude, "linux");
      } catch (error) {
        expect(error).toBeInstanceOf(GlobRefused);
      }
      expect(performance.now() - started).toBeLessThan(2000);
    }
  });

  function treeOf(name: string): Tree {
    const parts = name.split("/");
    let tree: Tree = { [parts.pop()!]: "x" };
    for (const dir of parts.reverse()) tree = { [dir]: tree };
    return { t: tree };
  }

  it("refuses a pattern too large to match in bounded time, at its line, without a stack trace", async () => {
    const w = await makeWorld(
      'version: 1\nlinks:\n  - { link: ~/n, target: "nvim/{1..100000}" }\n  - link: ~/v\n    target: vim/*\n    exclude:\n      - "*.swp"\n      - "{a,b}' +
        "{a,b}".repeat(3000) +
        '"\n',
    );
    const run = await linkman(["validate"], { cwd: w.dots, home: w.home });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/links\.yaml:3:\d+.*too complex/);
    expect(run.stderr).toMatch(/links\.yaml:8:\d+.*too complex/);
    expect(run.stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
  });
});

describe("a glob over the manifest's own directory", () => {
  it("never matches the manifest or the links it made, so a second apply is all skip", async () => {
    const w = await makeWorld("version: 1\nlinks:\n  - { link: m, target: '**' }\n");
    const first = ops(await w.plan(), w.dots);
    expect(first.filter((o) => o.includes("links.yaml"))).toEqual([]);
    expect(first).toContain("create m/vim/vimrc");
    expect((await w.apply()).failed).toBe(0);
    expect(ops(await w.plan(), w.dots)).toEqual(
      first.map((o) => o.replace("create", "skip(up-to-date)")),
    );
  });

  it("does not add a level on every run when the link directory is below home and the glob walks home", async () => {
    const w = await makeWorld(
      "version: 1\nbase: ../home\nlinks:\n  - { link: ~/m, target: '**' }\n",
      {
        home: { f: "x" },
      },
    );
    expect((await w.cli("apply")).code).toBe(0);
    expect((await w.cli("apply")).code).toBe(0);
    const plan = await w.plan();
    expect(ops(plan, w.home)).toEqual(["skip(up-to-date) m/f"]);
  });
});

describe("the glob matcher", () => {
  const matchOf = (pattern: string, name: string, nocase = false) => {
    const m = new GlobMatcher(nocase);
    m.add(pattern, ANY);
    return m.advance(m.initial(), name).accepts !== 0;
  };

  it.each([
    ["*.{js,ts}", "a.ts", true],
    ["{a,b{c,d}}", "bd", true],
    ["{a}", "{a}", true],
    ["{1..12}", "12", true],
    ["{1..12}", "13", false],
    ["{a..c}x", "bx", true],
    ["[!a]", "b", true],
    ["[^a]", "a", false],
    ["[]]", "]", true],
    ["[[:digit:]]", "7", true],
    ["a.*[[:alpha:]]", "a1b", false],
    ["*/**/?(a|bb)", "a.", false],
    ["b.{1..3}", "bb1", false],
    ["[a-", "[a-", true],
    ["?", "/", false],
    ["*", "a/b", false],
    ["**", "a/b", true],
    ["a/**/b", "a/b", true],
    ["a/**/b", "a/x/y/b", true],
    ["**/b", "b", true],
    ["a/**", "a/x/y", true],
    ["a/**", "a", false],
    ["@(a|b)", "b", true],
    ["?(a|b)c", "c", true],
    ["+(ab)", "ababab", true],
    ["+(a|aa)", "aaaa", true],
    ["+(a|aa)", "aaab", false],
    ["\\*", "*", true],
    ["\\*", "a", false],
    ["./a", "a", true],
    // A character outside the Basic Multilingual Plane is one character (two UTF-16 units).
    ["?", "\u{1F600}", true],
    ["??", "\u{1F600}", false],
    ["a?b", "a\u{1F600}b", true],
    ["[\u{1F600}]x", "\u{1F600}x", true],
    ["?", "\uD800", true],
    ["??", "\uD800a", true],
  ])("%s matches %s: %s", (pattern, name, expected) => {
    expect(matchOf(pattern, name)).toBe(expected);
  });

  it("refuses !(…), whose complement has no small automaton", () => {
    expect(() => matchOf("!(a)", "b")).toThrow("`!(…)` is not supported");
  });

  it("matches as picomatch does, wherever picomatch is right and runs in bounded time", () => {
    const token = fc.constantFrom(
      ...["a", "b", ".", "*", "?", "[ab]", "[^a]", "{a,b}", "{a,bb}", "@(a|b)", "?(a|bb)"],
      ...["*(ab)", "+(b)", "/", "**/", "{1..3}", "[[:alpha:]]", "\\*"],
    );
    const segment = fc.stringMatching(/^[ab.1*]{1,4}$/).filter((s) => s !== "." && s !== "..");
    fc.assert(
      fc.property(
        fc.array(token, { minLength: 1, maxLength: 6 }),
        fc.array(segment, { minLength: 1, maxLength: 3 }),
        (tokens, segments) => {
          const pattern = tokens.join("");
          // Where picomatch departs from bash: `**` inside a name, `)?` read as a lazy
          // quantifier, `..` or `.[` as any character, and any `.` in a pattern with a POSIX
          // class (`a.*[[:alpha:]]` matches `a1b` in picomatch 4, not in bash).
          if (!pattern.split("/").every((s) => !s.includes("**") || s === "**")) return;
          if (pattern.includes(")?") || /\.\.|\.\[/.test(pattern.replace("{1..3}", ""))) return;
          if (pattern.includes("[[:") && pattern.includes(".")) return;
          // Likewise a `.` before a range (`b.{1..3}` is the regular expression `b.[1-3]`
          // in picomatch 4, so it matches `bb1`).
          if (/\..*\{1\.\.3\}/.test(pattern)) return;
          // and a last segment that can match nothing (`*/**/?(a|bb)` matches `a.` there,
          // as if the pattern were `*`; a name of one segment has no second one to match).
          if (/(^|\/)[?*]\([^/]*\)$/.test(pattern)) return;
          const name = segments.join("/");
          // and the directory a trailing `/**` starts from: picomatch matches `b/**` against
          // `b` itself (though not `*/**` against `b`); linkman's `pkg/**` is what lies below.
          if (
            pattern.length > 3 &&
            pattern.endsWith("/**") &&
            picomatch(pattern.slice(0, -3), { dot: true })(name)
          )
            return;
          expect(matchOf(pattern, name), `${pattern} against ${name}`).toBe(
            picomatch(pattern, { dot: true })(name),
          );
        },
      ),
      // A fixed seed unless LINKMAN_PROPERTY_SEED says otherwise: the oracle is picomatch, whose
      // departures from bash random runs keep finding (four are filtered above), and a new one
      // must not turn an unrelated change red. Vary the seed to look for more.
      { numRuns: 3000, seed: Number(process.env.LINKMAN_PROPERTY_SEED ?? 20261201) },
    );
  });

  it("matches names whatever their case when told to", () => {
    expect(matchOf("[A-C]*.LUA", "b.lua", true)).toBe(true);
    expect(matchOf("[A-C]*.LUA", "b.lua")).toBe(false);
  });
});
