import path from "node:path";
import { describe, expect, it } from "vitest";
import { diff } from "../src/session/diff.js";
import { makeWorld } from "./helpers/world.js";

describe("linkman diff", () => {
  it("shows a unified diff of the file in the way (-) against the target (+), and exits 1", async () => {
    const w = await makeWorld("version: 1\nlinks:\n  ~/.vimrc: vim/vimrc\n", {
      home: { ".vimrc": "set number\nset mouse=a\n" },
    });
    const run = await w.cli("diff");
    expect(run.code).toBe(1);
    expect(run.stdout).toBe(
      ["--- ~/.vimrc", "+++ vim/vimrc", "@@ -1,2 +1,1 @@", " set number", "-set mouse=a", ""].join(
        "\n",
      ),
    );
    expect(run.stderr).toContain("Compared 1: 1 differs from its target.");
  });

  it("exits 0 when what is in the way holds the same bytes as the target", async () => {
    const w = await makeWorld("version: 1\nlinks:\n  ~/.vimrc: vim/vimrc\n", {
      home: { ".vimrc": "set number\n" },
    });
    const run = await w.cli("diff");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("the file holds the same bytes as the target");
  });

  it("exits 0 with nothing to compare when every link is in place", async () => {
    const w = await makeWorld("version: 1\nlinks:\n  ~/a: vim/vimrc\n");
    await w.cli("apply");
    expect(await w.cli("diff")).toMatchObject({ code: 0, stdout: "" });
  });

  it("describes binary files instead of diffing them", async () => {
    const w = await makeWorld("version: 1\nlinks:\n  ~/bin: bin.dat\n", {
      home: { bin: "a\u0000b" },
      dots: { "bin.dat": "a\u0000c\u0000" },
    });
    const run = await w.cli("diff");
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("binary files differ (3 bytes; the target 4)");
  });

  it("names the entries of a directory in the way that differ from the target directory", async () => {
    const w = await makeWorld("version: 1\nlinks:\n  ~/nvim: nvim\n", {
      home: { nvim: { "init.lua": "-- mine\n", "extra.lua": "x" } },
    });
    const run = await w.cli("diff");
    expect(run.code).toBe(1);
    expect(run.stdout).toBe(
      [
        "! ~/nvim → nvim",
        "    - extra.lua (only in what is there)",
        "    ~ init.lua (the files differ)",
        "    + lua (only in the target)",
        "",
      ].join("\n"),
    );
  });

  it("says where a link that is replaced points now", async () => {
    const w = await makeWorld("version: 1\nlinks:\n  ~/a: vim/vimrc\n", {
      home: { a: { symlink: "/elsewhere" } },
    });
    const run = await w.cli("diff");
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("a symlink to /elsewhere; the link would point to");
  });

  it("looks only at the links below the paths given", async () => {
    const w = await makeWorld("version: 1\nlinks:\n  ~/a: vim/vimrc\n  ~/b: vim/vimrc\n", {
      home: { a: "one\n", b: "two\n" },
    });
    const run = await w.cli("diff", path.join(w.home, "b"));
    expect(run.stdout).toContain("--- ~/b");
    expect(run.stdout).not.toContain("~/a");
  });

  it("is a library function returning the same value --json prints", async () => {
    const w = await makeWorld("version: 1\nlinks:\n  ~/a: vim/vimrc\n", { home: { a: "x\n" } });
    const result = await diff(w.context());
    expect(result).toMatchObject({ ok: true, value: { different: 1 } });
    const json = JSON.parse((await w.cli("diff", "--json")).stdout) as unknown;
    expect(json).toEqual(result.ok ? result.value : undefined);
  });
});
