import { describe, expect, it } from "vitest";
import { makeWorld } from "./helpers/world.js";

describe("linkman status", () => {
  it("exits 0 when every link is as the manifest wants", async () => {
    const w = await makeWorld("version: 1\nlinks:\n  ~/a: vim/vimrc\n");
    await w.cli("apply");
    const run = await w.cli("status");
    expect(run).toMatchObject({ code: 0 });
    expect(run.stdout).toContain("Status: 1 ok, 0 missing, 0 wrong, 0 conflict, 0 broken.");
  });

  it("names each kind of drift and exits 1", async () => {
    const w = await makeWorld(
      "version: 1\nlinks:\n  ~/ok: vim/vimrc\n  ~/missing: vim/vimrc\n  ~/wrong: vim/vimrc\n  ~/conflict: vim/vimrc\n  ~/broken: vim/gone\n",
      {
        home: {
          ok: { symlink: "../dots/vim/vimrc" },
          wrong: { symlink: "/elsewhere" },
          conflict: "mine",
        },
      },
    );
    const run = await w.cli("status");
    expect(run.code).toBe(1);
    expect(run.stdout.split("\n").map((l) => l.split(" ")[0])).toEqual([
      "missing",
      "wrong",
      "conflict",
      "broken",
      "hint:",
      "hint:",
      "Status:",
      "",
    ]);
    const verbose = await w.cli("status", "-v");
    expect(verbose.stdout).toMatch(/^ok {7}~\/ok → vim\/vimrc/);
    expect(run.stdout).toContain("wrong    ~/wrong → vim/vimrc (points to /elsewhere)");
    expect(run.stdout).toContain("Status: 1 ok, 1 missing, 1 wrong, 1 conflict, 1 broken.");
  });

  it("does not count entries skipped by when as drift", async () => {
    const w = await makeWorld(
      "version: 1\nlinks:\n  - { link: ~/aix, target: vim/vimrc, when: { os: aix } }\n",
    );
    const run = await w.cli("status");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`skipped  ~/aix → vim/vimrc (os is ${process.platform}, not aix)`);
  });

  it("prints each link's state as JSON", async () => {
    const w = await makeWorld("version: 1\nlinks:\n  ~/a: vim/vimrc\n");
    const run = await w.cli("status", "--json");
    expect(JSON.parse(run.stdout)).toMatchObject({
      links: [{ state: "missing", kind: "symlink", found: { type: "missing" } }],
    });
  });

  it("tells a listed directory ok, missing or in the way, and exits 0 once every one is made", async () => {
    const w = await makeWorld(
      "version: 1\ndirectories:\n  - ~/.vim/undo\n  - ~/.cache/app\n  - ~/taken\nlinks:\n  ~/a: vim/vimrc\n",
      { home: { ".vim": { undo: {} }, taken: "a file" } },
    );
    const before = await w.cli("status");
    expect(before.code).toBe(1);
    expect(before.stdout).toContain("missing  ~/.cache/app/");
    expect(before.stdout).toContain("conflict ~/taken/");
    expect(before.stdout).toContain("Status: 1 ok, 2 missing, 0 wrong, 1 conflict, 0 broken.");

    await w.cli("apply", "--skip-conflicts");
    const json = JSON.parse((await w.cli("status", "--json")).stdout) as {
      links: { link: string; state: string }[];
    };
    expect(json.links.map((l) => [l.link.slice(w.home.length), l.state])).toEqual([
      ["/.vim/undo", "ok"],
      ["/.cache/app", "ok"],
      ["/taken", "conflict"],
      ["/a", "ok"],
    ]);
  });

  it("exits 0 for a manifest whose listed directories are all there", async () => {
    const w = await makeWorld("version: 1\ndirectories:\n  - ~/.vim/undo\n", {
      home: { ".vim": { undo: {} } },
    });
    const run = await w.cli("status");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("Status: 1 ok, 0 missing, 0 wrong, 0 conflict, 0 broken.");
  });
});
