import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { linkman } from "./helpers/cli.js";
import { makeTree, tempDir } from "./helpers/tree.js";

const root = path.resolve(import.meta.dirname, "..");
const committed = () => readFile(path.join(root, "schemas/linkman.schema.json"), "utf8");

describe("a $schema that travels with the repository", () => {
  it("init names a schema copy beside the manifest, and writes that copy", async () => {
    const cwd = tempDir();
    expect((await linkman(["init"], { cwd })).code).toBe(0);
    const manifest = await readFile(path.join(cwd, "links.yaml"), "utf8");
    expect(manifest.split("\n")[0]).toBe("# yaml-language-server: $schema=./linkman.schema.json");
    expect(await readFile(path.join(cwd, "linkman.schema.json"), "utf8")).toBe(await committed());
  });

  it("validate is quiet about a current copy", async () => {
    const cwd = tempDir();
    await linkman(["init"], { cwd });
    const run = await linkman(["validate"], { cwd });
    expect(run.code).toBe(0);
    expect(run.stderr).not.toContain("warning");
  });

  it("validate warns when the copy is stale, and schema --write refreshes it", async () => {
    const cwd = tempDir();
    await linkman(["init"], { cwd });
    const copy = path.join(cwd, "linkman.schema.json");
    const old = JSON.parse(await readFile(copy, "utf8")) as { properties: object };
    await writeFile(copy, JSON.stringify({ ...old, properties: { ...old.properties, x: {} } }));
    const warned = await linkman(["validate"], { cwd });
    expect(warned.code).toBe(0);
    expect(warned.stderr).toContain(
      "warning: ./linkman.schema.json is stale: it is not this linkman's schema; refresh it with `linkman schema --write`",
    );
    const json = await linkman(["validate", "--json"], { cwd });
    expect((JSON.parse(json.stdout) as { warnings: string[] }).warnings).toHaveLength(1);

    const write = await linkman(["schema", "--write"], { cwd });
    expect(write.code).toBe(0);
    expect(write.stderr).toContain("Refreshed linkman.schema.json");
    expect(await readFile(copy, "utf8")).toBe(await committed());
    expect((await linkman(["validate"], { cwd })).stderr).not.toContain("warning");
  });

  it("validate warns about an absolute $schema path, which other machines do not have", async () => {
    const cwd = await makeTree({
      "links.yaml":
        "# yaml-language-server: $schema=/usr/lib/node_modules/linkman/s.json\nversion: 1\n",
    });
    const run = await linkman(["validate"], { cwd });
    expect(run.stderr).toContain("a path only this machine has");
    expect(run.stderr).toContain("linkman schema --write");
  });

  it("validate warns about a $schema file that is not there", async () => {
    const cwd = await makeTree({
      "links.yaml": "# yaml-language-server: $schema=./linkman.schema.json\nversion: 1\n",
    });
    expect((await linkman(["validate"], { cwd })).stderr).toContain(
      "names ./linkman.schema.json, which does not exist",
    );
    expect((await linkman(["schema", "--write"], { cwd })).stderr).toContain(
      "Wrote linkman.schema.json.",
    );
  });

  it("schema --write writes beside the manifest -c names, from anywhere", async () => {
    const repo = await makeTree({ dots: { "links.yaml": "version: 1\n" } });
    const run = await linkman(["-c", "dots/links.yaml", "schema", "--write"], { cwd: repo });
    expect(run.code).toBe(0);
    expect(await readFile(path.join(repo, "dots/linkman.schema.json"), "utf8")).toBe(
      await committed(),
    );
  });

  it("schema --write never replaces a file that is not a linkman schema", async () => {
    const cwd = await makeTree({ "links.yaml": "version: 1\n", "linkman.schema.json": "mine" });
    const run = await linkman(["schema", "--write"], { cwd });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("is not a linkman schema; it was left as it is");
    expect(await readFile(path.join(cwd, "linkman.schema.json"), "utf8")).toBe("mine");
  });

  it("the example manifests name schemas by relative paths that exist in this repository", async () => {
    for (const file of ["links.example.yaml", "examples/repo-onboarding/links.yaml"]) {
      const run = await linkman(["validate", "-c", file], { cwd: root });
      expect(run.code, file).toBe(0);
      expect(run.stderr, file).not.toContain("warning");
    }
  });

  it("the catalog entry associates linkman's own file names, not the generic links.yaml", async () => {
    const catalog = JSON.parse(await readFile(path.join(root, "schemas/catalog.json"), "utf8")) as {
      schemas: { name: string; fileMatch: string[]; url: string }[];
    };
    const [entry] = catalog.schemas;
    expect(entry?.fileMatch).toEqual([
      "linkman.yaml",
      "linkman.yml",
      ".linkmanrc",
      ".linkmanrc.yaml",
      ".linkmanrc.yml",
    ]);
    expect(entry?.url).toMatch(/^https:\/\/.*linkman\.schema\.json$/);
  });
});
