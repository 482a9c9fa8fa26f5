import { writeFile } from "node:fs/promises";
import path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { NodeFileSystem } from "../src/fs/nodeFileSystem.js";
import { readState } from "../src/state/stateFile.js";
import { tempDir } from "./helpers/tree.js";

const fs = new NodeFileSystem();

/** Each field of a record: values linkman writes, and values it never writes. */
const good = {
  link: ["/home/a", "/home/.b c", "/home/..a/b.."],
  kind: ["symlink", "hardlink", "junction"],
  target: ["/dots/vim/vimrc", "/dots/..x/y"],
  text: [null, "../dots/x", "/dots/x"],
  dev: [null, "0", "12345678901234567890"],
  ino: [null, "42"],
  previous: [null, "/old", "old"],
  backup: [null, "/home/a.linkman-backup"],
  createdAt: ["2024-01-01T00:00:00.000Z", ""],
  takenOver: [undefined, true, false],
} as const;
const bad = {
  link: ["home/a", "/home/../etc/a", "/home/a\0", "/home/..", 7, null, undefined],
  kind: ["copy", null, undefined],
  target: ["vim/vimrc", "/dots/../etc", "..\\x", null, undefined],
  text: ["/x\0", 1, undefined],
  dev: ["0x10", "-1", "", "123456789012345678901", 5, undefined],
  ino: ["1.5", undefined],
  previous: ["\0", false, undefined],
  backup: ["b.linkman-backup", "/home/../b", undefined],
  createdAt: [null, 0, undefined],
  takenOver: ["yes", null, 1],
} as const;
type Field = keyof typeof good;
const fields = Object.keys(good) as Field[];

/** A record whose fields are each good or bad, and whether all of them are good. */
const recordArb = fc
  .tuple(
    ...fields.map((f) =>
      // Mostly good fields, so that many records are wholly good and many have one bad field.
      fc.oneof(
        { weight: 9, arbitrary: fc.constantFrom(...good[f]).map((v) => [v, true] as const) },
        { weight: 1, arbitrary: fc.constantFrom(...bad[f]).map((v) => [v, false] as const) },
      ),
    ),
    fc.boolean(),
  )
  .map((parts) => {
    const record: Record<string, unknown> = {};
    let valid = true;
    fields.forEach((f, i) => {
      const [value, ok] = parts[i] as readonly [unknown, boolean];
      if (value !== undefined) record[f] = value;
      valid &&= ok;
    });
    if (parts[fields.length]) record.extra = "kept out";
    return { record, valid };
  });

describe("reading the state's records", () => {
  it("keeps exactly the records whose every field is one linkman writes, with only the record's keys, once per link", async () => {
    const dir = tempDir();
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(recordArb, { maxLength: 8 }), async (records) => {
        const file = path.join(dir, `state-${n++}.json`);
        const links = records.map((r) => r.record);
        await writeFile(
          file,
          JSON.stringify({ version: 1, manifest: "/m/l.yaml", links, directories: [] }),
        );
        const read = await readState(fs, file, "/m/l.yaml", "linux");
        expect(read.ok).toBe(true);
        if (!read.ok) return;
        // A second record of a link is ignored (a hand-edited state): the first is kept.
        const kept = records
          .filter((r) => r.valid)
          .filter((r, i, valid) => valid.findIndex((o) => o.record.link === r.record.link) === i)
          .map(({ record }) => {
            const { extra: _extra, ...rest } = JSON.parse(JSON.stringify(record)) as Record<
              string,
              unknown
            >;
            return rest;
          });
        expect(read.state.links).toEqual(kept);
        expect(read.ignored).toHaveLength(records.length - kept.length);
      }),
      { numRuns: 150 },
    );
  });
});
