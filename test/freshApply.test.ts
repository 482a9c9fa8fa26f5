import { lstatSync, readFileSync, readdirSync, renameSync, symlinkSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { NodeFileSystem } from "../src/fs/nodeFileSystem.js";
import { emptyState, withRecords, type State } from "../src/state/state.js";
import { writeState } from "../src/state/stateFile.js";
import { cliThrough, hooked } from "./helpers/hooked.js";
import { linkRecord } from "./helpers/records.js";
import { stateText } from "./helpers/stateText.js";
import { tempDir } from "./helpers/tree.js";
import { makeWorld } from "./helpers/world.js";

const fs = new NodeFileSystem();

/** Writes `state` to a new file and reads back its text. */
async function written(state: State): Promise<string> {
  const file = path.join(tempDir(), "state.json");
  await writeState(fs, file, state);
  return readFileSync(file, "utf8");
}

/** A state of `n` records, some with characters beyond ASCII, one taken over. */
function stateOf(n: number, extra: Partial<State> = {}): State {
  const links = Array.from({ length: n }, (_, i) =>
    linkRecord(`/home/f${String(i).padStart(5, "0")}${i % 7 === 0 ? "-café ☕" : ""}`, {
      ...(i % 11 === 0 ? { takenOver: true } : {}),
    }),
  );
  return { version: 2, manifest: "/dots/links.yaml", links, directories: ["/home/d"], ...extra };
}

describe("the state of many links, written in pieces", () => {
  it.each([255, 256, 257, 512, 513, 1000])(
    "writes %i records as the text JSON.stringify gives for them compact",
    async (n) => {
      const state = stateOf(n, { applying: "0123456789ab" });
      expect(await written(state)).toBe(stateText(state));
    },
  );

  it("writes the same text again when the final state has the same records in a new array", async () => {
    await written(stateOf(700, { applying: "0123456789ab" }));
    const final = { ...stateOf(700), directories: ["/home/d", "/home/e"] };
    expect(await written(final)).toBe(stateText(final));
  });
});

describe("a create applied", () => {
  const done = { result: "done", error: null, movedTo: null, fallback: null, identity: null };

  it("is reported as the planned action with the result done, field for field and in order", async () => {
    const w = await makeWorld(
      "version: 1\nlinks:\n  - { link: ~/.vimrc, target: vim/vimrc }\n  - { link: ~/.config/deep/nvim, target: nvim, relative: true }\n  - { link: ~/later, target: not/yet, ifMissing: link }\n",
    );
    const plan = await w.plan();
    const applied = await w.apply();
    expect(plan.actions.map((a) => a.op)).toEqual(["create", "create", "create"]);
    expect(applied.actions.map((a) => JSON.stringify(a))).toEqual(
      plan.actions.map((a) => JSON.stringify({ ...a, ...done })),
    );
  });

  it("notes a hard link's identity, as before", async () => {
    const w = await makeWorld(
      "version: 1\nlinks:\n  - { link: ~/tool, target: bin/tool, kind: hardlink }\n",
    );
    const [applied] = (await w.apply()).actions;
    expect(applied?.result).toBe("done");
    expect(applied?.identity).toEqual({
      dev: String(lstatSync(path.join(w.home, "tool")).dev),
      ino: String(lstatSync(path.join(w.home, "tool")).ino),
    });
  });
});

describe("records added to a state", () => {
  const links = (s: State) => s.links.map((r) => `${r.link} ${r.createdAt}`);

  it("are sorted by link in a state that had none", () => {
    const added = withRecords(emptyState("/m"), [linkRecord("/h/b"), linkRecord("/h/a")]);
    expect(links(added)).toEqual([
      "/h/a 2024-01-01T00:00:00.000Z",
      "/h/b 2024-01-01T00:00:00.000Z",
    ]);
  });

  it("replace the records of the same links and keep the others, sorted by link", () => {
    const before = withRecords(emptyState("/m"), [linkRecord("/h/a"), linkRecord("/h/c")]);
    const after = withRecords(before, [
      linkRecord("/h/c", { createdAt: "later" }),
      linkRecord("/h/b", { createdAt: "later" }),
    ]);
    expect(links(after)).toEqual(["/h/a 2024-01-01T00:00:00.000Z", "/h/b later", "/h/c later"]);
  });
});

describe("the roots check before each link, never cached", () => {
  // Caching a directory's real path once the run made and checked it would save a realpath
  // per link (13% of a 10,000-link fresh apply), and let this swap lead the second link out.
  it("a directory the apply made, swapped for a symlink out of the roots after its first link, leads the second nowhere outside", async () => {
    const w = await makeWorld("version: 1\nlinks:\n  ~/a/one: vim/vimrc\n  ~/a/two: vim/vimrc\n", {
      root: { outside: {} },
    });
    const outside = path.join(w.root, "outside");
    const made = path.join(w.home, "a");
    let state: "waiting" | "linked" | "swapped" = "waiting";
    const fs = hooked(new NodeFileSystem(), (operation, args) => {
      if (state === "linked") {
        // Another process, right after the first link was made in ~/a, before the next call.
        state = "swapped";
        renameSync(made, `${made}-moved`);
        symlinkSync(outside, made);
      }
      if (state === "waiting" && operation === "symlink" && args[1] === path.join(made, "one"))
        state = "linked";
    });
    const run = await cliThrough(w, fs, "apply");
    expect(state).toBe("swapped");
    expect(readdirSync(outside)).toEqual([]);
    expect(run.code).toBe(1);
  });
});
