import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { applyPlan } from "../src/engine/apply.js";
import { failing } from "../src/fs/wrappers.js";
import { NodeFileSystem } from "../src/fs/nodeFileSystem.js";
import { finalState, pendingState } from "../src/session/record.js";
import { emptyState, type State } from "../src/state/state.js";
import { writeState } from "../src/state/stateFile.js";
import { linkRecord } from "./helpers/records.js";
import { stateText } from "./helpers/stateText.js";
import { tempDir } from "./helpers/tree.js";
import { makeWorld, type World } from "./helpers/world.js";

const fs = new NodeFileSystem();

/** Writes `state` to a new file and reads back its text. */
async function written(state: State, file = path.join(tempDir(), "state.json")): Promise<string> {
  await writeState(fs, file, state);
  return readFileSync(file, "utf8");
}

describe("writing the state", () => {
  const links = [linkRecord("/home/a"), linkRecord("/home/café ☕", { takenOver: true })];
  const state: State = { version: 2, manifest: "/dots/links.yaml", links, directories: ["/d"] };

  it.each([
    ["an empty state", emptyState("/dots/links.yaml")],
    ["records with characters beyond ASCII", state],
    ["a run's token", { ...state, applying: "0123456789ab" }],
  ])("writes %s as the text JSON.stringify gives for it with compact records", async (_what, s) => {
    expect(await written(s)).toBe(stateText(s));
  });

  it("writes the same text when the records were written just before, in a new array", async () => {
    await written({ ...state, applying: "0123456789ab" });
    const again = { ...state, links: [...links], directories: ["/d", "/e"] };
    expect(await written(again)).toBe(stateText(again));
  });

  it("writes a record's new values when it was replaced since the last write", async () => {
    await written(state);
    const changed = { ...state, links: [links[0]!, linkRecord("/home/café ☕", { backup: "/b" })] };
    expect(await written(changed)).toBe(stateText(changed));
  });
});

/** Plans a world's manifest from an empty state, records it as pending, applies it (through `through` if given). */
async function applyFromScratch(w: World, through = w.fs) {
  const plan = await w.plan();
  const before = emptyState(w.manifest);
  const now = "2024-01-01T00:00:00.000Z";
  const pending = pendingState(before, plan.actions, now, "0123456789ab");
  const applied = await applyPlan(plan, {
    fs: through,
    platform: w.platform,
    roots: await w.roots(),
    token: "0123456789ab",
  });
  return { before, now, pending, applied };
}

describe("the state after applying, from the pending state written before", () => {
  const creates = "version: 1\nlinks:\n  ~/.vimrc: vim/vimrc\n  ~/.config/deep/nvim: nvim\n";

  it("keeps the pending records as they are when every link was made as recorded", async () => {
    const w = await makeWorld(creates);
    const { before, now, pending, applied } = await applyFromScratch(w);
    const after = finalState(before, applied, now, pending);
    expect(after.links).toBe(pending.links);
    expect(after).toEqual(finalState(before, applied, now));
    expect(after.applying).toBeUndefined();
    expect(after.directories).toEqual([
      path.join(w.home, ".config"),
      path.join(w.home, ".config/deep"),
    ]);
  });

  it.each([
    [
      "a create failed",
      creates,
      {},
      (w: World) => failing(w.fs, [{ operation: "symlink", nth: 2, code: "EACCES" }]),
    ],
    [
      "links were replaced, things moved to backups and a hard link made (its identity noted)",
      "version: 1\ndefaults: { onConflict: backup }\nlinks:\n  - { link: ~/.zshrc, target: vim/vimrc }\n  - { link: ~/.bashrc, target: vim/vimrc }\n  - { link: ~/.config/nvim, target: nvim }\n  - { link: ~/bin/tool, target: bin/tool, kind: hardlink }\n",
      {
        ".zshrc": { symlink: "/old/zshrc" },
        ".bashrc": "the user's bashrc\n",
        ".config": { nvim: { "init.vim": "the user's init\n" } },
      },
      (w: World) => w.fs,
    ],
    [
      "links were replaced and things moved to backups",
      "version: 1\ndefaults: { onConflict: backup }\nlinks:\n  ~/.zshrc: vim/vimrc\n  ~/.bashrc: vim/vimrc\n",
      { ".zshrc": { symlink: "/old/zshrc" }, ".bashrc": "the user's bashrc\n" },
      (w: World) => w.fs,
    ],
  ])(
    "records what really happened when %s, as without the pending state",
    async (_what, manifest, home, through) => {
      const w = await makeWorld(manifest, { home });
      const { before, now, pending, applied } = await applyFromScratch(w, through(w));
      expect(finalState(before, applied, now, pending)).toEqual(finalState(before, applied, now));
    },
  );
});

describe("a state write that fails", () => {
  it("leaves the state as it was and no temporary behind when the disk fills partway", async () => {
    const dir = tempDir();
    const file = path.join(dir, "state.json");
    const before = await written(emptyState("/dots/links.yaml"), file);
    // A real file written partway, then ENOSPC: what a full disk does to the temporary.
    const full = Object.create(fs) as NodeFileSystem;
    full.writeNewFile = async (temporary) => {
      await fs.writeNewFile(temporary, '{"version":1,"manif');
      throw Object.assign(new Error("ENOSPC: no space left on device"), { code: "ENOSPC" });
    };
    const state: State = { ...emptyState("/dots/links.yaml"), links: [linkRecord("/home/a")] };
    await expect(writeState(full, file, state)).rejects.toThrow("ENOSPC");
    expect(readFileSync(file, "utf8")).toBe(before);
    expect(readdirSync(dir)).toEqual(["state.json"]);
  });
});
