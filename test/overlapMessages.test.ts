import path from "node:path";
import { describe, expect, it } from "vitest";
import { failure, resolveFile, testContext } from "./helpers/resolve.js";
import { makeTree } from "./helpers/tree.js";

async function repo(manifest: string) {
  const root = await makeTree({
    home: {},
    dotfiles: { "links.yaml": manifest, vim: { vimrc: "v" }, nvim: { "init.lua": "--" } },
  });
  return { file: path.join(root, "dotfiles/links.yaml"), home: path.join(root, "home"), root };
}

describe("messages about entries that fight over a path show paths as the plan does", () => {
  it("names a link and both targets of two entries with one link path with ~", async () => {
    const { file, home } = await repo(
      "version: 1\nlinks:\n  - { link: ~/a, target: vim/vimrc }\n  - { link: ~/a, target: nvim }\n",
    );
    const [error] = failure(await resolveFile(file, testContext(home)));
    expect(error?.message).toMatch(/^~\/a is also the link of the entry at line 3/);
    expect(error?.message).not.toContain(home);
  });

  it("names a link inside a directory link relative to the current directory", async () => {
    const { file, home, root } = await repo(
      "version: 1\nlinks:\n  ~/.config/nvim: nvim\n  ~/.config/nvim/x.lua: vim/vimrc\n",
    );
    const [error] = failure(await resolveFile(file, testContext(home, { cwd: root })));
    expect(error?.message).toMatch(
      /^home\/\.config\/nvim\/x\.lua lies inside home\/\.config\/nvim,/,
    );
  });
});

describe("a key set twice in a manifest", () => {
  it("is an error that names the line of each occurrence", async () => {
    const { file, home } = await repo(
      "version: 1\nlinks:\n  ~/.vimrc: vim/vimrc\n  ~/.gvimrc: vim/vimrc\n  ~/.vimrc: nvim\n",
    );
    const [error] = failure(await resolveFile(file, testContext(home)));
    expect(error).toMatchObject({ line: 5 });
    expect(error?.message).toBe(
      "`~/.vimrc` is set twice in the same map: first at line 3, again at line 5",
    );
  });
});
