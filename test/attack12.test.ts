import path from "node:path";
import { describe, expect, it } from "vitest";
import { makeWorld } from "./helpers/world.js";

describe("explain on a manifest that lists directories", () => {
  it("explains the link asked about, not the first listed directory", async () => {
    const w = await makeWorld(
      "version: 1\nlinks:\n  ~/.vimrc: vim/vimrc\ndirectories:\n  - ~/made\n",
    );
    const run = await w.cli("explain", "~/.vimrc", "--json");
    expect(JSON.parse(run.stdout)).toMatchObject({
      link: path.join(w.home, ".vimrc"),
      action: { op: "create", link: path.join(w.home, ".vimrc") },
    });
  });
});
