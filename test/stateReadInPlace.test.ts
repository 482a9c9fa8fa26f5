import { writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { NodeFileSystem } from "../src/fs/nodeFileSystem.js";
import { trustState } from "../src/session/trust.js";
import type { State } from "../src/state/state.js";
import { readState } from "../src/state/stateFile.js";
import { linkRecord } from "./helpers/records.js";
import { tempDir } from "./helpers/tree.js";

const fs = new NodeFileSystem();
const MANIFEST = "/dots/links.yaml";
const TIME = "2024-01-01T00:00:00.000Z";

/** Reads a state file of `version` holding these records as written, whatever their shape. */
async function readRecords(links: unknown[], version = 2) {
  const file = path.join(tempDir(), "state.json");
  const extra = version === 2 ? { createdAt: TIME } : {};
  await writeFile(
    file,
    JSON.stringify({ version, manifest: MANIFEST, ...extra, links, directories: [] }),
  );
  const read = await readState(fs, file, MANIFEST, "linux");
  if (!read.ok) throw new Error(read.problem);
  return read;
}

const plain = (name: string) => ({ link: `/home/${name}`, target: `/dots/${name}` });
const whole = (name: string) =>
  linkRecord(`/home/${name}`, { target: `/dots/${name}`, text: `/dots/${name}`, createdAt: TIME });

describe("reading a state's records in order", () => {
  it.each([
    ["a link that is not absolute", { link: "home/b", target: "/dots/b" }],
    ["a NUL in the target", { link: "/home/b", target: "/dots/\0b" }],
    ["a `..` segment in the link", { link: "/home/../b", target: "/dots/b" }],
    ["an unknown kind", { ...plain("b"), kind: "copy" }],
    ["a number for a path", { link: 7, target: "/dots/b" }],
    ["a dev that is not decimal", { ...plain("b"), dev: "0x1" }],
    ["an array for a record", ["/home/b", "/dots/b"]],
    ["null for a record", null],
  ])(
    "keeps every record around one with %s, in order, and names the one it leaves out",
    async (_, odd) => {
      const read = await readRecords([plain("a"), odd, plain("c"), plain("d")]);
      expect(read.state.links).toEqual([whole("a"), whole("c"), whole("d")]);
      expect(read.ignored).toHaveLength(1);
      expect(read.ignored[0]).toMatch(/(the record of .*|record 2) was ignored \(/);
    },
  );

  it("finds a second record of a link kept before the records went out of order", async () => {
    const read = await readRecords([plain("a"), plain("c"), plain("b"), plain("a"), plain("d")]);
    expect(read.state.links).toEqual([whole("a"), whole("c"), whole("b"), whole("d")]);
    expect(read.ignored).toEqual([
      'the record of "/home/a" was ignored (a second record of the same link)',
    ]);
  });

  it("keeps a version 1 record after a refused one as the record it was", async () => {
    const read = await readRecords([whole("a"), { ...whole("b"), text: 3 }, whole("c")], 1);
    expect(read.state.links).toEqual([whole("a"), whole("c")]);
    expect(read.ignored).toHaveLength(1);
  });
});

describe("trusting a state's records in order", () => {
  const state = (names: string[]): State => ({
    version: 2,
    manifest: MANIFEST,
    links: names.map((n) => (n.startsWith("/") ? linkRecord(n) : whole(n))),
    directories: [],
  });
  const roots = [{ path: "/home", real: "/home" }];

  it("trusts the state's own records when every one passes", () => {
    const given = state(["a", "b", "c"]);
    const split = trustState(given, roots, "linux");
    expect(split.trusted.links).toBe(given.links);
    expect(split.untrusted).toEqual([]);
  });

  it.each([
    ["first", ["/etc/x", "a", "b"]],
    ["in the middle", ["a", "/etc/x", "b"]],
    ["last", ["a", "b", "/etc/x"]],
  ])("trusts every other record, in order, when the %s one fails", (_, names) => {
    const given = state(names);
    const split = trustState(given, roots, "linux");
    expect(split.trusted.links).toEqual([whole("a"), whole("b")]);
    expect(split.untrusted.map((r) => r.link)).toEqual(["/etc/x"]);
    expect(split.notices).toHaveLength(1);
    // The state read is left as it was.
    expect(given.links.map((r) => r.link)).toEqual(
      names.map((n) => (n[0] === "/" ? n : `/home/${n}`)),
    );
  });
});
