import { describe, expect, it } from "vitest";
import * as z from "zod";
import { lazy } from "../src/lazy.js";

describe("a lazily built value", () => {
  it("is built on first use, once", () => {
    let builds = 0;
    const value = lazy(() => {
      builds++;
      return { answer: 42 };
    });
    expect(builds).toBe(0);
    expect(value.answer).toBe(42);
    expect(value.answer).toBe(42);
    expect(builds).toBe(1);
  });

  it("spreads, lists its keys and answers instanceof as the value would", () => {
    const fields = lazy(() => ({ a: 1, b: 2 }));
    expect({ ...fields }).toEqual({ a: 1, b: 2 });
    expect(Object.keys(fields)).toEqual(["a", "b"]);
    expect(lazy(() => new Date(0)) instanceof Date).toBe(true);
  });

  it("works as a zod schema inside other schemas, and as the root of a JSON Schema", () => {
    const inner = lazy(() => z.object({ name: z.string() }));
    const outer = lazy(() => z.object({ inner, list: z.array(inner).nullable() }));
    expect(outer.safeParse({ inner: { name: "x" }, list: null }).success).toBe(true);
    expect(outer.safeParse({ inner: { name: 1 }, list: null }).success).toBe(false);
    const eager = z.object({ name: z.string() });
    expect(z.toJSONSchema(outer)).toEqual(
      z.toJSONSchema(z.object({ inner: eager, list: z.array(eager).nullable() })),
    );
  });
});
