import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { writeJson } from "../src/cli/jsonPieces.js";

/** The pieces `writeJson` writes for a value, with lists written in pieces from `longList` on. */
function pieces(value: unknown, longList?: number): string[] {
  const written: string[] = [];
  writeJson(value, (t) => written.push(t), longList);
  return written;
}

const stringified = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

/** Keys and strings JSON must escape or that look like its own text. */
const text = fc.oneof(
  fc.string(),
  fc.constantFrom("", "actions", '\n  "actions": []', "a\nb", '"', "\\", "→", "\u2028", "toJSON"),
);
const json = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small" },
    text,
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.constant(undefined),
    fc.array(tie("value"), { maxLength: 4 }),
    fc.dictionary(text, tie("value"), { maxKeys: 4 }),
  ),
})).value;
const item = fc.oneof(
  fc.dictionary(text, json, { maxKeys: 5 }),
  fc.array(json, { maxLength: 3 }),
  fc.constant({}),
  fc.constant([]),
);
const report = fc
  .tuple(
    fc.dictionary(text, json, { maxKeys: 4 }),
    text,
    fc.array(item, { maxLength: 12 }),
    fc.dictionary(text, json, { maxKeys: 4 }),
  )
  .map(([before, key, list, after]) => ({ ...before, [key]: list, ...after }));

describe("JSON on stdout", () => {
  it("is JSON.stringify's text with two spaces and a newline, byte for byte, however it is cut", () => {
    fc.assert(
      fc.property(report, fc.integer({ min: 1, max: 6 }), (value, longList) => {
        expect(pieces(value, longList).join("")).toBe(stringified(value));
      }),
      { numRuns: 3000 },
    );
  });

  it("writes a report of 10,000 actions in pieces of 64 actions, the same text", () => {
    const actions = Array.from({ length: 10_000 }, (_, i) => ({
      op: "create",
      link: `/home/u/.f${i}`,
      found: { type: "missing" },
      place: null,
    }));
    const value = { version: 1, actions, summary: { create: 10_000 }, notices: [] };
    const written = pieces(value);
    expect(written.join("")).toBe(stringified(value));
    expect(written).toHaveLength(2 + Math.ceil(10_000 / 64));
    expect(Math.max(...written.map((w) => w.length))).toBeLessThan(64 * 200);
  });

  it("is written whole when it has no long list, or one JSON would write otherwise", () => {
    const long = Array.from({ length: 300 }, (_, i) => ({ i }));
    for (const value of [
      { version: 1, actions: long.slice(0, 10) },
      [1, 2, 3],
      "text",
      null,
      { actions: [...long, undefined] },
      { actions: [...long, 1] },
      { actions: [...long, { toJSON: (key: string) => key }] },
      { toJSON: () => "mine", actions: long },
      Object.assign(Object.create({ inherited: 1 }) as object, { actions: long }),
    ]) {
      const written = pieces(value);
      expect(written).toEqual([stringified(value)]);
    }
  });
});
