import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { plan } from "../src/session/plan.js";
import { apply } from "../src/session/apply.js";
import { makeWorld } from "./helpers/world.js";

const manifest = 'version: 1\nlinks:\n  "~/.vimrc": vim/vimrc\n  "~/.bashrc": vim/vimrc\n';

/** What the place of the plan's first action is as plain data, as JSON shows it. */
async function planned() {
  const w = await makeWorld(manifest);
  const result = await plan(w.context());
  if (!result.ok) throw new Error(result.errors.map((e) => e.message).join("\n"));
  if (!("actions" in result.value)) throw new Error(result.value.message);
  const first = result.value.actions[0]!;
  if (!("place" in first) || !first.place) throw new Error("the first action has no place");
  const place = first.place;
  const shown = JSON.parse(JSON.stringify(place)) as Record<string, unknown>;
  return { w, result: result.value, place, shown };
}

describe("the library's plan gives each entry's place as plain data", () => {
  it("names the file, line and column of the entry", async () => {
    const { w, shown } = await planned();
    expect(shown).toMatchObject({ file: `${w.dots}/links.yaml`, line: 3, column: 3 });
  });

  it("a place spread into a new object keeps every field, in order", async () => {
    const { place, shown } = await planned();
    const spread = { ...place };
    expect(Object.keys(spread)).toEqual(["file", "line", "column", "lineText", "length", "path"]);
    expect(spread).toEqual(shown);
  });

  it("a place copied by structuredClone keeps every field", async () => {
    const { place, shown } = await planned();
    expect(structuredClone(place)).toEqual(shown);
  });

  it("a place printed by console.log or util.inspect shows its fields' values", async () => {
    const { place, shown } = await planned();
    expect(inspect(place)).toBe(inspect(shown));
  });

  it("the whole plan copied by structuredClone is the plan JSON shows", async () => {
    const { result } = await planned();
    expect(structuredClone(result)).toEqual(JSON.parse(JSON.stringify(result)));
  });

  it("an applied plan's actions keep their places through structuredClone", async () => {
    const w = await makeWorld(manifest);
    const result = await apply(w.context());
    if (!result.ok) throw new Error(result.errors.map((e) => e.message).join("\n"));
    expect(structuredClone(result.value)).toEqual(JSON.parse(JSON.stringify(result.value)));
  });
});
