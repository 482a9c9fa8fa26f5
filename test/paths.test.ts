import path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isNormalAbsolute, joinName, resolvePath } from "../src/paths.js";

// Paths from a few characters, so separators, dots and their runs come up often.
const spelled = fc
  .array(fc.constantFrom("/", "/", ".", "a", "b", "\\"), { maxLength: 12 })
  .map((cs) => cs.join(""));

describe.skipIf(path.sep !== "/")("path arithmetic without node:path's normalising", () => {
  it("takes a path as normal exactly where path.resolve gives it back unchanged", () => {
    for (const p of ["/", "/a", "/a/b", "/a/", "/a//b", "/a/./b", "/a/..", "/.", "a/b", ""])
      expect(isNormalAbsolute(p), p).toBe(path.resolve(p) === p);
    fc.assert(
      fc.property(spelled, (p) => isNormalAbsolute(p) === (path.resolve(p) === p)),
      { numRuns: 3000 },
    );
  });

  it("joins a directory and a name exactly as path.join does, however either is spelled", () => {
    for (const [dir, name] of [
      ["/", "a"],
      ["/a", "b"],
      ["/a/", "b"],
      ["/a", ".."],
      ["/a", "."],
      ["/a", ""],
      ["/a", "b/c"],
      ["a", "b"],
      ["/a/../b", "c"],
    ])
      expect(joinName(dir!, name!), `${dir} + ${name}`).toBe(path.join(dir!, name!));
    fc.assert(
      fc.property(spelled, spelled, (dir, name) => joinName(dir, name) === path.join(dir, name)),
      { numRuns: 3000 },
    );
  });

  it("resolvePath(dir, p) is path.resolve(dir, p)", () => {
    const text = fc
      .array(fc.constantFrom("/", "a", "b", ".", "..", "~", "./", "../", "//"), { maxLength: 6 })
      .map((parts) => parts.join(""));
    fc.assert(
      fc.property(
        fc.oneof(
          text,
          text.map((t) => `/${t}`),
        ),
        text,
        (dir, p) => {
          expect(resolvePath(dir, p)).toBe(path.resolve(dir, p));
        },
      ),
      { numRuns: 5000 },
    );
  });
});
