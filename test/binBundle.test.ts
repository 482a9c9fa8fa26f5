import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const bundle = path.resolve(import.meta.dirname, "../dist/bundle/main.js");

/** How many times the bundle requires a builtin module by this name. */
function requiresOf(code: string, name: string): number {
  return code.split(`require("node:${name}")`).length - 1;
}

describe("the bin's bundle", () => {
  // Each require is a module that imports it; as CommonJS, each made its own copy of the
  // builtin (a getter per export) when the bin started: 46 copies of node:path.
  it.each(["path", "os"])("requires node:%s once for all of linkman's modules", (name) => {
    const code = readFileSync(bundle, "utf8");
    // The rest are the dependencies' own requires (commander's).
    expect(requiresOf(code, name)).toBeLessThanOrEqual(name === "path" ? 2 : 1);
  });
});
