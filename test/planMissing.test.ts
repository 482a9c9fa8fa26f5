import { describe, expect, it } from "vitest";
import { makeWorld } from "./helpers/world.js";

/** A manifest linking `~/DIR/NAME` to `pkg/NAME` for each name of each directory. */
function manifest(dirs: Record<string, readonly string[]>): string {
  const lines = Object.entries(dirs).flatMap(([dir, names]) =>
    names.map((n) => `  "~/${dir}${dir ? "/" : ""}${n}": pkg/${n}`),
  );
  return `version: 1\nlinks:\n${lines.join("\n")}\n`;
}

const names = (n: number) => Array.from({ length: n }, (_, i) => `f${i}`);

describe("what a plan finds where nothing is", () => {
  it("is one value for every such link, listed, looked at or in a new directory, and nothing can change it", async () => {
    // 40 links in home (listed), 3 in an existing directory (an lstat each), 2 in a new one.
    const w = await makeWorld(manifest({ "": names(40), few: names(3), "new/dir": names(2) }), {
      home: { few: {} },
      dots: { pkg: Object.fromEntries(names(40).map((n) => [n, n])) },
    });
    const plan = await w.plan();
    expect(plan.actions.map((a) => a.op)).toEqual(Array(45).fill("create"));
    const found = plan.actions.map((a) => a.found);
    expect(new Set(found).size).toBe(1);
    expect(found[0]).toEqual({ type: "missing" });
    expect(Object.isFrozen(found[0])).toBe(true);
    expect(() => Object.assign(found[0]!, { type: "file" })).toThrow(TypeError);
  });
});
