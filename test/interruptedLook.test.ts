import { lstatSync, readlinkSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { writeState } from "../src/state/stateFile.js";
import { linkRecord } from "./helpers/records.js";
import { makeWorld, type World } from "./helpers/world.js";

const token = "0123456789ab";

/**
 * A home as a run killed under `token` left it while replacing the user's ~/.vimrc, a symlink
 * to /old: moved aside under the run's temporary name (Windows' three-step replace), and the
 * state that run wrote first.
 */
async function killedWhileReplacing(): Promise<World> {
  const w = await makeWorld("version: 1\nlinks:\n  ~/.vimrc: vim/vimrc\n", {
    home: { "..vimrc.linkman-0123456789ab-old": { symlink: "/old" } },
  });
  await mkdir(path.dirname(w.stateFile), { recursive: true });
  await writeState(w.fs, w.stateFile, {
    version: 2,
    manifest: w.manifest,
    links: [linkRecord(path.join(w.home, ".vimrc"), { target: path.join(w.dots, "vim/vimrc") })],
    directories: [],
    applying: token,
  });
  return w;
}

describe("looking at a home an interrupted run left, without changing it", () => {
  it("a dry run says the real apply first puts back what the killed run moved aside, and changes nothing", async () => {
    const w = await killedWhileReplacing();
    const dry = await w.cli("apply", "--dry-run");
    expect(dry.stdout + dry.stderr).toContain(
      "an interrupted run left 1 temporary name (~/..vimrc.linkman-0123456789ab-old)",
    );
    expect(dry.stdout + dry.stderr).toContain("the next apply, unlink, prune or adopt");
    expect(dry.stdout).toContain("+ create");
    expect(readlinkSync(path.join(w.home, "..vimrc.linkman-0123456789ab-old"))).toBe("/old");
    expect(lstatSync(path.join(w.home, ".vimrc"), { throwIfNoEntry: false })).toBeUndefined();
    // What the dry run warned of: the real apply first puts the user's link back, so it
    // replaces that link (and records it, for unlink --restore) rather than creating one.
    const real = await w.cli("apply");
    expect(real.code).toBe(0);
    expect(real.stdout).toContain("~ replaced ~/.vimrc → vim/vimrc");
  });

  it("plan, status, a saved plan's dry run and adopt's say it too", async () => {
    const w = await killedWhileReplacing();
    const saved = path.join(w.root, "plan.json");
    await w.cli("plan", "--out", saved);
    for (const args of [
      ["plan"],
      ["status"],
      ["apply", saved, "--dry-run"],
      ["adopt", "--dry-run"],
    ]) {
      const run = await w.cli(...args);
      expect(run.stdout + run.stderr, args.join(" ")).toContain(
        "an interrupted run left 1 temporary name",
      );
    }
  });

  it("says nothing when the interrupted run left no temporary name", async () => {
    const w = await killedWhileReplacing();
    await w.cli("apply");
    const run = await w.cli("apply", "--dry-run");
    expect(run.stdout + run.stderr).not.toContain("interrupted run");
  });
});
