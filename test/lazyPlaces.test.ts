import path from "node:path";
import { describe, expect, it } from "vitest";
import { formatKeyPath } from "../src/diagnostic.js";
import type { KeyPath, SourceDoc } from "../src/manifest/source.js";
import { parseYamlSource } from "../src/manifest/yamlSource.js";
import type { EntryPlace } from "../src/resolve/desiredLink.js";
import { messages, resolveFile, testContext } from "./helpers/resolve.js";
import { makeTree } from "./helpers/tree.js";

const N = 300;
const names = Array.from({ length: N }, (_, i) => `f${i}`);
const big = `version: 1\ninclude: [more.yaml]\nlinks:\n${names.map((n) => `  "~/${n}": pkg/${n}\n`).join("")}`;
const more = `version: 1\nlinks:\n  # a comment first\n  - { link: ~/x/a, target: pkg/f0 }\n  - link: ~/x/b\n    target: pkg/f1\n`;

const parsed = new Map<string, SourceDoc>();

/** The place the yaml library gives an entry: the reader every place was checked against before places were made lazily. */
function placeByYamlLibrary(file: string, text: string, at: KeyPath, key: boolean): EntryPlace {
  let doc = parsed.get(text);
  if (!doc) {
    const read = parseYamlSource(file, text, []);
    if (!read.ok) throw new Error(messages(read.errors).join("\n"));
    doc = read.value;
    parsed.set(text, doc);
  }
  const where = doc.placeOf(at, { key });
  const { line, column, lineText, length } = where;
  return { file, line, column, lineText, length, path: formatKeyPath(at) };
}

describe("an entry's place, worked out when first read", () => {
  it("is the place the yaml library gives, for every entry of a large map and of an included list, read in any order", async () => {
    const root = await makeTree({
      home: {},
      dots: {
        "links.yaml": big,
        "more.yaml": more,
        pkg: Object.fromEntries(names.map((n) => [n, n])),
      },
    });
    const file = path.join(root, "dots", "links.yaml");
    const included = path.join(root, "dots", "more.yaml");
    const result = await resolveFile(file, testContext(path.join(root, "home")));
    if (!result.ok) throw new Error(messages(result.errors).join("\n"));
    const links = result.value;
    expect(links).toHaveLength(N + 2);
    const expected = [
      ...names.map((n) => placeByYamlLibrary(file, big, ["links", `~/${n}`], true)),
      placeByYamlLibrary(included, more, ["links", 0], false),
      placeByYamlLibrary(included, more, ["links", 1], false),
    ];
    // Last first: the places are asked out of the order they were read in.
    for (let i = links.length - 1; i >= 0; i--) {
      const place = links[i]!.place;
      const want = expected[i]!;
      expect([place.file, place.line, place.column, place.path]).toEqual([
        want.file,
        want.line,
        want.column,
        want.path,
      ]);
      expect([place.lineText, place.length]).toEqual([want.lineText, want.length]);
      // JSON shows the same object, its fields in the same order as before.
      expect(JSON.stringify(place)).toBe(JSON.stringify(want));
    }
    expect(links[N - 1]!.place).toMatchObject({
      line: N + 3,
      column: 3,
      path: `links["~/f${N - 1}"]`,
    });
    expect(JSON.parse(JSON.stringify(links[N + 1]!.place))).toMatchObject({
      file: included,
      line: 5,
      column: 5,
      path: "links[1]",
    });
  });
});
