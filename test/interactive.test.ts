import { lstatSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { inTerminal } from "./helpers/pty.js";
import { makeWorld, type World } from "./helpers/world.js";

/** Two files in the way of targets that exist, and one real file whose target does not exist yet. */
const MANIFEST =
  "version: 1\nlinks:\n  ~/.vimrc: vim/vimrc\n  ~/tool: bin/tool\n  ~/.bashrc: bash/bashrc\n";
const HOME = { ".vimrc": "set mouse=a\n", tool: "mine\n", ".bashrc": "export A=1\n" };
const QUESTION = "What should linkman do?";

const ask = (w: World, keys: string[]) =>
  inTerminal(["apply", "--interactive"], {
    cwd: w.dots,
    env: { HOME: w.home, XDG_STATE_HOME: path.join(w.root, "state") },
    waitFor: QUESTION,
    keys,
  });

const isLink = (p: string) => lstatSync(p).isSymbolicLink();

describe.skipIf(process.platform === "win32")("linkman apply --interactive, in a terminal", () => {
  it("shows the diff on d, then backs up and links on b, skips on s, and adopts on a", async () => {
    const w = await makeWorld(MANIFEST, { home: HOME });
    const run = await ask(w, ["d\r", "b\r", "s\r", "a\r"]);
    expect(run.code).toBe(0);
    expect(run.screen).toContain("-set mouse=a");
    expect(run.screen).toContain("+set number");
    expect(isLink(path.join(w.home, ".vimrc"))).toBe(true);
    expect(readFileSync(path.join(w.home, ".vimrc.linkman-backup"), "utf8")).toBe("set mouse=a\n");
    expect(readFileSync(path.join(w.home, "tool"), "utf8")).toBe("mine\n");
    expect(isLink(path.join(w.home, "tool"))).toBe(false);
    expect(isLink(path.join(w.home, ".bashrc"))).toBe(true);
    expect(readFileSync(path.join(w.dots, "bash", "bashrc"), "utf8")).toBe("export A=1\n");
  }, 30_000);

  it("changes nothing when told to stop, even after earlier answers", async () => {
    const w = await makeWorld(MANIFEST, { home: HOME });
    const before = w.snapshot();
    const run = await ask(w, ["b\r", "q\r"]);
    expect(run.code).toBe(1);
    expect(run.screen).toContain("stopped: nothing was changed");
    expect(w.snapshot()).toEqual(before);
  }, 30_000);
});

describe("linkman apply --interactive, without a terminal", () => {
  it("refuses with exit 2 when there is no terminal to ask on", async () => {
    const w = await makeWorld(MANIFEST, { home: HOME });
    const before = w.snapshot();
    const run = await w.cli("apply", "--interactive");
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("apply --interactive needs a terminal to ask on");
    expect(w.snapshot()).toEqual(before);
  });

  it("refuses with exit 2 with --json", async () => {
    const w = await makeWorld(MANIFEST, { home: HOME });
    const run = await w.cli("apply", "--interactive", "--json");
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("it cannot print --json");
  });
});
