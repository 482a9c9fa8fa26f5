import { describe, expect, it } from "vitest";
import { readFastYaml } from "../src/manifest/fastYaml.js";
import { parseSource } from "../src/manifest/source.js";
import { expectSameAsFull, FILE } from "./helpers/fastYaml.js";

const accepts = (text: string) => () => {
  expect(expectSameAsFull(text), "the fast reader declined").toBeDefined();
};
const declines = (text: string) => async () => {
  expect(readFastYaml(FILE, text, [])).toBeUndefined();
  // Whatever the fast reader leaves, the yaml library still reads or explains.
  expect(await parseSource(FILE, text)).toBeDefined();
};

describe("the fast manifest reader reads the common shapes as the yaml library does", () => {
  it(
    "a map of links",
    accepts('version: 1\nlinks:\n  "~/.vimrc": vim/vimrc\n  ~/.zshrc: zsh/zshrc\n'),
  );
  it(
    "a list of entries",
    accepts("version: 1\nlinks:\n  - link: ~/.vimrc\n    target: vim/vimrc\n    kind: hardlink\n"),
  );
  it(
    "flow maps as entries",
    accepts(
      "version: 1\nlinks:\n  - { link: ~/, target: pkg/** }\n  - {link: ~/a, target: 'b c'}\n",
    ),
  );
  it(
    "flow lists and nested flow maps",
    accepts(
      'links:\n  - { link: ~/a, target: b, exclude: ["**/*.swp", x], when: { os: [linux], env: { CI: false } } }\n',
    ),
  );
  it(
    "a list under a key at the key's own indentation",
    accepts("include:\n- a.yaml\n- b.yaml?\nlinks: {}\n"),
  );
  it(
    "comments, blank lines and a leading ---",
    accepts(
      "---\n# top\nversion: 1 # the version\n\n  # indented comment\nlinks: # here\n  # before\n  ~/a: b # after\n",
    ),
  );
  it(
    "empty values, which are null",
    accepts("a:\nb:   \nc: # comment\nd: ~\ne: null\nf:\n- \n-\n"),
  );
  it(
    "booleans and integers in every form the core schema reads",
    accepts("a: true\nb: False\nc: TRUE\nd: 12\ne: 007\nf: +3\ng: 'true'\n"),
  );
  it(
    "quoted scalars with escapes",
    accepts(`a: 'it''s'\nb: "C:\\\\Users\\\\me"\nc: "say \\"hi\\""\nd: ""\n`),
  );
  it(
    "indentation of any width",
    accepts("a:\n    b:\n         - c\n         -   d: 1\n             e: 2\n"),
  );
  it("a list of lists of maps", accepts("-\n  - a: 1\n  -\n    b: 2\n- x\n"));
  it(
    "plain scalars holding # : , [ ] { } in the middle",
    accepts("a: x#y\nb: C:/x\nc: a,b\nd: x]\ne: pkg/*.{a,b}\nf: http://x\n"),
  );
  it("a file without a last newline", accepts("version: 1\nlinks:\n  ~/a: b"));
  it("an indented top-level map", accepts("  a: 1\n  b: 2\n"));
  it(
    "Windows line ends",
    accepts("version: 1\r\nlinks:\r\n  ~/a: b # c\r\n  ~/d:\r\n  ~/e: 'f'\r\n"),
  );
  it("a byte order mark at the start", accepts("\ufeffversion: 1\nlinks: {}\n"));
  it("a byte order mark before ---", accepts("\ufeff---\nversion: 1\n"));

  it("places each entry at its line and column", () => {
    const src = expectSameAsFull("version: 1\nlinks:\n  - link: ~/a\n    target: b\n");
    expect(src?.placeOf(["links", 0, "target"])).toMatchObject({ line: 4, column: 13, length: 1 });
    expect(src?.placeOf(["links", 0, "target"], { key: true })).toMatchObject({
      line: 4,
      column: 5,
      length: 6,
    });
  });

  it("reads the linkman part of a package.json-shaped YAML file", () => {
    const text = "name: x\nlinkman:\n  version: 1\n  links: { ~/a: b }\n";
    expect(readFastYaml(FILE, text, ["linkman"])?.value).toEqual({
      version: 1,
      links: { "~/a": "b" },
    });
    expect(expectSameAsFull(text, ["linkman"])).toBeDefined();
  });
});

describe("the fast manifest reader declines what it does not read, and the yaml library reads it", () => {
  it("an anchor", declines("a: &x 1\nb: *x\n"));
  it("an alias", declines("a: 1\nb: *x\n"));
  it("a merge key", declines("a: { x: 1 }\nb:\n  <<: { y: 2 }\n"));
  it("a tag", declines("a: !!str 1\n"));
  it("a literal block scalar", declines("a: |\n  text\n"));
  it("a folded block scalar", declines("a: >\n  text\n"));
  it("a tab in the indentation", declines("a:\n\tb: 1\n"));
  it("a tab after a value", declines("a: b\t# c\n"));
  it("a duplicate key", declines("a: 1\na: 2\n"));
  it("a duplicate key in a flow map", declines("a: { x: 1, x: 2 }\n"));
  it("an empty key", declines("~: 1\n"));
  it("a null key", declines("null: 1\n"));
  it("a __proto__ key", declines("__proto__: 1\n"));
  it("a number as a key", declines("1: a\n"));
  it("a float", declines("a: 1.5\n"));
  it("a hexadecimal number", declines("a: 0x1f\n"));
  it("infinity", declines("a: .inf\n"));
  it("a negative number", declines("a: -1\n"));
  it("a multi-line plain scalar", declines("a: b\n  c\n"));
  it("a multi-line quoted scalar", declines('a: "b\n  c"\n'));
  it("a multi-line flow map", declines("a: {\n  b: 1 }\n"));
  it("a flow map with a trailing comma", declines("a: { b: 1, }\n"));
  it("a flow entry without a value", declines("a: { b }\n"));
  it("an unknown escape", declines('a: "\\x41"\n'));
  it("a byte order mark after the start", declines("a: 1\n\ufeffb: 2\n"));
  it("a carriage return alone", declines("a: 1\rb: 2\n"));
  it("a directive", declines("%YAML 1.2\n---\na: 1\n"));
  it("two documents", declines("a: 1\n---\nb: 2\n"));
  it("a document end marker", declines("a: 1\n...\n"));
  it("a key with spaces before its colon", declines("a  : 1\n"));
  it("a complex key", declines("? a\n: 1\n"));
  it("a map as a key", declines("{ a: 1 }: x\n"));
  it("a key over 1000 characters", declines(`${"k".repeat(1001)}: 1\n`));
  it("a list in a list on one line", declines("- - a\n"));
  it("a bad indentation", declines("a:\n  b: 1\n c: 2\n"));
  it("a scalar at the top", declines("just text\n"));
  it("an empty file", declines(""));
  it("a file of comments", declines("# nothing\n"));
  it("JSON over several lines", declines('{\n  "version": 1\n}\n'));
  it("a reserved indicator", declines("a: @x\n"));
  it("a value that is a map on the same line", declines("a: b: c\n"));
  it(
    "nesting deeper than 64",
    declines(`${Array.from({ length: 70 }, (_, i) => `${"  ".repeat(i)}k:`).join("\n")} 1\n`),
  );
});

describe("the yaml library's reader, which reads what the fast one declines", () => {
  it("refuses a map key holding a merge key with nothing to merge with a message, not an internal error", async () => {
    for (const text of ["{ <<: , }: version }\n", "a: 1\n{ <<: }: x\n"]) {
      for (const prefix of [[], ["linkman"]]) {
        const parsed = await parseSource(FILE, text, prefix);
        expect(parsed.ok).toBe(false);
        if (!parsed.ok) {
          expect(parsed.errors[0]?.message).toMatch(/a key must be a plain string|Merge sources/);
        }
      }
    }
  });
});
