import { lstatSync, readFileSync, readlinkSync, realpathSync, writeFileSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { NodeFileSystem } from "../src/fs/nodeFileSystem.js";
import type { LinkRecord, State } from "../src/state/state.js";
import { readState, writeState } from "../src/state/stateFile.js";
import { linkRecord } from "./helpers/records.js";
import { compactRecord, stateText } from "./helpers/stateText.js";
import { tempDir } from "./helpers/tree.js";
import { makeWorld } from "./helpers/world.js";

const fs = new NodeFileSystem();
const MANIFEST = "/dots/links.yaml";

/** A version 2 state file holding these records (as given, whatever their shape), and its path. */
async function version2(links: unknown[], extra: object = {}): Promise<string> {
  const file = path.join(tempDir(), "state.json");
  const state = { version: 2, manifest: MANIFEST, ...extra, links, directories: [] };
  await writeFile(file, JSON.stringify(state));
  return file;
}

const read = (file: string) => readState(fs, file, MANIFEST, "linux");

/** The records a state file reads back as; fails the test if the file is refused. */
async function recordsOf(file: string): Promise<LinkRecord[]> {
  const r = await read(file);
  if (!r.ok) throw new Error(r.problem);
  return r.state.links;
}

const symlinkTo = { link: "/home/a", target: "/dots/a" };
const made = "2024-01-01T00:00:00.000Z";
const later = "2024-02-01T00:00:00.000Z";

describe("a version 2 state file's records", () => {
  it("leave out every null field, the kind symlink, a text that is the target, takenOver unless true and the time the file gives", async () => {
    const file = path.join(tempDir(), "state.json");
    const state: State = {
      version: 2,
      manifest: MANIFEST,
      links: [
        linkRecord("/home/a", { takenOver: false }),
        linkRecord("/home/b", { text: "../dots/vim/vimrc", previous: "/old", takenOver: true }),
        linkRecord("/home/c", { kind: "hardlink", text: null, dev: "1", ino: "2" }),
        linkRecord("/home/d", { createdAt: later }),
      ],
      directories: [],
    };
    await writeState(fs, file, state);
    expect(JSON.parse(readFileSync(file, "utf8"))).toEqual({
      version: 2,
      manifest: MANIFEST,
      createdAt: made,
      links: [
        { link: "/home/a", target: "/dots/vim/vimrc" },
        {
          link: "/home/b",
          target: "/dots/vim/vimrc",
          text: "../dots/vim/vimrc",
          previous: "/old",
          takenOver: true,
        },
        {
          link: "/home/c",
          kind: "hardlink",
          target: "/dots/vim/vimrc",
          dev: "1",
          ino: "2",
        },
        { link: "/home/d", target: "/dots/vim/vimrc", createdAt: later },
      ],
      directories: [],
    });
    expect(await recordsOf(file)).toEqual(
      state.links.map((r) => ({ ...r, takenOver: r.takenOver || undefined })),
    );
  });

  it("give the time the most records share, the first such when two are as common", async () => {
    const at = (createdAt: string, ...links: string[]) =>
      links.map((l) => linkRecord(l, { createdAt }));
    const fileTime = async (links: LinkRecord[]) => {
      const file = path.join(tempDir(), "state.json");
      await writeState(fs, file, { version: 2, manifest: MANIFEST, links, directories: [] });
      return (JSON.parse(readFileSync(file, "utf8")) as { createdAt?: string }).createdAt;
    };
    expect(await fileTime([...at(later, "/home/a"), ...at(made, "/home/b", "/home/c")])).toBe(made);
    expect(
      await fileTime([...at(later, "/home/a", "/home/b"), ...at(made, "/home/c", "/home/d")]),
    ).toBe(later);
    expect(await fileTime([])).toBeUndefined();
  });

  it("read a record without its time as made at the file's time", async () => {
    const [record] = await recordsOf(await version2([symlinkTo], { createdAt: made }));
    expect(record).toEqual(linkRecord("/home/a", { target: "/dots/a", text: "/dots/a" }));
  });

  it.each([5, null, ["2024"]])("refuse the whole file when its time is %j", async (createdAt) => {
    const r = await read(await version2([{ ...symlinkTo, createdAt: made }], { createdAt }));
    expect(r).toMatchObject({
      ok: false,
      problem: expect.stringMatching(/^does not have the shape linkman writes \(createdAt: /),
    });
  });

  it("read back as the whole records, each field left out holding its default, the kind given or not", async () => {
    const records = await recordsOf(
      await version2([
        { ...symlinkTo, createdAt: made },
        { link: "/home/h", kind: "hardlink", target: "/dots/h", createdAt: made },
        { link: "/home/j", kind: "junction", target: "/dots/j", createdAt: made, takenOver: false },
        { ...symlinkTo, link: "/home/s", kind: "symlink", createdAt: made },
      ]),
    );
    expect(records).toEqual([
      {
        link: "/home/a",
        kind: "symlink",
        target: "/dots/a",
        text: "/dots/a",
        dev: null,
        ino: null,
        previous: null,
        backup: null,
        createdAt: made,
      },
      {
        link: "/home/h",
        kind: "hardlink",
        target: "/dots/h",
        text: null,
        dev: null,
        ino: null,
        previous: null,
        backup: null,
        createdAt: made,
      },
      {
        link: "/home/j",
        kind: "junction",
        target: "/dots/j",
        text: "/dots/j",
        dev: null,
        ino: null,
        previous: null,
        backup: null,
        createdAt: made,
      },
      linkRecord("/home/s", { target: "/dots/a", text: "/dots/a" }),
    ]);
    expect(records.map((r) => "takenOver" in r)).toEqual([false, false, false, false]);
  });

  it("read a text present and equal to the target as the target, and write it left out", async () => {
    const [record] = await recordsOf(
      await version2([{ ...symlinkTo, text: "/dots/a", createdAt: made }]),
    );
    expect(record).toEqual(linkRecord("/home/a", { target: "/dots/a", text: "/dots/a" }));
    const file = path.join(tempDir(), "state.json");
    await writeState(fs, file, {
      version: 2,
      manifest: MANIFEST,
      links: [record!],
      directories: [],
    });
    expect(readFileSync(file, "utf8")).not.toContain('"text"');
  });

  it("read null written out as the field left out", async () => {
    const [record] = await recordsOf(
      await version2([
        { ...symlinkTo, dev: null, ino: null, previous: null, backup: null, createdAt: made },
      ]),
    );
    expect(record).toEqual(linkRecord("/home/a", { target: "/dots/a", text: "/dots/a" }));
  });

  it.each<[string, Partial<LinkRecord>]>([
    ["a symlink without a text (which the trust check refuses)", { text: null }],
    ["a hard link with a text (which the trust check refuses)", { kind: "hardlink", text: "/x" }],
    ["a hard link whose text is its target", { kind: "hardlink", text: "/dots/vim/vimrc" }],
    ["a wrapper's digest", { kind: "wrapper", text: `sha256:${"0".repeat(64)}` }],
    ["a junction whose text is not its target", { kind: "junction", text: "/dots/other" }],
    [
      "every field set",
      {
        dev: "0",
        ino: "12345678901234567890",
        previous: "p",
        backup: "/home/a.linkman-backup",
        takenOver: true,
      },
    ],
  ])("keep %s as it was through a write and a read", async (_what, fields) => {
    const records = [linkRecord("/home/a", fields)];
    const file = path.join(tempDir(), "state.json");
    await writeState(fs, file, { version: 2, manifest: MANIFEST, links: records, directories: [] });
    expect(await recordsOf(file)).toEqual(records);
  });

  it.each<[string, Record<string, unknown>]>([
    ["a text of the wrong type", { text: 1 }],
    ["a text holding NUL", { text: "/dots\0" }],
    ["a device of the wrong type", { dev: 5 }],
    ["a device that is not a decimal number", { dev: "0x10" }],
    ["an inode that is not a decimal number", { ino: "1.5" }],
    ["a previous link text of the wrong type", { previous: false }],
    ["a relative backup", { backup: "a.linkman-backup" }],
    ["a backup with a .. segment", { backup: "/home/../etc/shadow" }],
    ["takenOver that is not a boolean", { takenOver: "yes" }],
    ["takenOver null", { takenOver: null }],
    ["no createdAt", { createdAt: undefined }],
    ["a createdAt of the wrong type", { createdAt: 0 }],
    ["an unknown kind", { kind: "copy" }],
    ["no target", { target: undefined }],
    ["a null target", { target: null }],
    ["a relative target", { target: "dots/a" }],
    ["a target with a .. segment", { target: "/dots/../etc/passwd" }],
    ["a null link", { link: null }],
    ["a link with a .. segment", { link: "/home/x/../../etc/b" }],
    ["a link holding NUL", { link: "/home/b\0" }],
  ])("ignore a record with %s, keep the others, and name it", async (_what, bad) => {
    const good = (link: string) => ({ ...symlinkTo, link, createdAt: made });
    const tampered = { ...good("/home/b"), ...bad };
    const r = await read(await version2([good("/home/a"), tampered, good("/home/c")]));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.state.links.map((l) => l.link)).toEqual(["/home/a", "/home/c"]);
    expect(r.ignored).toEqual([
      typeof tampered.link === "string"
        ? expect.stringContaining(`the record of ${JSON.stringify(tampered.link)} was ignored`)
        : expect.stringContaining("record 2 was ignored"),
    ]);
  });
});

/** Each field of a version 2 record: values linkman reads (ABSENT: left out), and values it refuses. */
const ABSENT = undefined;
const good = {
  link: ["/home/a", "/home/.b c"],
  kind: [ABSENT, "symlink", "hardlink", "junction", "wrapper"],
  target: ["/dots/vim/vimrc", "/dots/..x/y"],
  text: [ABSENT, null, "../dots/x", "/dots/vim/vimrc"],
  dev: [ABSENT, null, "0", "12345678901234567890"],
  ino: [ABSENT, null, "42"],
  previous: [ABSENT, null, "/old", "old"],
  backup: [ABSENT, null, "/home/a.linkman-backup"],
  // Left out: good when the file gives a time (see the property below).
  createdAt: [ABSENT, "2024-01-01T00:00:00.000Z", ""],
  takenOver: [ABSENT, true, false],
} as const;
const bad = {
  link: ["home/a", "/home/../etc/a", 7, null, ABSENT],
  kind: ["copy", null, 1],
  target: ["vim/vimrc", "/dots/../etc", null, ABSENT],
  text: ["/x\0", 1, false],
  dev: ["0x10", "", 5],
  ino: ["1.5", 42],
  previous: ["\0", false],
  backup: ["b.linkman-backup", "/home/../b"],
  createdAt: [null, 0],
  takenOver: ["yes", null, 1],
} as const;
type Field = keyof typeof good;
const fields = Object.keys(good) as Field[];

/** A generated record: each field good or bad (mostly good), and whether all are good. */
const recordArb = fc
  .tuple(
    ...fields.map((f) =>
      fc.oneof(
        { weight: 9, arbitrary: fc.constantFrom(...good[f]).map((v) => [v, true] as const) },
        { weight: 1, arbitrary: fc.constantFrom(...bad[f]).map((v) => [v, false] as const) },
      ),
    ),
  )
  .map((parts) => {
    const record: Record<string, unknown> = {};
    let valid = true;
    fields.forEach((f, i) => {
      const [value, ok] = parts[i] as readonly [unknown, boolean];
      if (value !== ABSENT) record[f] = value;
      valid &&= ok;
    });
    return { record, valid };
  });

/** The whole record a valid compact one stands for, restated from the format's rule. */
function whole(r: Record<string, unknown>, fileTime: string | undefined): LinkRecord {
  const full = {
    link: r.link,
    kind: r.kind ?? "symlink",
    target: r.target,
    text: r.text !== undefined ? r.text : r.kind === "hardlink" ? null : r.target,
    dev: r.dev ?? null,
    ino: r.ino ?? null,
    previous: r.previous ?? null,
    backup: r.backup ?? null,
    createdAt: r.createdAt ?? fileTime,
  } as LinkRecord;
  return r.takenOver === true ? { ...full, takenOver: true } : full;
}

describe("reading a version 2 state's records", () => {
  it("keeps exactly the records whose every field is one linkman reads, each whole, once per link", async () => {
    const fileTimeArb = fc.constantFrom(undefined, "2024-03-01T00:00:00.000Z");
    await fc.assert(
      fc.asyncProperty(
        fc.array(recordArb, { maxLength: 8 }),
        fileTimeArb,
        async (records, time) => {
          const given = time === undefined ? {} : { createdAt: time };
          const r = await read(
            await version2(
              records.map((g) => g.record),
              given,
            ),
          );
          expect(r.ok).toBe(true);
          if (!r.ok) return;
          const kept = records
            .filter((g) => g.valid && (g.record.createdAt !== undefined || time !== undefined))
            .filter((g, i, valid) => valid.findIndex((o) => o.record.link === g.record.link) === i)
            .map((g) => whole(g.record, time));
          expect(r.state.links).toEqual(kept);
          expect(r.ignored).toHaveLength(records.length - kept.length);
          // And what is kept is written back as the same compact records it was read from.
          const again = path.join(tempDir(), "again.json");
          await writeState(fs, again, r.state);
          expect(readFileSync(again, "utf8")).toBe(stateText(r.state));
          expect(await recordsOf(again)).toEqual(kept);
        },
      ),
      { numRuns: 150 },
    );
  });

  it("writes each record as the format's rule says, whatever it holds", () => {
    const record = linkRecord("/home/a", { kind: "hardlink", text: null, dev: "1", ino: "2" });
    expect(compactRecord(record)).toEqual({
      link: "/home/a",
      kind: "hardlink",
      target: "/dots/vim/vimrc",
      dev: "1",
      ino: "2",
      createdAt: made,
    });
  });
});

describe("a version 1 state file", () => {
  it("is read, and written as version 2 at the next save, with every record it held", async () => {
    const w = await makeWorld("version: 1\nlinks:\n  ~/a: vim/vimrc\n  ~/b: vim/vimrc\n", {
      home: { old: { symlink: "/somewhere" } },
    });
    expect((await w.cli("apply")).code).toBe(0);
    const written = JSON.parse(readFileSync(w.stateFile, "utf8")) as State;
    const v1Links = (await recordsOf2(w.stateFile, w.manifest)).map((r) => ({ ...r }));
    // As the previous release wrote it: version 1, every field of every record present.
    writeFileSync(w.stateFile, JSON.stringify({ ...written, version: 1, links: v1Links }));
    expect(readFileSync(w.stateFile, "utf8")).toContain('"text":');

    await writeFile(
      w.manifest,
      "version: 1\nlinks:\n  ~/a: vim/vimrc\n  ~/b: vim/vimrc\n  ~/c: nvim\n",
    );
    const run = await w.cli("apply");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("1 created, 0 replaced, 0 removed, 2 unchanged");
    const after = JSON.parse(readFileSync(w.stateFile, "utf8")) as State;
    expect(after.version).toBe(2);
    expect(readFileSync(w.stateFile, "utf8")).not.toContain('"text":');
    const records = await recordsOf2(w.stateFile, w.manifest);
    expect(records.slice(0, 2)).toEqual(v1Links);
    expect(records.map((r) => path.basename(r.link))).toEqual(["a", "b", "c"]);
    // And the links it recorded are still known as linkman's: unlink removes all three.
    expect((await w.cli("unlink")).stdout).toContain("3 removed");
    expect(readlinkSync(path.join(w.home, "old"))).toBe("/somewhere");
  });
});

describe("a version 2 state's records are untrusted as version 1's are", () => {
  it("leaves alone a link a crafted compact record puts outside the roots, and says so", async () => {
    const w = await makeWorld("version: 1\nlinks:\n  ~/a: vim/vimrc\n", {
      root: { outside: { victim: { symlink: "/dots/x" } } },
    });
    const victim = path.join(w.root, "outside", "victim");
    await mkdir(path.dirname(w.stateFile), { recursive: true });
    writeFileSync(
      w.stateFile,
      JSON.stringify({
        version: 2,
        manifest: w.manifest,
        links: [{ link: victim, kind: "symlink", target: "/dots/x", createdAt: made }],
        directories: [path.join(w.root, "outside")],
      }),
    );
    const run = await w.cli("unlink");
    expect(run.stderr).toContain(`the state's record of ${victim} is ignored`);
    expect(lstatSync(victim).isSymbolicLink()).toBe(true);
  });
});

/** The records of a world's state file, read as linkman reads it. */
async function recordsOf2(file: string, manifest: string): Promise<LinkRecord[]> {
  const r = await readState(fs, file, realpathSync(manifest), process.platform);
  if (!r.ok) throw new Error(r.problem);
  return r.state.links;
}

describe("a state file of a newer format", () => {
  it("is refused, naming its version, with the way forward: the newer linkman, not moving it aside", async () => {
    const w = await makeWorld("version: 1\nlinks:\n  ~/a: vim/vimrc\n");
    await mkdir(path.dirname(w.stateFile), { recursive: true });
    writeFileSync(
      w.stateFile,
      JSON.stringify({ version: 3, manifest: w.manifest, records: [], directories: [] }),
    );
    const run = await w.cli("apply");
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      `the state file ${w.stateFile} was written by a newer linkman (state format 3; this one reads 1 and 2)`,
    );
    expect(run.stderr).toContain("Run the newer linkman");
    expect(run.stderr).not.toContain("move it aside");
    expect(lstatSync(w.stateFile).isFile()).toBe(true);
  });
});
