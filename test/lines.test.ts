import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { locator } from "../src/manifest/lines.js";

/** The line (1-based) of an offset counted the slow way, the first line for one before the text. */
const lineOf = (text: string, at: number) => text.slice(0, Math.max(0, at)).split("\n").length;

describe("places in a text", () => {
  it("are the line and column counted from the start, asked in any order", () => {
    const text = fc
      .array(fc.constantFrom("a", "b", " ", "\n", "\r\n"), { maxLength: 60 })
      .map((parts) => parts.join(""));
    const asked = (t: string) =>
      fc.array(fc.integer({ min: -2, max: t.length + 2 }), { maxLength: 40 });
    // Some runs ask each offset in order, as the entries of a manifest are placed one by one.
    const sequence = text.chain((t) =>
      fc.tuple(
        fc.constant(t),
        fc.oneof(
          asked(t),
          asked(t).map((a) => [...a].sort((x, y) => x - y)),
        ),
      ),
    );
    fc.assert(
      fc.property(sequence, ([t, offsets]) => {
        const locate = locator("/f", t);
        for (const at of offsets) {
          const place = locate(at);
          const line = lineOf(t, at);
          expect(place.line, `offset ${at} of ${JSON.stringify(t)}`).toBe(line);
          expect(place.column).toBe(
            at -
              t
                .split("\n")
                .slice(0, line - 1)
                .join("\n").length -
              (line > 1 ? 1 : 0) +
              1,
          );
          expect(place.lineText).toBe((t.split("\n")[line - 1] ?? "").replace(/\r$/, ""));
        }
      }),
      { numRuns: 2000 },
    );
  });
});
