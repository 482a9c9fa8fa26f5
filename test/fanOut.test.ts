import { existsSync } from "node:fs";
import { mkdir, symlink } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { failure, messages, pairs, resolveFile, testContext } from "./helpers/resolve.js";
import { makeTree, type Tree } from "./helpers/tree.js";
import { makeWorld } from "./helpers/world.js";

/** A monorepo at `root/repo` with `links.yaml` holding `manifest`, a shared config and two packages. */
async function monorepo(manifest: string, extra: Tree = {}) {
  const root = await makeTree({
    home: {},
    repo: {
      "links.yaml": manifest,
      shared: { ".editorconfig": "root = true\n", "tsconfig.json": "{}" },
      packages: { app: { "index.ts": "" }, lib: { "index.ts": "" }, "README.md": "" },
      ...extra,
    },
  });
  return { root, file: path.join(root, "repo/links.yaml"), home: path.join(root, "home") };
}

const editorconfig =
  "version: 1\nlinks:\n  - link: packages/*/.editorconfig\n    target: shared/.editorconfig\n";

describe("a link glob fans one target out over existing directories", () => {
  it("makes one link per matching directory, sorted, and never one named *", async () => {
    const { root, file, home } = await monorepo(editorconfig);
    expect(pairs(await resolveFile(file, testContext(home)), root)).toEqual([
      "repo/packages/app/.editorconfig → repo/shared/.editorconfig",
      "repo/packages/lib/.editorconfig → repo/shared/.editorconfig",
    ]);
  });

  it("links a package added later on the next apply, and never creates a directory named *", async () => {
    const w = await makeWorld(
      "version: 1\nlinks:\n  - link: ~/packages/*/.editorconfig\n    target: vim/vimrc\n",
      { home: { packages: { app: {} } } },
    );
    expect((await w.apply()).failed).toBe(0);
    expect(existsSync(path.join(w.home, "packages/app/.editorconfig"))).toBe(true);
    expect(existsSync(path.join(w.home, "packages/*"))).toBe(false);
    await mkdir(path.join(w.home, "packages/new"));
    const plan = await w.plan();
    expect(plan.actions.map((a) => `${a.op} ${path.relative(w.home, a.link)}`)).toEqual([
      "skip packages/app/.editorconfig",
      "create packages/new/.editorconfig",
    ]);
  });

  it("skips a pattern that matches no directory yet, with the reason no-match", async () => {
    const w = await makeWorld(
      "version: 1\nlinks:\n  - link: ~/packages/*/.editorconfig\n    target: vim/vimrc\n",
    );
    const plan = await w.plan();
    expect(plan.actions).toMatchObject([{ op: "skip", reason: "no-match", rule: "no-match" }]);
    expect(plan.actions[0]?.message).toMatch(/no directory matches/);
    expect((await w.apply()).failed).toBe(0);
    expect(existsSync(path.join(w.home, "packages"))).toBe(false);
  });

  it("matches directories only, not files, .git or the target's own directory", async () => {
    const { root, file, home } = await monorepo(
      "version: 1\nlinks:\n  - link: '*/.editorconfig'\n    target: shared/.editorconfig\n",
      { ".git": { hooks: {} } },
    );
    expect(pairs(await resolveFile(file, testContext(home)), root)).toEqual([
      "repo/packages/.editorconfig → repo/shared/.editorconfig",
    ]);
  });

  it("never follows a symlinked directory out of the tree", async () => {
    const { root, file, home } = await monorepo(editorconfig);
    await mkdir(path.join(root, "elsewhere"));
    await symlink(path.join(root, "elsewhere"), path.join(root, "repo/packages/outside"));
    expect(pairs(await resolveFile(file, testContext(home)), root)).toEqual([
      "repo/packages/app/.editorconfig → repo/shared/.editorconfig",
      "repo/packages/lib/.editorconfig → repo/shared/.editorconfig",
    ]);
  });

  it("expands ** over directories at any depth", async () => {
    const { root, file, home } = await monorepo(
      "version: 1\nlinks:\n  - link: packages/**/.editorconfig\n    target: shared/.editorconfig\n",
      { packages: { app: { src: {} }, lib: {} } },
    );
    expect(pairs(await resolveFile(file, testContext(home)), root)).toEqual([
      "repo/packages/app/.editorconfig → repo/shared/.editorconfig",
      "repo/packages/app/src/.editorconfig → repo/shared/.editorconfig",
      "repo/packages/lib/.editorconfig → repo/shared/.editorconfig",
    ]);
  });

  it("never reads glob characters that come from home or a variable as a pattern", async () => {
    const { root, file } = await monorepo(
      "version: 1\nlinks:\n  - link: ~/.editorconfig\n    target: shared/.editorconfig\n  - link: ${DIR}/.editorconfig\n    target: shared/.editorconfig\n",
    );
    const home = path.join(root, "home[1] (x86)");
    const ctx = testContext(home, { env: { DIR: path.join(root, "pkg[2]") } });
    expect(pairs(await resolveFile(file, ctx), root)).toEqual([
      "home[1] (x86)/.editorconfig → repo/shared/.editorconfig",
      "pkg[2]/.editorconfig → repo/shared/.editorconfig",
    ]);
  });

  it("keeps a skipped entry's links listed (switching profiles never prunes)", async () => {
    const { root, file, home } = await monorepo(
      "version: 1\nlinks:\n  - link: packages/*/.editorconfig\n    target: shared/.editorconfig\n    when: { profile: work }\n",
    );
    expect(pairs(await resolveFile(file, testContext(home)), root)).toEqual([
      "repo/packages/app/.editorconfig → repo/shared/.editorconfig (skipped)",
      "repo/packages/lib/.editorconfig → repo/shared/.editorconfig (skipped)",
    ]);
  });
});

describe("link globs that cannot be supported are errors that say why", () => {
  it.each([
    [
      "a glob on both sides",
      "  - link: packages/*/config\n    target: shared/*\n",
      "3:11 `link` and `target` cannot both be globs",
    ],
    [
      "a glob in the link's own name",
      "  - link: packages/app/*.json\n    target: shared/tsconfig.json\n",
      "3:11 the last part of a link glob is the link's name",
    ],
    [
      "exclude on a link glob",
      "  - link: packages/*/.editorconfig\n    target: shared/.editorconfig\n    exclude: [lib]\n",
      "5:5 `exclude` only applies to a glob target",
    ],
  ])("%s", async (_name, entry, expected) => {
    const { file, home } = await monorepo(`version: 1\nlinks:\n${entry}`);
    const [first] = messages(failure(await resolveFile(file, testContext(home))));
    expect(first).toContain(expected);
  });
});
