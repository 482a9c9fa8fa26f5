import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runBin } from "./helpers/bin.js";
import { makeTree, tempDir } from "./helpers/tree.js";

/** Runs the built bin in a fresh home, with zod's loading reported on stderr. */
function run(args: string[], home = tempDir()) {
  const result = runBin(args, home, { LINKMAN_DEBUG_ZOD: "1" });
  const zodLoaded = result.stderr.includes("linkman: zod loaded\n");
  return { code: result.status, stdout: result.stdout, stderr: result.stderr, zodLoaded, home };
}

const twoLinks = 'version: 1\nlinks:\n  "~/.a": a\n  - link: ~/.b\n    target: b\n';

describe("the bin starts zod only when a schema is needed", () => {
  it("does not load zod to apply a valid manifest, nor to apply it again", async () => {
    const dots = await makeTree({
      "links.yaml": 'version: 1\nlinks:\n  "~/.a": a\n  "~/.b": b\n',
      a: "a",
      b: "b",
    });
    const manifest = path.join(dots, "links.yaml");
    const fresh = run(["apply", "-c", manifest]);
    expect(fresh).toMatchObject({ code: 0, zodLoaded: false });
    expect(existsSync(path.join(fresh.home, ".a"))).toBe(true);
    expect(run(["apply", "-c", manifest], fresh.home)).toMatchObject({ code: 0, zodLoaded: false });
  });

  it("loads zod to explain a bad manifest, and the explanation is the usual one", async () => {
    const dots = await makeTree({ "links.yaml": 'version: 1\nlinks:\n  "~/.a": [1]\n' });
    const result = run(["apply", "-c", path.join(dots, "links.yaml")]);
    expect(result).toMatchObject({ code: 2, zodLoaded: true });
    expect(result.stderr).toContain(
      'links.yaml:3:11: error: links["~/.a"]: expected a string, found a list',
    );
  });

  it("prints every JSON Schema with zod loaded on demand", () => {
    const manifest = run(["schema"]);
    expect(manifest).toMatchObject({ code: 0, zodLoaded: true });
    expect(JSON.parse(manifest.stdout)).toMatchObject({ type: "object", required: ["version"] });
    for (const name of ["plan", "apply", "status"]) {
      const schema = run(["schema", name]);
      expect(schema.code).toBe(0);
      const committed = readFileSync(
        path.resolve(import.meta.dirname, `../schemas/${name}.schema.json`),
        "utf8",
      );
      expect(JSON.parse(schema.stdout)).toEqual(JSON.parse(committed));
    }
  });

  it("checks a saved plan with zod, and refuses one of the wrong shape", async () => {
    const dots = await makeTree({
      "links.yaml": twoLinks.replace("- link: ~/.b\n    target: b\n", '"~/.b": b\n'),
      a: "a",
      b: "b",
      "bad.json": '{"version": 1}',
    });
    const home = tempDir();
    const saved = path.join(dots, "plan.json");
    expect(run(["plan", "-c", path.join(dots, "links.yaml"), "--out", saved], home).code).toBe(0);
    const applied = run(["apply", "-c", path.join(dots, "links.yaml"), saved], home);
    expect(applied).toMatchObject({ code: 0, zodLoaded: true });
    expect(existsSync(path.join(home, ".b"))).toBe(true);
    const refused = run(
      ["apply", "-c", path.join(dots, "links.yaml"), path.join(dots, "bad.json")],
      home,
    );
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain("is not a plan saved by `linkman plan --out`");
  });
});
