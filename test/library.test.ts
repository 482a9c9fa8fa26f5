import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { readmeLibraryExample, ROOT as root } from "./helpers/readme.js";
import { makeWorld } from "./helpers/world.js";

/** Runs the README's example as its own Node process, in the world's repository, against the built library. */
function runExample(w: Awaited<ReturnType<typeof makeWorld>>, ...args: string[]) {
  const library = pathToFileURL(path.join(root, "dist/index.js")).href;
  const script = path.join(w.root, "example.mjs");
  writeFileSync(script, readmeLibraryExample().replace(/from "linkman"/g, `from "${library}"`));
  try {
    const stdout = execFileSync(process.execPath, [script, ...args], {
      cwd: w.dots,
      env: { PATH: process.env.PATH, HOME: w.home, XDG_STATE_HOME: path.join(w.root, "state") },
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    });
    return { code: 0, stdout, stderr: "" };
  } catch (error) {
    const e = error as { status: number; stdout: string; stderr: string };
    return { code: e.status, stdout: e.stdout, stderr: e.stderr };
  }
}

describe("the README's library example, pasted as a user would", () => {
  it("applies with state and lock, prints the CLI's view, and serialises its result", async () => {
    const w = await makeWorld(
      "version: 1\nlinks:\n  ~/.vimrc: vim/vimrc\n  ~/.config/nvim: nvim\n",
    );
    const run = runExample(w);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("+ created  ~/.vimrc → vim/vimrc");
    expect(run.stdout).toContain("Applied: 2 created");
    const saved = JSON.parse(readFileSync(path.join(w.dots, "linkman-result.json"), "utf8")) as {
      actions: { result: string }[];
    };
    expect(saved.actions.map((a) => a.result)).toEqual(["done", "done"]);

    // linkman itself knows the links the script made.
    const status = await w.cli("status", "--json");
    expect(status.code).toBe(0);
    const links = (JSON.parse(status.stdout) as { links: { madeByLinkman: boolean }[] }).links;
    expect(links.map((l) => l.madeByLinkman)).toEqual([true, true]);
    expect((await w.cli("unlink")).code).toBe(0);
    expect(w.snapshot()["home/.vimrc"]).toBeUndefined();
  });

  it("reports a refusal: a file in the way, and nothing is applied", async () => {
    const w = await makeWorld(
      "version: 1\nlinks:\n  ~/.vimrc: vim/vimrc\n  ~/.bashrc: vim/vimrc\n",
      {
        home: { ".vimrc": "mine\n" },
      },
    );
    const before = w.snapshot();
    const run = runExample(w);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("nothing applied (blocked)");
    expect(run.stdout).toContain("! conflict ~/.vimrc → vim/vimrc: a file is in the way");
    const after = w.snapshot();
    delete after["dots/linkman-result.json"];
    delete after["example.mjs"];
    expect(after).toEqual(before);
  });

  it("reports invalid input with its line, and exits 2", async () => {
    const w = await makeWorld(
      "version: 1\nlinks:\n  - link: ~/.vimrc\n    target: vim/vimrc\n    knd: hardlink\n",
    );
    const run = runExample(w);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/links\.yaml:5:5: .*knd/);
  });
});
