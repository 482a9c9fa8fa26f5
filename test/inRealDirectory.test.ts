import path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { inRealDirectory, joinName } from "../src/paths.js";

// Paths from a few characters, so separators, dots and their runs come up often.
const spelled = fc
  .array(fc.constantFrom("/", "/", ".", "a", "b", "\\"), { maxLength: 12 })
  .map((cs) => cs.join(""));

describe("where a name in a directory really is", () => {
  it("is the name joined to the directory's real path, however the path is spelled", () => {
    for (const [p, real] of [
      ["/a/b", "/a"],
      ["/a/b", "/r"],
      ["/b", "/"],
      ["/a/b/", "/a/b"],
      ["/a/./b", "/a/."],
      ["/a/../b", "/a/.."],
      ["a/b", "a"],
    ])
      expect(inRealDirectory(p!, path.dirname(p!), real!), `${p} in ${real}`).toBe(
        joinName(real!, path.basename(p!)),
      );
    fc.assert(
      fc.property(spelled, fc.boolean(), spelled, (p, same, other) => {
        const dir = path.dirname(p);
        const real = same ? dir : other;
        return inRealDirectory(p, dir, real) === joinName(real, path.basename(p));
      }),
      { numRuns: 5000 },
    );
  });
});
