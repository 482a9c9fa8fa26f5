import fc from "fast-check";
import picomatch from "picomatch";
import { describe, expect, it } from "vitest";
import { inRoots, type Root } from "../src/engine/roots.js";
import { isInside } from "../src/platform.js";
import { parseGlob } from "../src/resolve/glob.js";

const paths = ["/", "/home/a", "/home/a/", "/home/ab", "/home/a/b", "/home/A/b", "/real/a/b"];
const windowsPaths = [
  "C:\\",
  "C:\\Users\\a",
  "c:\\users\\A\\b",
  "C:/Users/a/b",
  "D:\\a",
  "\\\\?\\C:\\Users\\a\\x",
];

describe("shortcuts taken once per link give the answers of the long way", () => {
  it("a target is a glob exactly when picomatch's scan says so", () => {
    const characters = fc.constantFrom(..."ab/.\\*?[]{}(),!+@-~ ".split(""));
    fc.assert(
      fc.property(fc.array(characters, { maxLength: 12 }), (chars) => {
        const target = `/d/${chars.join("")}`;
        const trimmed = target.replace(/[/\\]+$/, "");
        expect(parseGlob(target) !== undefined).toBe(picomatch.scan(trimmed).isGlob);
      }),
      { numRuns: 2000 },
    );
  });

  it.each([
    ["linux", paths],
    ["darwin", paths],
    ["win32", windowsPaths],
  ] as const)(
    "on %s, a link is in the roots exactly where it lies inside a root as written and inside a root's real path",
    (platform, candidates) => {
      const root = fc.record({
        path: fc.constantFrom(...candidates),
        real: fc.constantFrom(...candidates),
      });
      fc.assert(
        fc.property(
          fc.array(root, { minLength: 1, maxLength: 3 }),
          fc.constantFrom(...candidates),
          fc.constantFrom(...candidates),
          (roots: Root[], written, real) => {
            const expected =
              roots.some((r) => isInside(written, r.path, platform)) &&
              roots.some((r) => isInside(real, r.real, platform));
            // Asked twice: the second answer comes from the keys made for these roots.
            expect(inRoots(written, real, roots, platform)).toBe(expected);
            expect(inRoots(written, real, roots, platform)).toBe(expected);
          },
        ),
        { numRuns: 500 },
      );
    },
  );
});
