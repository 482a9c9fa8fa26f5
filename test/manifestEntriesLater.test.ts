import path from "node:path";
import { describe, expect, it } from "vitest";
import { NodeFileSystem } from "../src/fs/nodeFileSystem.js";
import type { Manifest } from "../src/manifest/manifest.js";
import { readManifest } from "../src/manifest/read.js";
import { resolveLinks } from "../src/resolve/resolveLinks.js";
import { testContext } from "./helpers/resolve.js";
import { makeTree } from "./helpers/tree.js";

const names = Array.from({ length: 100 }, (_, i) => `f${i}`);
const big = `version: 1\nlinks:\n${names.map((n) => `  "~/${n}": pkg/${n}\n`).join("")}`;

async function setUp() {
  const root = await makeTree({
    home: {},
    dots: { "links.yaml": big, pkg: Object.fromEntries(names.map((n) => [n, n])) },
  });
  const file = path.join(root, "dots", "links.yaml");
  const home = path.join(root, "home");
  const read = async (): Promise<Manifest> => {
    const manifest = await readManifest(file, { fs: new NodeFileSystem(), homedir: home });
    if (!manifest.ok) throw new Error(manifest.errors[0]?.message);
    return manifest.value;
  };
  const resolve = async (manifest: Manifest) => {
    const links = await resolveLinks(manifest, testContext(home));
    if (!links.ok) throw new Error(links.errors[0]?.message);
    return links.value.map((l) => [l.link, l.target, l.targetType, JSON.stringify(l.place)]);
  };
  return { read, resolve };
}

describe("a links map's entries, made when first asked for", () => {
  it("are the map's pairs in order, read, spread or shown as JSON", async () => {
    const { read } = await setUp();
    const { root } = await read();
    const expected = names.map((n) => ({
      link: `~/${n}`,
      target: `pkg/${n}`,
      options: {},
      exclude: [],
      at: `~/${n}`,
    }));
    expect({ ...root }.entries).toEqual(expected);
    expect(root.entries).toBe(root.entries);
    expect(JSON.parse(JSON.stringify(root.entries))).toEqual(expected);
    expect(Object.keys(root)).toContain("entries");
  });

  it("resolve to the links of the entries asked for first", async () => {
    const { read, resolve } = await setUp();
    const straight = await read();
    const askedFirst = await read();
    expect(askedFirst.root.entries).toHaveLength(names.length);
    const links = await resolve(straight);
    expect(links).toHaveLength(names.length);
    expect(links).toEqual(await resolve(askedFirst));
  });

  it("can be replaced before they are made", async () => {
    const { read, resolve } = await setUp();
    const replaced = await read();
    replaced.root.entries = [];
    expect(await resolve(replaced)).toEqual([]);
  });
});
