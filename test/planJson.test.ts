import path from "node:path";
import { describe, expect, it } from "vitest";
import { makeWorld } from "./helpers/world.js";

describe("the JSON views", () => {
  it("prints the plan exactly as SPEC.md shapes it", async () => {
    const w = await makeWorld(
      "version: 1\nlinks:\n  - { link: ~/new, target: vim/vimrc }\n  - { link: ~/old, target: vim/vimrc }\n  - { link: ~/in-the-way, target: nvim, onConflict: backup }\n  - { link: ~/aix, target: vim/vimrc, when: { os: aix } }\n",
      { home: { old: { symlink: "/previous" }, "in-the-way": "mine" } },
    );
    const run = await w.cli("plan", "--json");
    expect(run.code).toBe(0);
    const h = (p: string) => path.join(w.home, p);
    const d = (p: string) => path.join(w.dots, p);
    // SPEC.md's fields, each as it shows them (the value carries more: rule, options, place).
    expect(JSON.parse(run.stdout)).toMatchObject({
      version: 1,
      manifest: w.manifest,
      actions: [
        {
          op: "create",
          kind: "symlink",
          link: h("new"),
          target: d("vim/vimrc"),
          reason: null,
          backup: null,
          found: { type: "missing" },
          message: null,
        },
        {
          op: "replace",
          kind: "symlink",
          link: h("old"),
          target: d("vim/vimrc"),
          reason: null,
          backup: null,
          found: { type: "symlink", linkTarget: "/previous" },
          message: "replaces a symlink to /previous",
        },
        {
          op: "replace",
          kind: "symlink",
          link: h("in-the-way"),
          target: d("nvim"),
          reason: null,
          backup: h("in-the-way.linkman-backup"),
          found: { type: "file" },
          message: `moves a file that is in the way to ${h("in-the-way.linkman-backup")}`,
        },
        {
          op: "skip",
          kind: "symlink",
          link: h("aix"),
          target: d("vim/vimrc"),
          reason: "condition",
          backup: null,
          found: { type: "missing" },
          message: `os is ${process.platform}, not aix`,
        },
      ],
      summary: { create: 1, replace: 2, remove: 0, skip: 1, conflict: 0, error: 0 },
    });
  });

  it("adds each action's result to apply --json", async () => {
    const w = await makeWorld("version: 1\nlinks:\n  ~/a: vim/vimrc\n  ~/b: vim/vimrc\n", {
      home: { b: { symlink: path.join("..", "dots", "vim", "vimrc") } },
    });
    const run = await w.cli("apply", "--json");
    expect(run.code).toBe(0);
    const json = JSON.parse(run.stdout) as {
      refused: null;
      actions: { op: string; result: string; error: null }[];
    };
    expect(json.refused).toBeNull();
    expect(json.actions.map((a) => [a.op, a.result, a.error])).toEqual([
      ["create", "done", null],
      ["skip", "unchanged", null],
    ]);
  });

  it("keeps stdout pure JSON and messages on stderr", async () => {
    const w = await makeWorld("version: 1\nlinks:\n  ~/a: vim/vimrc\n", { home: { a: "mine" } });
    const run = await w.cli("apply", "--json");
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toMatchObject({ refused: { reason: "blocked" } });
    expect(run.stderr).toContain("nothing was applied");
  });
});

describe("colour", () => {
  const esc = "\u001b[";
  const setup = () => makeWorld("version: 1\nlinks:\n  ~/a: vim/vimrc\n");

  it("colours the plan on a terminal", async () => {
    const w = await setup();
    const { linkman } = await import("./helpers/cli.js");
    const run = await linkman(["plan"], { cwd: w.dots, home: w.home, tty: true });
    expect(run.stdout).toContain(`${esc}32m+ create`);
  });

  it.each([
    ["NO_COLOR is set", ["plan"], { NO_COLOR: "1" }],
    ["--no-color is given", ["plan", "--no-color"], {}],
    ["--json is given", ["plan", "--json"], {}],
  ])("does not colour when %s", async (_why, args, env) => {
    const w = await setup();
    const { linkman } = await import("./helpers/cli.js");
    const run = await linkman(args, { cwd: w.dots, home: w.home, tty: true, env });
    expect(run.stdout).not.toContain(esc);
  });

  it("does not colour when stdout is not a terminal", async () => {
    const w = await setup();
    expect((await w.cli("plan")).stdout).not.toContain(esc);
  });
});
