import { readdirSync, readFileSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { linkman } from "./helpers/cli.js";
import { tempDir } from "./helpers/tree.js";

const dir = path.join(import.meta.dirname, "fixtures/malformed");
const fixtures = readdirSync(dir).filter((f) => f.endsWith(".yaml"));

/** `# expect: LINE:COLUMN text` lines at the top of a fixture: each error it must produce. */
function expectations(file: string): { line: number; column: number; text: string }[] {
  return readFileSync(path.join(dir, file), "utf8")
    .split("\n")
    .flatMap((l) => {
      const m = /^# expect: (\d+):(\d+) (.+)$/.exec(l);
      return m ? [{ line: Number(m[1]), column: Number(m[2]), text: m[3] as string }] : [];
    });
}

describe("malformed manifests", () => {
  it("has a corpus of at least 30 fixtures, each with its expected errors", () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(30);
    for (const f of fixtures) expect(expectations(f), f).not.toEqual([]);
  });

  it.each(fixtures)("%s: exit 2 with each expected error at its line and column", async (file) => {
    const home = tempDir();
    const run = await linkman(["validate", "-c", path.join(dir, file)], { cwd: dir, home });
    expect(run.code).toBe(2);
    const headlines = run.stderr.split("\n").filter((l) => l.includes(": error: "));
    const expected = expectations(file);
    for (const e of expected) {
      const match = headlines.find(
        (h) => h.startsWith(`${file}:${e.line}:${e.column}: error: `) && h.includes(e.text),
      );
      expect(
        match,
        `${file}: no error "${e.line}:${e.column} ${e.text}" in:\n${run.stderr}`,
      ).toBeDefined();
    }
    expect(headlines).toHaveLength(expected.length);
    expect(run.stderr).not.toMatch(/^\s+at .*\(.*:\d+:\d+\)$/m);
  });
});

describe("manifests that are not text a person wrote", () => {
  async function validate(content: string | Uint8Array) {
    const cwd = tempDir();
    await writeFile(path.join(cwd, "links.yaml"), content);
    return linkman(["validate"], { cwd });
  }

  it("refuses a NUL byte, naming its line", async () => {
    const run = await validate("version: 1\nlinks:\n  ~/a: b\u0000c\n");
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("links.yaml:3:1: error: the manifest contains a NUL byte");
  });

  it("refuses bytes that are not UTF-8", async () => {
    const run = await validate(new Uint8Array([0x76, 0x65, 0x72, 0xff, 0xfe, 0x0a]));
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("not valid UTF-8");
  });

  it("refuses a file over the size limit without parsing it", async () => {
    const run = await validate("#".repeat(9 * 1024 * 1024));
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("linkman reads manifests up to 4.0 MiB");
  });

  it("reports deep nesting as a wrong type, not a crash", async () => {
    const run = await validate(`version: 1\nlinks: ${"[".repeat(500)}${"]".repeat(500)}\n`);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("links[0]: expected a map, found a list");
  });

  it("reads a manifest that starts with a byte-order mark", async () => {
    const run = await validate("\uFEFFversion: 1\nlinks: {}\n");
    expect(run.code).toBe(0);
  });

  it("refuses a directory where the manifest should be", async () => {
    const cwd = tempDir();
    const run = await linkman(["validate", "-c", cwd], { cwd });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("is a directory, not a manifest file");
  });
});
