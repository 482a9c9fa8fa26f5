import { existsSync, lstatSync, mkdirSync, symlinkSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { onWindows } from "./helpers/systems.js";
import { makeWorld, type World } from "./helpers/world.js";

const isLink = (p: string) => lstatSync(p, { throwIfNoEntry: false })?.isSymbolicLink() ?? false;

/** A world with dead links into the repository (~/.gone, ~/a/.gone, ~/a/b/.gone), a dead link elsewhere, a live link, and a file. */
async function cluttered(): Promise<World> {
  const w = await makeWorld("version: 1\n", { home: { a: { b: {} }, notes: "mine" } });
  for (const rel of [".gone", "a/.gone", "a/b/.gone"])
    symlinkSync(path.join(w.dots, "gone"), path.join(w.home, rel));
  symlinkSync(path.join(w.root, "nowhere"), path.join(w.home, ".elsewhere"));
  symlinkSync(path.join(w.dots, "vim/vimrc"), path.join(w.home, ".vimrc"));
  return w;
}

describe.skipIf(onWindows)("prune --dead-links-in DIR (dotbot's clean)", () => {
  it("removes the dead links directly in DIR that lead into the manifest's directory, whoever made them", async () => {
    const w = await cluttered();
    const run = await w.cli("prune", "--dead-links-in", w.home);
    expect(run.code).toBe(0);
    expect(isLink(path.join(w.home, ".gone"))).toBe(false);
    // Never a live link, a link that leads elsewhere, or a file.
    expect(isLink(path.join(w.home, ".vimrc"))).toBe(true);
    expect(isLink(path.join(w.home, ".elsewhere"))).toBe(true);
    expect(existsSync(path.join(w.home, "notes"))).toBe(true);
    // Not in subdirectories without --recursive.
    expect(isLink(path.join(w.home, "a/.gone"))).toBe(true);
    expect(isLink(path.join(w.home, "a/b/.gone"))).toBe(true);
  });

  it("looks in subdirectories with --recursive, never through a directory link", async () => {
    const w = await cluttered();
    mkdirSync(path.join(w.root, "outside"));
    symlinkSync(path.join(w.dots, "gone"), path.join(w.root, "outside/.gone"));
    symlinkSync(path.join(w.root, "outside"), path.join(w.home, "linked"));
    const run = await w.cli("prune", "--dead-links-in", "~", "--recursive");
    expect(run.code).toBe(0);
    for (const rel of [".gone", "a/.gone", "a/b/.gone"]) {
      expect(isLink(path.join(w.home, rel)), rel).toBe(false);
    }
    expect(isLink(path.join(w.root, "outside/.gone"))).toBe(true);
  });

  it("shows the dead links with --dry-run and removes nothing", async () => {
    const w = await cluttered();
    const run = await w.cli("prune", "--dry-run", "--dead-links-in", w.home);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("- remove   ~/.gone → ");
    expect(run.stdout).not.toContain(".elsewhere");
    expect(isLink(path.join(w.home, ".gone"))).toBe(true);
  });

  it("ignores a directory that does not exist, as dotbot does", async () => {
    const w = await cluttered();
    const run = await w.cli("prune", "--dead-links-in", path.join(w.home, "nonexistent"));
    expect(run.code).toBe(0);
    expect(existsSync(path.join(w.home, "nonexistent"))).toBe(false);
  });

  it("refuses a directory outside the home and the manifest's directory unless --allow-outside", async () => {
    const w = await cluttered();
    mkdirSync(path.join(w.root, "outside"));
    symlinkSync(path.join(w.dots, "gone"), path.join(w.root, "outside/.gone"));
    const outside = path.join(w.root, "outside");
    const refused = await w.cli("prune", "--dead-links-in", outside);
    expect(refused.code).toBe(1);
    expect(isLink(path.join(outside, ".gone"))).toBe(true);
    const allowed = await w.cli("prune", "--dead-links-in", outside, "--allow-outside", outside);
    expect(allowed.code).toBe(0);
    expect(isLink(path.join(outside, ".gone"))).toBe(false);
  });
});
