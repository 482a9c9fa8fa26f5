import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { recording } from "../src/fs/wrappers.js";
import { trustState, withUntrusted } from "../src/session/trust.js";
import type { State } from "../src/state/state.js";
import { linkRecord } from "./helpers/records.js";
import { cliThrough } from "./helpers/hooked.js";
import { stateText } from "./helpers/stateText.js";
import { makeWorld, stateOf as worldState } from "./helpers/world.js";

const roots = [{ path: "/home", real: "/home" }];
const stateOf = (links: string[]): State => ({
  version: 2,
  manifest: "/home/dots/links.yaml",
  links: links.map((l) => linkRecord(l)),
  directories: ["/home/d"],
});

describe("the state an apply saves", () => {
  it("keeps the records array as it is when every record is trusted and in order", () => {
    const state = stateOf(["/home/a", "/home/b", "/home/c"]);
    const split = trustState(state, roots, "linux");
    expect(withUntrusted(split.trusted, split).links).toBe(split.trusted.links);
  });

  it.each([
    ["out of order (a hand-edited file)", ["/home/b", "/home/a", "/home/c"], []],
    ["with an untrusted record", ["/home/a", "/home/c"], ["/elsewhere/b"]],
    ["with two records of one link", ["/home/a", "/home/a"], []],
  ])("sorts the records into a new array when they are %s", (_what, trusted, untrusted) => {
    const state = stateOf([...trusted, ...untrusted]);
    const split = trustState(state, roots, "linux");
    const saved = withUntrusted(split.trusted, split).links;
    expect(saved).not.toBe(split.trusted.links);
    expect(saved.map((r) => r.link)).toEqual([...trusted, ...untrusted].sort());
  });

  it("encodes the records once when the apply went as recorded, and writes the bytes a new encoding gives", async () => {
    const links = Array.from(
      { length: 600 },
      (_, i) => `  ~/f${String(i).padStart(3, "0")}: vim/vimrc\n`,
    );
    const w = await makeWorld(`version: 1\nlinks:\n${links.join("")}`);
    const fs = recording(w.fs);
    expect((await cliThrough(w, fs, "apply")).code).toBe(0);
    const writes = fs.calls
      .filter(
        (c) =>
          c.operation === "writeNewFile" &&
          /\.json\.[0-9]+-[0-9a-f]+\.tmp$/.test(String(c.args[0])),
      )
      .map((c) => c.args[1] as Uint8Array[]);
    expect(writes).toHaveLength(2);
    const [pending, final] = writes as [Uint8Array[], Uint8Array[]];
    // The records' pieces (all but the head and the tail) are the very same bytes both times.
    expect(pending.length).toBeGreaterThan(3);
    expect(final.slice(1, -1)).toEqual(pending.slice(1, -1));
    final.slice(1, -1).forEach((piece, i) => expect(piece).toBe(pending[i + 1]));
    const state = await worldState(w);
    expect(state.links).toHaveLength(600);
    expect(path.basename(state.links[0]!.link)).toBe("f000");
    expect(readFileSync(w.stateFile, "utf8")).toBe(stateText(state));
  });
});
