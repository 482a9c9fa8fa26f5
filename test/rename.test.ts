import path from "node:path";
import { describe, expect, it } from "vitest";
import { dotPrefixed, renameMatch } from "../src/resolve/rename.js";
import { makeTree, type Tree } from "./helpers/tree.js";
import { failure, messages, pairs, resolveFile, testContext } from "./helpers/resolve.js";

/** Resolves a manifest whose one glob entry renames its matches. */
async function resolveRenaming(entry: string, dots: Tree) {
  const root = await makeTree({
    home: {},
    dots: { ...dots, "links.yaml": `version: 1\nlinks:\n${entry}` },
  });
  const home = path.join(root, "home");
  return {
    root,
    result: await resolveFile(path.join(root, "dots/links.yaml"), testContext(home)),
  };
}

describe("Stow's dot- rule (rename: { dotPrefix: true })", () => {
  it.each([
    ["dot-vimrc", ".vimrc"],
    ["dot-config/dot-git/config", ".config/.git/config"],
    ["plain/dot-x", "plain/.x"],
    // Stow 2.4: X must be non-empty and not start with a dot.
    ["dot-", "dot-"],
    ["dot-.bar", "dot-.bar"],
    ["dot-/dot-a", "dot-/.a"],
    ["dot-..", "dot-.."],
    ["a-dot-b", "a-dot-b"],
  ])("renames %s to %s", (from, to) => {
    expect(dotPrefixed(from)).toBe(to);
  });

  it("renames every segment of each match below the glob's static part, so files added later are linked too", async () => {
    const { root, result } = await resolveRenaming(
      "  - link: ~/\n    target: pkg/**\n    rename: { dotPrefix: true }\n",
      {
        pkg: {
          "dot-zshrc": "z",
          "dot-": "dash",
          "dot-.bar": "bar",
          "dot-config": { nvim: { "dot-init.lua": "n" } },
        },
      },
    );
    expect(pairs(result, root).sort()).toEqual([
      "home/.config/nvim/.init.lua → dots/pkg/dot-config/nvim/dot-init.lua",
      "home/.zshrc → dots/pkg/dot-zshrc",
      "home/dot- → dots/pkg/dot-",
      "home/dot-.bar → dots/pkg/dot-.bar",
    ]);
  });

  it("renames directories matched whole by a pattern ending in /", async () => {
    const { root, result } = await resolveRenaming(
      "  - link: ~/\n    target: pkg/*/\n    rename: { dotPrefix: true }\n",
      { pkg: { "dot-vim": { x: "x" }, keep: { y: "y" } } },
    );
    expect(pairs(result, root)).toEqual([
      "home/.vim → dots/pkg/dot-vim",
      "home/keep → dots/pkg/keep",
    ]);
  });

  it("is an error, with the line, when two matches rename to the same link", async () => {
    const { result } = await resolveRenaming(
      "  - link: ~/\n    target: pkg/**\n    rename: { dotPrefix: true }\n",
      { pkg: { "dot-vimrc": "a", ".vimrc": "b" } },
    );
    const errors = messages(failure(result));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^3:\d+ .*\.vimrc.*dot-vimrc.*both rename to/);
  });
});

describe("dotbot's prefix (rename: { prefix })", () => {
  it("prefixes the name each match has in the link directory", async () => {
    const { root, result } = await resolveRenaming(
      "  - link: ~/\n    target: config/**\n    rename: { prefix: . }\n",
      { config: { bashrc: "b", vim: { vimrc: "v" } } },
    );
    expect(pairs(result, root)).toEqual([
      "home/.bashrc → dots/config/bashrc",
      "home/.vim/vimrc → dots/config/vim/vimrc",
    ]);
  });

  it("refuses a prefix that holds a path separator, at its line", async () => {
    const { result } = await resolveRenaming(
      "  - link: ~/\n    target: config/**\n    rename: { prefix: ../ }\n",
      { config: { bashrc: "b" } },
    );
    expect(messages(failure(result)).join("\n")).toMatch(/^5:\d+ .*separator/);
  });

  it("refuses a rename that would leave the link directory", () => {
    expect(renameMatch(".", { prefix: "." })).toBeUndefined();
    expect(renameMatch("a/.", { dotPrefix: true })).toBeUndefined();
    expect(renameMatch("x", { prefix: "." })).toBe(".x");
  });
});

describe("rename on an entry without a glob", () => {
  it("is an error at its key, like exclude", async () => {
    const { result } = await resolveRenaming(
      "  - link: ~/.vimrc\n    target: vim/vimrc\n    rename: { dotPrefix: true }\n",
      { vim: { vimrc: "v" } },
    );
    expect(messages(failure(result)).join("\n")).toMatch(/^5:\d+ `rename` only applies to a glob/);
  });
});
