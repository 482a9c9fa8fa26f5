import path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { linkman } from "./helpers/cli.js";
import { makeWorld } from "./helpers/world.js";

/** Plans a manifest through the CLI: the exit code, the first error line, and the actions. */
async function planOf(manifest: string, env: Record<string, string> = {}) {
  const w = await makeWorld(manifest);
  const before = w.snapshot();
  const run = await linkman(["plan", "--json"], { cwd: w.dots, home: w.home, env });
  expect(w.snapshot()).toEqual(before);
  expect(run.stderr).not.toContain("[object Object]");
  expect(run.stderr).not.toContain("native code");
  const error = run.stderr.split("\n").find((l) => l.includes(": error: ")) ?? "";
  const actions =
    run.code === 2
      ? []
      : (JSON.parse(run.stdout) as { actions: { op: string; reason: string; link: string }[] })
          .actions;
  const seen = actions.map(
    (a) => `${a.op}${a.reason ? `(${a.reason})` : ""} ${path.relative(w.root, a.link)}`,
  );
  return { code: run.code, error, actions: seen };
}

describe("keys JavaScript treats specially: each works as the name it is, or is an error at its line", () => {
  const prototypeNames = Object.getOwnPropertyNames(Object.prototype);
  afterEach(() => expect(Object.getOwnPropertyNames(Object.prototype)).toEqual(prototypeNames));

  it.each([
    ["links: { __proto__: vim/vimrc }", "links.yaml:2:10: error: `__proto__` cannot be a key"],
    ['links: { "__proto__": vim/vimrc }', "links.yaml:2:10: error: `__proto__` cannot be a key"],
    ["vars: { __proto__: x }", "links.yaml:2:9: error: `__proto__` cannot be a key"],
    [
      "links:\n  - { link: a, target: vim, when: { env: { __proto__: true } } }",
      "links.yaml:3:44: error: `__proto__` cannot be a key",
    ],
    [
      "defaults: { __proto__: { kind: hardlink } }",
      "links.yaml:2:13: error: `__proto__` cannot be a key",
    ],
    [
      "defaults: { constructor: x }",
      "links.yaml:2:13: error: defaults.constructor: unknown key `constructor`",
    ],
    [
      "defaults: { prototype: x }",
      "links.yaml:2:13: error: defaults.prototype: unknown key `prototype`",
    ],
    [
      "links:\n  - { link: a, target: vim, when: { __proto__: { os: [linux] } } }",
      "links.yaml:3:37: error: `__proto__` cannot be a key",
    ],
    [
      "links:\n  - { link: a, target: vim, when: { constructor: x } }",
      "links.yaml:3:37: error: links[0].when.constructor: unknown key `constructor`",
    ],
    [
      "links:\n  - { link: a, target: vim, __proto__: { kind: hardlink } }",
      "links.yaml:3:29: error: `__proto__` cannot be a key",
    ],
    [
      "links:\n  - { link: a, target: vim, prototype: x }",
      "links.yaml:3:29: error: links[0].prototype: unknown key `prototype`",
    ],
    ["__proto__: { version: 2 }", "links.yaml:2:1: error: `__proto__` cannot be a key"],
    ['links: { "~/${constructor}": vim }', "variable constructor is not set"],
  ])("%s: exit 2, %s", async (yaml, error) => {
    const r = await planOf(`version: 1\n${yaml}\n`);
    expect(r.code).toBe(2);
    expect(r.error).toContain(error);
  });

  it.each([
    ["links: { ./__proto__: vim/vimrc }", ["create dots/__proto__"]],
    ["links:\n  - { link: __proto__, target: vim/vimrc }", ["create dots/__proto__"]],
    [
      "links: { constructor: vim/vimrc, prototype: nvim }",
      ["create dots/constructor", "create dots/prototype"],
    ],
    [
      "vars: { constructor: c, prototype: p }\nlinks: { ~/$constructor$prototype: vim }",
      ["create home/cp"],
    ],
    [
      "links:\n  - { link: ~/a, target: vim, when: { env: { constructor: true } } }",
      ["skip(condition) home/a"],
    ],
    [
      "links:\n  - { link: ~/a, target: vim, when: { env: { constructor: false, toString: false } } }",
      ["create home/a"],
    ],
  ])("%s works as the name it is", async (yaml, actions) => {
    const r = await planOf(`version: 1\n${yaml}\n`);
    expect(r.error).toBe("");
    expect(r.actions).toEqual(actions);
  });
});

describe("complex YAML keys", () => {
  afterEach(() => vi.restoreAllMocks());

  it.each([
    ["a list as a key", "links:\n  ? [a, b]\n  : vim\n", "links.yaml:3:5"],
    ["a map as a key", "links:\n  {a: 1}: vim\n", "links.yaml:3:3"],
    ["a flow map as a key", "links: { {a: 1}: vim }\n", "links.yaml:2:10"],
    [
      "an alias of a list as a key",
      "vars: { A: &k [x] }\nlinks: { *k : vim }\n",
      "links.yaml:3:10",
    ],
    ["a list as a variable's name", "vars: { [A]: x }\n", "links.yaml:2:9"],
    ["an empty key", "links: { ~: vim }\n", "links.yaml:2:10"],
  ])("%s is an error at the key, with no warning printed", async (_name, yaml, place) => {
    const warn = vi.spyOn(process, "emitWarning");
    const w = await makeWorld(`version: 1\n${yaml}`);
    const run = await linkman(["validate"], { cwd: w.dots, home: w.home });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(new RegExp(`^${place}: error: a key must be a plain string`, "m"));
    expect(run.stderr).not.toContain("Warning");
    expect(warn).not.toHaveBeenCalled();
  });
});
