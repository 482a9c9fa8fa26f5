import { readFileSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { NodeFileSystem } from "../src/fs/nodeFileSystem.js";
import type { LinkRecord } from "../src/state/state.js";
import { readState, writeState } from "../src/state/stateFile.js";
import { linkRecord } from "./helpers/records.js";
import { tempDir } from "./helpers/tree.js";

const fs = new NodeFileSystem();
const MANIFEST = "/dots/links.yaml";
const MADE = "2024-01-01T00:00:00.000Z";

/** linkman's record fields, in the order it writes them. */
const FIELDS = [
  "link",
  "kind",
  "target",
  "text",
  "dev",
  "ino",
  "previous",
  "backup",
  "createdAt",
] as const;

/** A state file of this version holding these records, written as given (a hand-edited one). */
async function stateFile(version: 1 | 2, links: string): Promise<string> {
  const file = path.join(tempDir(), "state.json");
  await writeFile(
    file,
    `{"version":${version},"manifest":"${MANIFEST}","createdAt":"${MADE}","links":[${links}],"directories":[]}`,
  );
  return file;
}

async function read(file: string) {
  const r = await readState(fs, file, MANIFEST, "linux");
  if (!r.ok) throw new Error(r.problem);
  return r;
}

/** What every reader of a record relies on: a plain object whose own keys are linkman's, in order. */
function expectPlain(record: LinkRecord, whole: LinkRecord) {
  expect(Object.getPrototypeOf(record)).toBe(Object.prototype);
  expect(Object.keys(record)).toEqual(Object.keys(whole));
  expect(JSON.stringify(record)).toBe(JSON.stringify(whole));
  expect({ ...record }).toEqual(whole);
}

// Records a hand-edited file may hold beside linkman's own: each valid, each with something
// more or something spelled another way. Read back, each is the whole record and nothing else.
const handEdited: [string, string, LinkRecord][] = [
  [
    "a record as version 2 writes it",
    `{"link":"/home/a","target":"/dots/a"}`,
    linkRecord("/home/a", { target: "/dots/a", text: "/dots/a" }),
  ],
  [
    "a key linkman does not write",
    `{"link":"/home/a","target":"/dots/a","colour":"red"}`,
    linkRecord("/home/a", { target: "/dots/a", text: "/dots/a" }),
  ],
  [
    "a toJSON key",
    `{"link":"/home/a","target":"/dots/a","toJSON":"/etc/passwd"}`,
    linkRecord("/home/a", { target: "/dots/a", text: "/dots/a" }),
  ],
  [
    "a __proto__ key holding other fields",
    `{"link":"/home/a","target":"/dots/a","__proto__":{"kind":"hardlink","backup":"/etc/x"}}`,
    linkRecord("/home/a", { target: "/dots/a", text: "/dots/a" }),
  ],
  [
    "takenOver false and every null written out",
    `{"link":"/home/a","target":"/dots/a","dev":null,"ino":null,"previous":null,"backup":null,"takenOver":false}`,
    linkRecord("/home/a", { target: "/dots/a", text: "/dots/a" }),
  ],
  [
    "its keys in another order",
    `{"target":"/dots/a","createdAt":"${MADE}","link":"/home/a","kind":"junction"}`,
    linkRecord("/home/a", { kind: "junction", target: "/dots/a", text: "/dots/a" }),
  ],
  [
    "takenOver true",
    `{"link":"/home/a","target":"/dots/a","takenOver":true}`,
    linkRecord("/home/a", { target: "/dots/a", text: "/dots/a", takenOver: true }),
  ],
];

describe("a state record read back", () => {
  it.each(handEdited)(
    "is a plain object holding linkman's fields in its order, and only them: %s",
    async (_name, json, whole) => {
      const r = await read(await stateFile(2, json));
      expect(r.ignored).toEqual([]);
      expect(r.state.links).toHaveLength(1);
      expectPlain(r.state.links[0]!, whole);
      expect(Object.keys(whole).slice(0, FIELDS.length)).toEqual([...FIELDS]);
    },
  );

  it("from a version 1 file is a plain object too, whatever keys it carried", async () => {
    const whole = linkRecord("/home/a");
    const json = JSON.stringify({ ...whole, extra: 1 }).replace("{", `{"__proto__":{"x":1},`);
    const r = await read(await stateFile(1, json));
    expectPlain(r.state.links[0]!, whole);
  });

  it("is ignored when its link and target are only under a __proto__ key", async () => {
    const r = await read(await stateFile(2, `{"__proto__":{"link":"/home/a","target":"/dots/a"}}`));
    expect(r.state.links).toEqual([]);
    expect(r.ignored).toHaveLength(1);
    expect(r.ignored[0]).toMatch(/^record 1 was ignored/);
  });

  it("is written back as the same records made by hand are, byte for byte", async () => {
    // Each hand-edited record under a link of its own (a second record of a link is ignored).
    const json = handEdited.map(([, j], i) => j.replace('"/home/a"', `"/home/${i}"`));
    const r = await read(await stateFile(2, json.join(",")));
    expect(r.ignored).toEqual([]);
    const written = path.join(tempDir(), "written.json");
    await writeState(fs, written, r.state);
    const byHand = path.join(tempDir(), "byHand.json");
    const plain = handEdited.map(([, , whole], i) => ({ ...whole, link: `/home/${i}` }));
    await writeState(fs, byHand, { ...r.state, links: plain });
    expect(readFileSync(written, "utf8")).toBe(readFileSync(byHand, "utf8"));
  });
});
