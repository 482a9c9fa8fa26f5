import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadManifest, type LoadedManifest } from "../src/session/load.js";
import { unlistedRecords } from "../src/session/plan.js";
import { recordsNotIn, type LinkRecord, type State } from "../src/state/state.js";
import { makeWorld, type World } from "./helpers/world.js";

const record = (link: string, target: string): LinkRecord => ({
  link,
  kind: "symlink",
  target,
  text: target,
  dev: null,
  ino: null,
  previous: null,
  backup: null,
  createdAt: "2026-12-01T00:00:00.000Z",
});

async function load(world: World): Promise<LoadedManifest> {
  const loaded = await loadManifest(world.context(), { config: world.manifest });
  if (!loaded.ok) throw new Error(loaded.errors.map((e) => e.message).join("\n"));
  return loaded.value;
}

/** A state recording `names` in the world's home, each linked to the repository's vim/vimrc. */
function stateOf(world: World, loaded: LoadedManifest, names: string[]): State {
  const links = names.map((n) =>
    record(path.join(world.home, n), path.join(world.dots, "vim/vimrc")),
  );
  return { version: 2, manifest: loaded.file, links, directories: [] };
}

const unlisted = (world: World, loaded: LoadedManifest, names: string[]) =>
  unlistedRecords(stateOf(world, loaded, names), loaded, world.platform).map((r) =>
    path.relative(world.home, r.link),
  );

describe("the records the manifest no longer lists (what prune removes, what status calls stale)", () => {
  it.each([
    ["a map", 'links:\n  "~/a": vim/vimrc\n  "~/b": vim/vimrc\n'],
    [
      "a list",
      "links:\n  - { link: ~/a, target: vim/vimrc }\n  - { link: ~/b, target: vim/vimrc }\n",
    ],
  ])("are the records of links the manifest does not declare, in %s", async (_form, links) => {
    const world = await makeWorld(`version: 1\n${links}`);
    const loaded = await load(world);
    expect(unlisted(world, loaded, ["a", "b", "c", "d"])).toEqual(["c", "d"]);
    expect(unlisted(world, loaded, ["a", "b"])).toEqual([]);
  });

  it("leave out a link declared only by an entry skipped by its condition", async () => {
    const world = await makeWorld(
      "version: 1\nlinks:\n  - { link: ~/a, target: vim/vimrc }\n  - { link: ~/b, target: vim/vimrc, when: { profile: [work] } }\n",
    );
    const loaded = await load(world);
    expect(unlisted(world, loaded, ["a", "b", "c"])).toEqual(["c"]);
  });

  it("are found in the links as they are when the resolved list has been changed since", async () => {
    const world = await makeWorld('version: 1\nlinks:\n  "~/a": vim/vimrc\n  "~/b": vim/vimrc\n');
    const loaded = await load(world);
    loaded.links.pop();
    expect(unlisted(world, loaded, ["a", "b"])).toEqual(["b"]);
    const state = stateOf(world, loaded, ["a", "b", "c"]);
    expect(unlistedRecords(state, loaded, world.platform)).toEqual(
      recordsNotIn(
        state,
        loaded.links.map((l) => l.link),
        world.platform,
      ),
    );
  });
});
