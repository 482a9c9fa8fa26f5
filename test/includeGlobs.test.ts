import path from "node:path";
import { describe, expect, it } from "vitest";
import { failure, messages, pairs, resolveFile, testContext } from "./helpers/resolve.js";
import { makeTree, type Tree } from "./helpers/tree.js";

/** A monorepo at `root/repo` with `links.yaml` holding `manifest`, and packages that each may have their own. */
async function monorepo(manifest: string, packages: Tree, home: Tree = {}) {
  const root = await makeTree({ home, repo: { "links.yaml": manifest, packages } });
  return { root, file: path.join(root, "repo/links.yaml"), home: path.join(root, "home") };
}

const own = (name: string) =>
  `version: 1\nlinks:\n  - link: .editorconfig\n    target: ${name}.editorconfig\n    ifMissing: link\n`;

describe("include takes globs", () => {
  it("includes every match, sorted, each resolving its paths from its own directory", async () => {
    const { root, file, home } = await monorepo("version: 1\ninclude: [packages/*/links.yaml]\n", {
      web: { "links.yaml": own("web") },
      api: { "links.yaml": own("api") },
      docs: { "README.md": "" },
    });
    expect(pairs(await resolveFile(file, testContext(home)), root)).toEqual([
      "repo/packages/api/.editorconfig → repo/packages/api/api.editorconfig",
      "repo/packages/web/.editorconfig → repo/packages/web/web.editorconfig",
    ]);
  });

  it("includes a file that two globs match once", async () => {
    const { root, file, home } = await monorepo(
      "version: 1\ninclude: [packages/*/links.yaml, packages/api/*.yaml]\n",
      { api: { "links.yaml": own("api") } },
    );
    expect(pairs(await resolveFile(file, testContext(home)), root)).toEqual([
      "repo/packages/api/.editorconfig → repo/packages/api/api.editorconfig",
    ]);
  });

  it("never matches the manifest that includes it", async () => {
    const { root, file, home } = await monorepo("version: 1\ninclude: ['**/links.yaml']\n", {
      api: { "links.yaml": own("api") },
    });
    expect(pairs(await resolveFile(file, testContext(home)), root)).toEqual([
      "repo/packages/api/.editorconfig → repo/packages/api/api.editorconfig",
    ]);
  });

  it("is fine with no match when the glob ends with ?", async () => {
    const { file, home } = await monorepo("version: 1\ninclude: [packages/*/links.yaml?]\n", {});
    expect(pairs(await resolveFile(file, testContext(home)), "/")).toEqual([]);
  });

  it("reports a glob without ? that matches nothing at its line, saying how to allow that", async () => {
    const { file, home } = await monorepo("version: 1\ninclude:\n  - packages/*/link.yaml\n", {
      api: { "links.yaml": own("api") },
    });
    const [error] = failure(await resolveFile(file, testContext(home)));
    expect(messages([error!])).toEqual(["3:5 no file matches the include packages/*/link.yaml"]);
    expect(error?.hint).toContain("packages/*/link.yaml?");
  });

  it("counts, never quotes, the problems of a matched file outside the manifest's directory", async () => {
    const { file, home } = await monorepo(
      "version: 1\ninclude: ['~/conf/*.yaml']\n",
      {},
      { conf: { "secret.yaml": "password: hunter2\n" } },
    );
    const [error] = failure(await resolveFile(file, testContext(home)));
    expect(error?.message).toMatch(/is not a valid manifest \(\d+ problems?, not shown/);
    expect(JSON.stringify(error)).not.toContain("hunter2");
  });

  it("refuses an include glob too complex to match in bounded time, at its line", async () => {
    const { file, home } = await monorepo(
      `version: 1\ninclude: ['packages/!(a)/links.yaml']\n`,
      {},
    );
    const [error] = failure(await resolveFile(file, testContext(home)));
    expect(messages([error!])[0]).toMatch(/^2:\d+ .*not supported/);
  });
});
