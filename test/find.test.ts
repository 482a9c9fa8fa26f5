import path from "node:path";
import { describe, expect, it } from "vitest";
import { NodeFileSystem } from "../src/fs/nodeFileSystem.js";
import { findManifest, MANIFEST_NAMES } from "../src/manifest/find.js";
import { makeTree } from "./helpers/tree.js";

const find = (cwd: string, config?: string, env: Record<string, string> = {}) =>
  findManifest({ config, env, cwd, fs: new NodeFileSystem() });

describe("finding the manifest", () => {
  it.each(MANIFEST_NAMES.filter((n) => n !== "package.json"))(
    "finds %s in the current directory",
    async (name) => {
      const root = await makeTree({ [name]: "version: 1\n" });
      expect(await find(root)).toEqual({
        ok: true,
        value: { file: path.join(root, name), source: "search" },
      });
    },
  );

  it("finds a package.json with a linkman key", async () => {
    const root = await makeTree({
      "package.json": JSON.stringify({ name: "x", linkman: { version: 1 } }),
    });
    expect(await find(root)).toMatchObject({
      ok: true,
      value: { file: path.join(root, "package.json") },
    });
  });

  it("passes over a package.json without a linkman key and keeps searching upward", async () => {
    const root = await makeTree({
      "links.yaml": "version: 1\n",
      pkg: { "package.json": '{"name":"x"}', src: {} },
    });
    expect(await find(path.join(root, "pkg/src"))).toMatchObject({
      ok: true,
      value: { file: path.join(root, "links.yaml") },
    });
  });

  it("prefers the names in their order within one directory", async () => {
    const root = await makeTree({ "links.yaml": "version: 1\n", "linkman.yaml": "version: 1\n" });
    expect(await find(root)).toMatchObject({ value: { file: path.join(root, "linkman.yaml") } });
  });

  it("finds the nearest manifest above the current directory", async () => {
    const root = await makeTree({
      "links.yaml": "version: 1\n",
      a: { "links.yaml": "version: 1\n", b: { c: {} } },
    });
    expect(await find(path.join(root, "a/b/c"))).toMatchObject({
      value: { file: path.join(root, "a/links.yaml") },
    });
  });

  it("finds an empty manifest (so validate can say it is empty)", async () => {
    const root = await makeTree({ "links.yaml": "" });
    expect(await find(root)).toMatchObject({ ok: true });
  });

  it("takes -c over LINKMAN_CONFIG over the search, relative to the current directory", async () => {
    const root = await makeTree({ "links.yaml": "version: 1\n" });
    expect(await find(root, "x.yaml", { LINKMAN_CONFIG: "y.yaml" })).toEqual({
      ok: true,
      value: { file: path.join(root, "x.yaml"), source: "flag" },
    });
    expect(await find(root, undefined, { LINKMAN_CONFIG: "y.yaml" })).toEqual({
      ok: true,
      value: { file: path.join(root, "y.yaml"), source: "env" },
    });
  });

  it("says where it looked when there is no manifest", async () => {
    const root = await makeTree({ a: {} });
    const result = await find(path.join(root, "a"));
    expect(result.ok).toBe(false);
    const message = result.ok ? "" : (result.errors[0]?.message ?? "");
    expect(message).toContain(`in ${path.join(root, "a")} and every directory above it`);
    expect(message).toContain("linkman.yaml, linkman.yml, links.yaml, .linkmanrc");
  });
});
