import path from "node:path";
import { describe, expect, it } from "vitest";
import { failure, messages, pairs, resolveFile, testContext } from "./helpers/resolve.js";
import { makeTree, writeTree, type Tree } from "./helpers/tree.js";

/** A dotfiles repository at `root/dotfiles` with `links.yaml` holding `manifest`, and an empty home. */
async function repo(manifest: string, extra: Tree = {}) {
  const root = await makeTree({
    home: {},
    dotfiles: {
      "links.yaml": manifest,
      vim: { vimrc: "set nu" },
      nvim: { "init.lua": "--" },
      home: { ".zshrc": "z", ".config": { git: { config: "g" } } },
      ...extra,
    },
  });
  return { root, file: path.join(root, "dotfiles/links.yaml"), home: path.join(root, "home") };
}

describe("resolving links", () => {
  it("expands ~ to home and resolves targets from the manifest's directory", async () => {
    const { root, file, home } = await repo(
      "version: 1\nlinks:\n  - link: ~/.vimrc\n    target: vim/vimrc\n",
    );
    expect(pairs(await resolveFile(file, testContext(home)), root)).toEqual([
      "home/.vimrc → dotfiles/vim/vimrc",
    ]);
  });

  it("accepts links as a map of link: target", async () => {
    const { root, file, home } = await repo(
      'version: 1\nlinks:\n  "~/.vimrc": vim/vimrc\n  ~/.config/nvim: nvim\n',
    );
    expect(pairs(await resolveFile(file, testContext(home)), root)).toEqual([
      "home/.vimrc → dotfiles/vim/vimrc",
      "home/.config/nvim → dotfiles/nvim",
    ]);
  });

  it("resolves a relative link from the manifest's directory (a repo's own hooks)", async () => {
    const { root, file, home } = await repo(
      "version: 1\nlinks:\n  - link: .git/hooks/pre-commit\n    target: vim/vimrc\n",
    );
    // What git needs to call `.git` a repository: without one the entry is skipped.
    await writeTree(path.join(root, "dotfiles/.git"), {
      HEAD: "ref: refs/heads/main\n",
      objects: {},
      refs: {},
    });
    expect(pairs(await resolveFile(file, testContext(home)), root)).toEqual([
      "dotfiles/.git/hooks/pre-commit → dotfiles/vim/vimrc",
    ]);
  });

  it("resolves relative targets from base, itself relative to the manifest", async () => {
    const { root, file, home } = await repo("version: 1\nbase: vim\nlinks:\n  ~/.vimrc: vimrc\n");
    expect(pairs(await resolveFile(file, testContext(home)), root)).toEqual([
      "home/.vimrc → dotfiles/vim/vimrc",
    ]);
  });

  it("expands vars, which see the variables above them and the environment", async () => {
    const { root, file, home } = await repo(
      "version: 1\nvars:\n  CONFIG: ${XDG_CONFIG_HOME:-~/.config}\n  NVIM: $CONFIG/nvim\nlinks:\n  ${NVIM}: nvim\n  ${CONFIG}/${TOOL}: vim/vimrc\n",
    );
    const ctx = testContext(home, { env: { TOOL: "vimrc" } });
    expect(pairs(await resolveFile(file, ctx), root)).toEqual([
      "home/.config/nvim → dotfiles/nvim",
      "home/.config/vimrc → dotfiles/vim/vimrc",
    ]);
  });

  it("prefers vars over the environment", async () => {
    const { root, file, home } = await repo(
      "version: 1\nvars: { X: from-vars }\nlinks:\n  ~/$X: vim/vimrc\n",
    );
    expect(
      pairs(await resolveFile(file, testContext(home, { env: { X: "from-env" } })), root),
    ).toEqual(["home/from-vars → dotfiles/vim/vimrc"]);
  });

  it("names an unset variable and its line", async () => {
    const { file, home } = await repo(
      "version: 1\nlinks:\n  - link: ~/.vimrc\n    target: ${DOTS}/vimrc\n",
    );
    const [error] = failure(await resolveFile(file, testContext(home)));
    expect(error).toMatchObject({
      line: 4,
      column: 13,
      message: "variable DOTS is not set",
      path: "links[0].target",
    });
    expect(error?.hint).toContain("${DOTS:-default}");
  });

  it("reports every unset variable at once", async () => {
    const { file, home } = await repo(
      "version: 1\nvars: { A: $NOPE1 }\nlinks:\n  ~/$NOPE2: $NOPE3\n",
    );
    expect(messages(failure(await resolveFile(file, testContext(home))))).toEqual([
      "2:12 variable NOPE1 is not set",
      "4:3 variable NOPE2 is not set",
      "4:13 variable NOPE3 is not set",
    ]);
  });

  it("applies defaults, and an entry's own options over them", async () => {
    const { file, home } = await repo(
      "version: 1\ndefaults: { onConflict: backup, kind: hardlink }\nlinks:\n  - { link: ~/a, target: vim/vimrc }\n  - { link: ~/b, target: vim/vimrc, kind: symlink, onConflict: skip }\n",
    );
    const result = await resolveFile(file, testContext(home));
    expect(
      result.ok && result.value.map((l) => [l.kind, l.options.onConflict, l.options.mkdirs]),
    ).toEqual([
      ["hardlink", "backup", true],
      ["symlink", "skip", true],
    ]);
  });

  it("gives each file's entries without options of their own that file's defaults, whatever the entries around them set", async () => {
    const { file, home } = await repo(
      "version: 1\ndefaults: { onConflict: backup }\ninclude: [local.yaml]\nlinks:\n  - { link: ~/a, target: vim/vimrc, kind: hardlink, onConflict: skip }\n  - { link: ~/b, target: vim/vimrc }\n  - { link: ~/c, target: nvim, relative: true }\n  - { link: ~/d, target: nvim }\n",
      {
        "local.yaml":
          "version: 1\ndefaults: { kind: hardlink }\nlinks:\n  - { link: ~/e, target: vim/vimrc }\n",
      },
    );
    const result = await resolveFile(file, testContext(home));
    expect(
      result.ok &&
        result.value.map((l) => [l.kind, l.options.onConflict, l.options.relative, l.options.kind]),
    ).toEqual([
      ["hardlink", "skip", false, "hardlink"],
      ["symlink", "backup", false, "symlink"],
      ["symlink", "backup", true, "symlink"],
      ["symlink", "backup", false, "symlink"],
      ["hardlink", "backup", false, "hardlink"],
    ]);
  });

  it("records whether each target is a file, a directory or missing", async () => {
    const { file, home } = await repo(
      "version: 1\nlinks:\n  ~/a: vim/vimrc\n  ~/b: nvim\n  ~/c: nothere\n",
    );
    const result = await resolveFile(file, testContext(home));
    expect(result.ok && result.value.map((l) => l.targetType)).toEqual([
      "file",
      "directory",
      "missing",
    ]);
  });

  it("maps each glob match below the glob's static part into the link directory", async () => {
    const { root, file, home } = await repo(
      "version: 1\nlinks:\n  - link: ~/\n    target: home/**\n",
    );
    expect(pairs(await resolveFile(file, testContext(home)), root)).toEqual([
      "home/.config/git/config → dotfiles/home/.config/git/config",
      "home/.zshrc → dotfiles/home/.zshrc",
    ]);
  });

  it("skips an entry whose when fails, with the reason, without expanding it strictly", async () => {
    const { file, home } = await repo(
      "version: 1\nlinks:\n  - link: ${APPDATA}/Code\n    target: vim\n    when: { os: win32 }\n",
    );
    const result = await resolveFile(file, testContext(home));
    expect(result.ok && result.value[0]?.skipped).toEqual({
      reason: "condition",
      why: "os is linux, not win32",
    });
  });

  it("applies an entry whose profile is active", async () => {
    const { file, home } = await repo(
      "version: 1\nlinks:\n  - { link: ~/a, target: vim/vimrc, when: { profile: work } }\n",
    );
    const result = await resolveFile(file, testContext(home, { profiles: ["work"] }));
    expect(result.ok && result.value[0]?.skipped).toBeUndefined();
  });
});

describe("includes", () => {
  it("merges included entries after the file's own, with its vars and defaults", async () => {
    const { root, file, home } = await repo(
      "version: 1\nvars: { V: vim }\ndefaults: { onConflict: backup }\ninclude: [local.yaml]\nlinks:\n  ~/a: vim/vimrc\n",
      { "local.yaml": "version: 1\nlinks:\n  ~/b: $V/vimrc\n" },
    );
    const result = await resolveFile(file, testContext(home));
    expect(pairs(result, root)).toEqual([
      "home/a → dotfiles/vim/vimrc",
      "home/b → dotfiles/vim/vimrc",
    ]);
    expect(result.ok && result.value[1]?.options.onConflict).toBe("backup");
  });

  it("resolves an included file's paths from its own directory", async () => {
    const { root, file, home } = await repo("version: 1\ninclude: [hosts/box.yaml]\n", {
      hosts: {
        "box.yaml": "version: 1\nlinks:\n  - { link: here, target: ../vim/vimrc }\n",
      },
    });
    expect(pairs(await resolveFile(file, testContext(home)), root)).toEqual([
      "dotfiles/hosts/here → dotfiles/vim/vimrc",
    ]);
  });

  it("ignores a missing optional include (trailing ?)", async () => {
    const { file, home } = await repo(
      "version: 1\ninclude: [local.yaml?]\nlinks:\n  ~/a: vim/vimrc\n",
    );
    expect((await resolveFile(file, testContext(home))).ok).toBe(true);
  });

  it("reports a missing required include at its line", async () => {
    const { file, home } = await repo("version: 1\ninclude:\n  - local.yaml\n");
    expect(messages(failure(await resolveFile(file, testContext(home))))).toEqual([
      `3:5 included file ${path.join(path.dirname(file), "local.yaml")} does not exist`,
    ]);
  });

  it("reports an include cycle with the chain", async () => {
    const { file, home } = await repo("version: 1\ninclude: [a.yaml]\n", {
      "a.yaml": "version: 1\ninclude: [links.yaml]\n",
    });
    const [error] = failure(await resolveFile(file, testContext(home)));
    expect(error?.message).toMatch(/^include cycle: .*links\.yaml → .*a\.yaml → .*links\.yaml$/);
  });

  it("reports errors in an included file with that file's name and line", async () => {
    const { file, home } = await repo("version: 1\ninclude: [local.yaml]\n", {
      "local.yaml": "version: 1\nlinks:\n  - link: ~/x\n    kind: symlnk\n",
    });
    const errors = failure(await resolveFile(file, testContext(home)));
    expect(errors.map((e) => [path.basename(e.file ?? ""), e.line])).toEqual([
      ["local.yaml", 3],
      ["local.yaml", 4],
    ]);
  });
});

describe("entries that fight over a path", () => {
  it("reports two entries with the same link, naming both lines", async () => {
    const { file, home } = await repo(
      "version: 1\nlinks:\n  - { link: ~/a, target: vim/vimrc }\n  - { link: ~/a, target: nvim }\n",
    );
    const [error] = failure(await resolveFile(file, testContext(home)));
    expect(error).toMatchObject({ line: 4 });
    expect(error?.message).toContain("also the link of the entry at line 3");
  });

  it("keeps one of two entries that agree on everything", async () => {
    const { root, file, home } = await repo(
      "version: 1\nlinks:\n  - { link: ~/a, target: vim/vimrc }\n  - { link: ~/a, target: vim/vimrc }\n",
    );
    expect(pairs(await resolveFile(file, testContext(home)), root)).toEqual([
      "home/a → dotfiles/vim/vimrc",
    ]);
  });

  it("reports a link inside another entry's directory link", async () => {
    const { file, home } = await repo(
      "version: 1\nlinks:\n  ~/.config/nvim: nvim\n  ~/.config/nvim/extra.lua: vim/vimrc\n",
    );
    const [error] = failure(await resolveFile(file, testContext(home)));
    expect(error).toMatchObject({ line: 4 });
    expect(error?.message).toContain("which the entry at line 3 links to a directory");
  });

  it("compares link paths case-insensitively on macOS and Windows", async () => {
    const { file, home } = await repo(
      "version: 1\nlinks:\n  ~/.Vimrc: vim/vimrc\n  ~/.vimrc: nvim\n",
    );
    expect((await resolveFile(file, testContext(home))).ok).toBe(true);
    expect((await resolveFile(file, testContext(home, { platform: "darwin" }))).ok).toBe(false);
  });

  it("lets entries skipped by when share a path with an active one", async () => {
    const { file, home } = await repo(
      "version: 1\nlinks:\n  - { link: ~/a, target: vim/vimrc, when: { os: darwin } }\n  - { link: ~/a, target: nvim }\n",
    );
    expect((await resolveFile(file, testContext(home))).ok).toBe(true);
  });
});

describe("checks on combinations", () => {
  it("refuses exclude on a plain target", async () => {
    const { file, home } = await repo(
      "version: 1\nlinks:\n  - { link: ~/a, target: vim/vimrc, exclude: ['*.swp'] }\n",
    );
    expect(messages(failure(await resolveFile(file, testContext(home))))).toEqual([
      "3:37 `exclude` only applies to a glob target",
    ]);
  });

  it("refuses a hard link to a directory glob", async () => {
    const { file, home } = await repo(
      "version: 1\nlinks:\n  - { link: ~/, target: home/*/, kind: hardlink }\n",
    );
    expect(messages(failure(await resolveFile(file, testContext(home))))[0]).toContain(
      "hard links are files only",
    );
  });

  it("refuses relative on a hard link", async () => {
    const { file, home } = await repo(
      "version: 1\nlinks:\n  - { link: ~/a, target: vim/vimrc, kind: hardlink, relative: true }\n",
    );
    expect(messages(failure(await resolveFile(file, testContext(home))))).toEqual([
      "3:53 hard links have no relative form",
    ]);
  });

  it("does not apply relative from defaults to a hard link", async () => {
    const { file, home } = await repo(
      "version: 1\ndefaults: { relative: true }\nlinks:\n  - { link: ~/a, target: vim/vimrc, kind: hardlink }\n",
    );
    const result = await resolveFile(file, testContext(home));
    expect(result.ok && result.value[0]?.options.relative).toBe(false);
  });
});
