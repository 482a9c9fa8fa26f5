import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { manifestJsonSchema } from "../src/manifest/schema.js";
import { linkman, SPEC_COMMANDS } from "./helpers/cli.js";
import { makeTree, tempDir } from "./helpers/tree.js";
import { onWindows } from "./helpers/systems.js";

const root = path.resolve(import.meta.dirname, "..");
const version = (
  JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as { version: string }
).version;

describe("linkman validate", () => {
  it("accepts the shipped example", async () => {
    const run = await linkman(["validate", "-c", "links.example.yaml"], {
      cwd: root,
      home: tempDir(),
    });
    expect(run).toMatchObject({ code: 0, stdout: "" });
    expect(run.stderr).toContain("links.example.yaml is valid: 11 links, 4 skipped by `when`.");
  });

  it("finds the manifest by searching upward", async () => {
    const cwd = await makeTree({ "links.yaml": "version: 1\nlinks: { ~/a: b }\n", sub: {} });
    const run = await linkman(["validate"], { cwd: path.join(cwd, "sub") });
    expect(run.code).toBe(0);
  });

  it("reads the manifest from LINKMAN_CONFIG", async () => {
    const cwd = await makeTree({ "mine.yaml": "version: 1\n" });
    expect((await linkman(["validate"], { cwd, env: { LINKMAN_CONFIG: "mine.yaml" } })).code).toBe(
      0,
    );
  });

  it("exits 2 with every error", async () => {
    const cwd = await makeTree({
      "links.yaml": "version: 1\nlinks:\n  - link: 1\n    target: 2\n",
    });
    const run = await linkman(["validate"], { cwd });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      "links.yaml:3:11: error: links[0].link: expected a string, found the number 1",
    );
    expect(run.stderr).toContain(
      "links.yaml:4:13: error: links[0].target: expected a string, found the number 2",
    );
    expect(run.stderr).toContain("2 errors; nothing was changed.");
  });

  it("shows the line with a caret under the problem, and a hint", async () => {
    const cwd = await makeTree({ "links.yaml": "version: 1\ndefaults:\n  onconflict: backup\n" });
    const run = await linkman(["validate"], { cwd });
    expect(run.stderr).toBe(
      [
        "links.yaml:3:3: error: defaults.onconflict: unknown key `onconflict`",
        "3 |   onconflict: backup",
        "  |   ^^^^^^^^^^",
        "  hint: did you mean `onConflict`?",
        "1 error; nothing was changed.",
        "",
      ].join("\n"),
    );
  });

  it("exits 2 saying where it looked when there is no manifest", async () => {
    const cwd = tempDir();
    const run = await linkman(["validate"], { cwd });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`no manifest found: looked for linkman.yaml`);
    expect(run.stderr).toContain(`in ${cwd} and every directory above it`);
  });

  it("exits 2 when -c names a file that does not exist", async () => {
    const cwd = tempDir();
    const run = await linkman(["validate", "-c", "nope.yaml"], { cwd });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("nope.yaml: error: no such file");
  });

  it("reads a manifest under the linkman key of package.json, with its lines", async () => {
    const cwd = await makeTree({
      "package.json":
        '{\n  "name": "x",\n  "linkman": {\n    "version": 1,\n    "links": { "~/a": 5 }\n  }\n}\n',
    });
    const run = await linkman(["validate"], { cwd });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      'package.json:5:23: error: linkman.links["~/a"]: expected a string, found the number 5',
    );
  });

  it("prints errors as JSON with --json", async () => {
    const cwd = await makeTree({ "links.yaml": "version: 1\nlnks: {}\n" });
    const run = await linkman(["validate", "--json"], { cwd });
    expect(run.code).toBe(2);
    expect(JSON.parse(run.stdout)).toEqual({
      valid: false,
      errors: [
        {
          file: path.join(cwd, "links.yaml"),
          line: 2,
          column: 1,
          path: "lnks",
          message: "unknown key `lnks`",
          hint: "did you mean `links`?",
        },
      ],
    });
  });

  it.skipIf(onWindows)("lists the resolved links as JSON with --json (a POSIX home)", async () => {
    const cwd = await makeTree({ "links.yaml": "version: 1\nlinks: { ~/a: b }\n" });
    const run = await linkman(["validate", "--json"], { cwd, home: "/home/u" });
    expect(JSON.parse(run.stdout)).toEqual({
      valid: true,
      manifest: path.join(cwd, "links.yaml"),
      warnings: [],
      links: [{ link: "/home/u/a", target: path.join(cwd, "b"), kind: "symlink", skipped: null }],
    });
  });

  it("activates profiles from --profile", async () => {
    const cwd = await makeTree({
      "links.yaml": "version: 1\nlinks:\n  - { link: ~/a, target: b, when: { profile: work } }\n",
    });
    const run = await linkman(["validate", "--profile", "work"], { cwd });
    expect(run.stderr).toContain("is valid: 1 link.");
  });
});

describe("linkman schema", () => {
  it("prints the JSON Schema that is committed in schemas/", async () => {
    const run = await linkman(["schema"], { cwd: root });
    const committed = await readFile(path.join(root, "schemas/linkman.schema.json"), "utf8");
    expect(run.code).toBe(0);
    expect(run.stdout, "schemas/linkman.schema.json is stale: run `npm run schema`").toBe(
      committed,
    );
    expect(JSON.parse(run.stdout)).toEqual(manifestJsonSchema());
  });

  it.each(["plan", "apply", "status"])(
    "prints the JSON Schema of %s --json that is committed in schemas/",
    async (name) => {
      const run = await linkman(["schema", name], { cwd: root });
      const committed = await readFile(path.join(root, `schemas/${name}.schema.json`), "utf8");
      expect(run.code).toBe(0);
      expect(run.stdout, `schemas/${name}.schema.json is stale: run \`npm run schema\``).toBe(
        committed,
      );
    },
  );

  it("describes every key of the manifest", () => {
    const schema = manifestJsonSchema() as {
      properties: Record<string, unknown>;
      required: string[];
    };
    expect(Object.keys(schema.properties)).toEqual([
      "$schema",
      "version",
      "base",
      "vars",
      "defaults",
      "include",
      "links",
      "directories",
    ]);
    expect(schema.required).toEqual(["version"]);
  });
});

describe("linkman init", () => {
  it("writes a starter links.yaml that validates", async () => {
    const cwd = tempDir();
    const init = await linkman(["init"], { cwd });
    expect(init.code).toBe(0);
    const text = await readFile(path.join(cwd, "links.yaml"), "utf8");
    expect(text).toMatch(/^# yaml-language-server: \$schema=.*linkman\.schema\.json\n/);
    expect((await linkman(["validate"], { cwd })).code).toBe(0);
  });

  it("refuses to overwrite a file, leaving it as it was", async () => {
    const cwd = await makeTree({ "links.yaml": "mine" });
    const run = await linkman(["init"], { cwd });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("links.yaml already exists; linkman init never overwrites a file");
    expect(await readFile(path.join(cwd, "links.yaml"), "utf8")).toBe("mine");
  });

  it("writes to -c FILE", async () => {
    const cwd = tempDir();
    expect((await linkman(["init", "-c", "dots.yaml"], { cwd })).code).toBe(0);
    expect(await readFile(path.join(cwd, "dots.yaml"), "utf8")).toContain("version: 1");
  });
});

describe("the command line", () => {
  it("prints the version", async () => {
    const run = await linkman(["--version"], { cwd: root });
    expect(run).toMatchObject({ code: 0, stdout: `${version}\n` });
  });

  it("lists every command of SPEC.md in --help", async () => {
    const run = await linkman(["--help"], { cwd: root });
    expect(run.code).toBe(0);
    for (const command of SPEC_COMMANDS) {
      expect(run.stdout).toMatch(new RegExp(`^  ${command}\\b`, "m"));
    }
  });

  it("exits 2 on an unknown option", async () => {
    const run = await linkman(["validate", "--frobnicate"], { cwd: root });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("unknown option '--frobnicate'");
  });

  it("exits 2 on an unknown command, with a suggestion", async () => {
    const run = await linkman(["valdiate"], { cwd: root });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("(Did you mean validate?)");
  });

  it("prints help on stdout and exits 0 when no command is given", async () => {
    const run = await linkman([], { cwd: root });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("Usage: linkman");
    expect(run.stderr).toBe("");
  });

  it("runs as the built binary, with the process's exit code", async () => {
    const bin = path.join(root, "dist/bundle/linkman.js");
    const cwd = await makeTree({ "links.yaml": "version: 2\n" });
    const run = await promisify(execFile)(process.execPath, [bin, "validate"], { cwd }).catch(
      (e: unknown) => e,
    );
    expect(run).toMatchObject({ code: 2 });
    expect((run as { stderr: string }).stderr).toContain(
      "links.yaml:1:10: error: version: expected 1",
    );
    await writeFile(path.join(cwd, "links.yaml"), "version: 1\n");
    const good = await promisify(execFile)(process.execPath, [bin, "validate"], { cwd });
    expect(good.stderr).toContain("links.yaml is valid");
  });
});
