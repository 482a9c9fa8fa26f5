import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { NodeFileSystem } from "../src/fs/nodeFileSystem.js";
import type { State } from "../src/state/state.js";
import { writeState } from "../src/state/stateFile.js";
import { linkRecord } from "./helpers/records.js";
import { stateText } from "./helpers/stateText.js";
import { tempDir } from "./helpers/tree.js";

const fs = new NodeFileSystem();
// Names JSON escapes or encodes in more than one byte: a quote, a backslash, a newline, a lone
// surrogate (escaped as \ud800), U+2028, a tab, and characters beyond ASCII.
const odd = ['q"uote', "back\\slash", "new\nline", "lone\ud800", "sep\u2028", "t\tab", "café ☕"];

/** A state of `n` records whose strings cycle through the odd names. */
function stateOf(n: number): State {
  const links = Array.from({ length: n }, (_, i) =>
    linkRecord(`/home/${String(i).padStart(6, "0")}${odd[i % odd.length]}`, {
      previous: i % 3 === 0 ? odd[(i + 1) % odd.length]! : null,
      ...(i % 5 === 0 ? { takenOver: true } : {}),
    }),
  );
  return { version: 2, manifest: '/dots/"links".yaml', links, directories: ["/d\n"] };
}

async function written(state: State): Promise<string> {
  const file = path.join(tempDir(), "state.json");
  await writeState(fs, file, state);
  return readFileSync(file, "utf8");
}

describe("the state's text, written in pieces of records", () => {
  it.each([0, 1, 255, 256, 257, 511, 512, 513, 10_000])(
    "is the text JSON.stringify gives for %i compact records with odd strings",
    async (n) => {
      const state = stateOf(n);
      expect(await written(state)).toBe(stateText(state));
    },
  );

  it("is the text JSON.stringify gives for compact records when a record at a piece's edge is replaced after a write", async () => {
    const state = stateOf(600);
    await written(state);
    const links = [...state.links];
    links[256] = linkRecord("/home/edge\u2028", { backup: "/b\ud800" });
    const changed = { ...state, links, applying: "0123456789ab" };
    expect(await written(changed)).toBe(stateText(changed));
  });
});
