import { writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { NodeFileSystem } from "../src/fs/nodeFileSystem.js";
import { checkedManifest } from "../src/manifest/check.js";
import { readFastYaml } from "../src/manifest/fastYaml.js";
import { readManifest } from "../src/manifest/read.js";
import { manifestSchema } from "../src/manifest/schema.js";
import { parseYamlSource } from "../src/manifest/yamlSource.js";
import { expectSameAsFull, FILE } from "./helpers/fastYaml.js";
import { tempDir } from "./helpers/tree.js";

/** A manifest whose `links` map holds one line per key, each key quoted. */
const linksMap = (keys: string[]) =>
  `version: 1\nlinks:\n${keys.map((k) => `  "${k}": pkg/${k.replace(/\W/g, "")}x\n`).join("")}`;

/** Keys enough to make a large map, none of which could be an array index. */
const names = (n: number) => Array.from({ length: n }, (_, i) => `~/f${i}`);

/** The links of a manifest file, in the order readManifest gives its entries. */
async function linksRead(text: string): Promise<string[]> {
  const file = path.join(tempDir(), "links.yaml");
  writeFileSync(file, text);
  const read = await readManifest(file, { fs: new NodeFileSystem(), homedir: "/home/u" });
  if (!read.ok) throw new Error(JSON.stringify(read.errors));
  return read.value.root.entries.map((e) => e.link);
}

/** The keys of the yaml library's `links` object, in the order Object.keys lists them. */
function linksOfYamlLibrary(text: string): string[] {
  const full = parseYamlSource(FILE, text, []);
  if (!full.ok) throw new Error("the yaml library refuses the text");
  return Object.keys((full.value.value as { links: object }).links);
}

describe("a large links map read by the fast reader", () => {
  it("gives its entries in the order the yaml library's object lists its keys", async () => {
    const text = linksMap(names(100));
    expect(readFastYaml(FILE, text, [])).toBeDefined();
    expect(await linksRead(text)).toEqual(linksOfYamlLibrary(text));
  });

  it("lists keys that may be array indexes first, as objects do", async () => {
    const text = linksMap([...names(70), "10", "2", "~/g", "0"]);
    expect(readFastYaml(FILE, text, [])).toBeDefined();
    const order = await linksRead(text);
    expect(order.slice(0, 3)).toEqual(["0", "2", "10"]);
    expect(order).toEqual(linksOfYamlLibrary(text));
  });

  it("places its keys as the yaml library does, asked in order, backwards and missing", () => {
    const keys = names(80);
    const text = linksMap(keys);
    const fast = expectSameAsFull(text);
    const full = parseYamlSource(FILE, text, []);
    if (!fast || !full.ok) throw new Error("both readers read the text");
    for (const key of [...keys, ...[...keys].reverse(), "~/none", keys[40] as string, "~/f41"]) {
      for (const options of [{ key: true }, {}]) {
        expect(fast.placeOf(["links", key], options)).toEqual(
          full.value.placeOf(["links", key], options),
        );
      }
    }
  });

  it("is accepted or refused by the hand check exactly as zod does", () => {
    const cases = [
      linksMap(names(70)),
      // An empty target, and an empty link.
      `${linksMap(names(70))}  "~/empty": ""\n`,
      `${linksMap(names(70))}  "": pkg/x\n`,
      // A target that is not text.
      `${linksMap(names(70))}  "~/n": 12\n`,
      // A large vars map: names that are variables, then one that is not.
      `version: 1\nvars:\n${names(70)
        .map((_, i) => `  V${i}: v\n`)
        .join("")}`,
      `version: 1\nvars:\n${names(70)
        .map((_, i) => `  V${i}: v\n`)
        .join("")}  "not a name": v\n`,
    ];
    for (const text of cases) {
      const value = readFastYaml(FILE, text, [])?.value;
      expect(value, text).toBeDefined();
      const parsed = manifestSchema.safeParse(value);
      const checked = checkedManifest(value);
      expect(checked !== undefined, text).toBe(parsed.success);
      if (parsed.success) expect(checked).toStrictEqual(parsed.data);
    }
  });
});
