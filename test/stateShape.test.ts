import { writeFile } from "node:fs/promises";
import path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { NodeFileSystem } from "../src/fs/nodeFileSystem.js";
import { readState } from "../src/state/stateFile.js";
import { tempDir } from "./helpers/tree.js";

const fs = new NodeFileSystem();
const MANIFEST = "/m/l.yaml";
const ABSENT = Symbol("absent");
const TOKEN = "0123456789ab";

/** Each key of a state file: values linkman writes first, then values it never writes. */
const values = {
  version: [1, 2, 3, "1", null, ABSENT],
  manifest: [MANIFEST, "/other/l.yaml", "m/l.yaml", "/m/../m/l.yaml", "/m/l.yaml\0", 5, ABSENT],
  links: [[], {}, "x", null, ABSENT],
  directories: [[], ["/home/d"], {}, 0, ABSENT],
  applying: [ABSENT, TOKEN, "0123456789AB", "xyz", 5, null],
  extra: [ABSENT, "kept out"],
} as const;
type Key = keyof typeof values;
const keys = Object.keys(values) as Key[];

const fileArb = fc.oneof(
  { weight: 9, arbitrary: fc.tuple(...keys.map((k) => fc.constantFrom(...values[k]))) },
  { weight: 1, arbitrary: fc.constantFrom<unknown>(null, [], 1, "state") },
);

describe("reading the state file's shape", () => {
  it("trusts exactly a file of version 1 or 2, this manifest, and lists of links and directories", async () => {
    const dir = tempDir();
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fileArb, async (generated) => {
        let json: unknown = generated;
        if (Array.isArray(generated) && generated.length === keys.length) {
          const file: Record<string, unknown> = {};
          keys.forEach((k, i) => generated[i] !== ABSENT && (file[k] = generated[i]));
          json = file;
        }
        const file = path.join(dir, `state-${n++}.json`);
        await writeFile(file, JSON.stringify(json));
        const read = await readState(fs, file, MANIFEST, "linux");
        const f = (typeof json === "object" && json !== null ? json : {}) as Record<
          string,
          unknown
        >;
        const shapeOk =
          !Array.isArray(json) &&
          (f.version === 1 || f.version === 2) &&
          typeof f.manifest === "string" &&
          f.manifest.startsWith("/") &&
          !/\0|\.\./.test(f.manifest) &&
          Array.isArray(f.links) &&
          Array.isArray(f.directories);
        expect(read.ok).toBe(shapeOk && f.manifest === MANIFEST);
        if (!read.ok) {
          // Any fault of the shape is explained by the schema; a file of another manifest says so.
          // A newer format's file is refused as such, whatever its shape.
          expect(read.problem).toMatch(
            f.version === 3
              ? /was written by a newer linkman \(state format 3;/
              : shapeOk
                ? /belongs to another manifest/
                : /does not have the shape linkman writes \(.+\)/,
          );
          return;
        }
        // Read as the version linkman writes next.
        expect(read.state).toEqual({
          version: 2,
          manifest: MANIFEST,
          links: [],
          directories: f.directories,
          ...(f.applying === TOKEN ? { applying: TOKEN } : {}),
        });
        const tokenIgnored = "applying" in f && f.applying !== TOKEN;
        expect(read.ignored).toEqual(
          tokenIgnored ? [expect.stringContaining("the interrupted run's token")] : [],
        );
      }),
      { numRuns: 300 },
    );
  });
});
