import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Root } from "../src/engine/roots.js";
import { isInside } from "../src/platform.js";
import { trustState } from "../src/session/trust.js";
import { linkRecord } from "./helpers/records.js";

const linuxPaths = [
  "/home/a",
  "/home/a/",
  "/home/ab",
  "/home/a/b",
  "/home/A/b",
  "/real/a",
  "/real/a/b/c",
  "/",
  "/x",
];

describe("trusting the state's records", () => {
  it.each([
    ["linux", linuxPaths],
    ["darwin", linuxPaths],
  ] as const)(
    "on %s, trusts a record's link exactly where it lies inside a root as written (isInside)",
    (platform, paths) => {
      const rootArb = fc.record({
        path: fc.constantFrom(...paths),
        real: fc.constantFrom(...paths),
      });
      fc.assert(
        fc.property(
          fc.array(rootArb, { minLength: 1, maxLength: 3 }),
          fc.array(fc.constantFrom(...paths)),
          (roots: Root[], links) => {
            const split = trustState(
              {
                version: 2,
                manifest: "/m/l.yaml",
                links: links.map((link) =>
                  linkRecord(link, { target: "/dots/x", text: "/dots/x" }),
                ),
                directories: [],
              },
              roots,
              platform,
            );
            const expected = links.filter((l) => roots.some((r) => isInside(l, r.path, platform)));
            expect(split.trusted.links.map((r) => r.link)).toEqual(expected);
          },
        ),
        { numRuns: 300 },
      );
    },
  );
});
