import { spawnSync } from "node:child_process";
import { existsSync, lstatSync, readdirSync, readFileSync, readlinkSync } from "node:fs";
import { rm, symlink, unlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { applyPlan } from "../src/engine/apply.js";
import { rootsFor } from "../src/engine/roots.js";
import { NodeFileSystem } from "../src/fs/nodeFileSystem.js";
import { plan } from "../src/session/plan.js";
import { isRefusal } from "../src/session/report.js";
import { linkman } from "./helpers/cli.js";
import { tempDir, writeTree, type Tree } from "./helpers/tree.js";

// Moving a home from GNU Stow to linkman, written from Stow's documented behaviour: links
// Stow made are taken over, a folded directory is unfolded, a package is a unit (`stow -D
// PKG` is `linkman unlink PKG`), and a restow's new and deleted files are seen. Where Stow
// is installed, it makes the home first, and the home linkman leaves must hold the same
// links, with the same text, as `stow --no-folding` makes.

const hasStow = spawnSync("sh", ["-c", "command -v stow"]).status === 0;

/** Two Stow packages, as a dotfiles repository holds them. */
const PACKAGES: Tree = {
  vim: { ".vimrc": "set number\n", ".vim": { colors: { "x.vim": "x" } } },
  nvim: { ".config": { nvim: { "init.lua": "-- nvim\n", lua: { "opts.lua": "o" } } } },
};

/** The manifest `linkman import stow . vim nvim` writes for them, in essence. */
const MANIFEST = [
  "version: 1",
  "defaults: { relative: true }",
  "links:",
  "  - { link: ~/, target: vim/** }",
  "  - { link: ~/, target: nvim/** }",
  "",
].join("\n");

/** A home holding `dotfiles` (the Stow directory, with the manifest), and a CLI run there. */
async function stowHome(manifest = MANIFEST, packages: Tree = PACKAGES) {
  const root = tempDir();
  const home = path.join(root, "home");
  const dots = path.join(home, "dotfiles");
  await writeTree(home, { dotfiles: { ...packages, "links.yaml": manifest } });
  const env = { XDG_STATE_HOME: path.join(root, "state") };
  return {
    root,
    home,
    dots,
    cli: (...args: string[]) => linkman(args, { cwd: dots, home, env }),
    state: () => {
      const dir = path.join(root, "state", "linkman");
      const files = existsSync(dir) ? readdirSync(dir) : [];
      return files.length
        ? (JSON.parse(readFileSync(path.join(dir, files[0] ?? ""), "utf8")) as {
            links: { link: string; takenOver?: boolean }[];
          })
        : undefined;
    },
  };
}

/** Every symlink below `home` (not entering the repository), as path → link text. */
function linksIn(home: string, rel = ""): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(path.join(home, rel)).sort()) {
    const r = rel ? `${rel}/${name}` : name;
    const stat = lstatSync(path.join(home, r));
    if (stat.isSymbolicLink()) out[r] = readlinkSync(path.join(home, r));
    else if (stat.isDirectory() && r !== "dotfiles") Object.assign(out, linksIn(home, r));
  }
  return out;
}

/** `stow [--no-folding] PKG…` run in the Stow directory, as a user would. */
function stow(home: string, args: string[]) {
  const run = spawnSync("stow", args, {
    cwd: path.join(home, "dotfiles"),
    env: { ...process.env, HOME: home },
    encoding: "utf8",
  });
  expect(run.status, run.stderr).toBe(0);
}

/** The links Stow makes for PACKAGES without folding (relative, as Stow writes them). */
const STOWED = {
  ".config/nvim/init.lua": "../../dotfiles/nvim/.config/nvim/init.lua",
  ".config/nvim/lua/opts.lua": "../../../dotfiles/nvim/.config/nvim/lua/opts.lua",
  ".vim/colors/x.vim": "../../dotfiles/vim/.vim/colors/x.vim",
  ".vimrc": "dotfiles/vim/.vimrc",
};

/** Makes by hand the links Stow makes without folding. */
async function stowByHand(home: string) {
  for (const [link, text] of Object.entries(STOWED)) {
    await writeTree(path.join(home, path.dirname(link)), {});
    await symlink(text, path.join(home, link));
  }
}

describe("taking over a home Stow made", () => {
  it("records links already as declared as its own, changing nothing on the disk", async () => {
    const h = await stowHome();
    await stowByHand(h.home);
    const planned = await h.cli("plan");
    expect(planned.code).toBe(0);
    expect(planned.stdout).toContain("= take over ~/.vimrc → ");
    expect(planned.stdout).toContain("(4 to take over)");
    const applied = await h.cli("apply");
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stdout).toContain("= taken over ~/.vimrc");
    expect(applied.stdout).toContain(
      "0 created, 0 replaced, 0 removed, 4 unchanged (4 taken over)",
    );
    expect(linksIn(h.home)).toEqual(STOWED);
    expect(h.state()?.links.map((r) => [path.relative(h.home, r.link), r.takenOver])).toEqual(
      Object.keys(STOWED).map((l) => [l, true]),
    );
  });

  it("says so in the JSON plan: each link's rule and the summary", async () => {
    const h = await stowHome();
    await stowByHand(h.home);
    const json = JSON.parse((await h.cli("plan", "--json")).stdout) as {
      actions: { op: string; rule: string }[];
      summary: { skip: number; takeOver: number };
    };
    expect(json.actions.map((a) => `${a.op} ${a.rule}`)).toEqual(Array(4).fill("skip take-over"));
    expect(json.summary).toMatchObject({ skip: 4, takeOver: 4 });
  });

  it("is a pure no-op the second time: nothing to take over, the state file untouched", async () => {
    const h = await stowHome();
    await stowByHand(h.home);
    await h.cli("apply");
    const file = path.join(
      h.root,
      "state",
      "linkman",
      readdirSync(path.join(h.root, "state", "linkman"))[0] ?? "",
    );
    const before = readFileSync(file, "utf8");
    const again = await h.cli("apply");
    expect(again.code).toBe(0);
    expect(again.stdout).not.toContain("take");
    expect(readFileSync(file, "utf8")).toBe(before);
  });

  it("records nothing on a dry run", async () => {
    const h = await stowHome();
    await stowByHand(h.home);
    const dry = await h.cli("apply", "--dry-run");
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain("(4 to take over)");
    expect(h.state()).toBeUndefined();
    expect((await h.cli("plan")).stdout).toContain("(4 to take over)");
  });

  it("tells in status which links it took over, and unlink then removes them", async () => {
    const h = await stowHome();
    await stowByHand(h.home);
    const before = await h.cli("status", "-v");
    expect(before.stdout).toContain(
      "ok       ~/.vimrc → vim/.vimrc (not made by linkman; apply takes it over)",
    );
    await h.cli("apply");
    const after = await h.cli("status", "-v");
    expect(after.code).toBe(0);
    expect(after.stdout).toContain("ok       ~/.vimrc → vim/.vimrc (taken over)");
    const unlinked = await h.cli("unlink");
    expect(unlinked.code, unlinked.stderr).toBe(0);
    expect(linksIn(h.home)).toEqual({});
    expect(readFileSync(path.join(h.dots, "vim/.vimrc"), "utf8")).toBe("set number\n");
  });

  it("never takes over a link that leads elsewhere: it is replaced, as any foreign link", async () => {
    const h = await stowHome();
    await symlink("/somewhere/else", path.join(h.home, ".vimrc"));
    const planned = await h.cli("plan");
    expect(planned.stdout).toContain("~ replace  ~/.vimrc");
    expect(planned.stdout).not.toContain("take over");
  });

  it.skipIf(!hasStow)(
    "takes over what stow --no-folding made, leaving the home link for link",
    async () => {
      const h = await stowHome();
      stow(h.home, ["--no-folding", "vim", "nvim"]);
      const stowed = linksIn(h.home);
      expect((await h.cli("apply")).code).toBe(0);
      expect(linksIn(h.home)).toEqual(stowed);
      expect(h.state()?.links).toHaveLength(Object.keys(stowed).length);
      expect((await h.cli("status")).code).toBe(0);
    },
  );
});

describe("unfolding a home Stow folded", () => {
  it("plans one unfold for the directory link, then a create for each file below it", async () => {
    const h = await stowHome();
    await writeTree(path.join(h.home, ".config"), {});
    await symlink("../dotfiles/nvim/.config/nvim", path.join(h.home, ".config/nvim"));
    const planned = await h.cli("plan", "nvim");
    expect(planned.code, planned.stderr).toBe(0);
    const lines = planned.stdout.split("\n");
    expect(lines[0]).toMatch(
      /^~ unfold +~\/\.config\/nvim → nvim\/\.config\/nvim \(was → \.\.\/dotfiles/,
    );
    expect(lines.filter((l) => l.startsWith("+ create"))).toHaveLength(2);
    expect(planned.stdout).toContain("Plan: 1 to unfold, 2 to create");
    expect(planned.stdout).not.toContain("the target itself");
  });

  it("replaces the directory link by a directory holding the links, and converges", async () => {
    const h = await stowHome();
    await writeTree(path.join(h.home, ".config"), {});
    await symlink("../dotfiles/nvim/.config/nvim", path.join(h.home, ".config/nvim"));
    const applied = await h.cli("apply");
    expect(applied.code, applied.stderr + applied.stdout).toBe(0);
    expect(applied.stdout).toContain("~ unfolded ~/.config/nvim");
    expect(lstatSync(path.join(h.home, ".config/nvim")).isDirectory()).toBe(true);
    expect(linksIn(h.home)).toEqual(STOWED);
    expect(readdirSync(path.join(h.home, ".config"))).toEqual(["nvim"]);
    const again = await h.cli("apply", "--json");
    expect(JSON.parse(again.stdout).actions.every((a: { op: string }) => a.op === "skip")).toBe(
      true,
    );
  });

  it("leaves a directory link that changed since the plan, and loses nothing", async () => {
    const h = await stowHome();
    await writeTree(path.join(h.home, ".config"), {});
    const folded = path.join(h.home, ".config/nvim");
    await symlink("../dotfiles/nvim/.config/nvim", folded);
    const ctx = {
      fs: new NodeFileSystem(),
      platform: process.platform,
      arch: process.arch,
      hostname: "test-host",
      env: { XDG_STATE_HOME: path.join(h.root, "state") },
      homedir: h.home,
      cwd: h.dots,
    };
    const made = await plan(ctx);
    if (!made.ok || isRefusal(made.value)) throw new Error("no plan");
    await unlink(folded);
    await symlink(path.join(h.dots, "nvim/.config/nvim"), folded); // another text, same place
    const roots = await rootsFor(ctx.fs, { homedir: h.home, manifest: made.value.manifest });
    const applied = await applyPlan(made.value, { fs: ctx.fs, platform: ctx.platform, roots });
    expect(applied.actions[0]).toMatchObject({ op: "unfold", result: "conflict" });
    expect(readlinkSync(folded)).toBe(path.join(h.dots, "nvim/.config/nvim"));
    expect(readFileSync(path.join(h.dots, "nvim/.config/nvim/init.lua"), "utf8")).toBe("-- nvim\n");
  });

  it.skipIf(!hasStow)("unfolds what stow folds into the home stow --no-folding makes", async () => {
    const folding = await stowHome();
    stow(folding.home, ["vim", "nvim"]);
    expect(lstatSync(path.join(folding.home, ".config")).isSymbolicLink()).toBe(true);
    const applied = await folding.cli("apply");
    expect(applied.code, applied.stderr + applied.stdout).toBe(0);
    const flat = await stowHome();
    stow(flat.home, ["--no-folding", "vim", "nvim"]);
    expect(linksIn(folding.home)).toEqual(linksIn(flat.home));
    expect(linksIn(folding.home)).toEqual(STOWED);
  });
});

describe("packages as units", () => {
  it("links only the package given (linkman apply vim is stow vim)", async () => {
    const h = await stowHome();
    const applied = await h.cli("apply", "vim");
    expect(applied.code, applied.stderr).toBe(0);
    expect(Object.keys(linksIn(h.home))).toEqual([".vim/colors/x.vim", ".vimrc"]);
  });

  it("takes a link path too: only links at or below it", async () => {
    const h = await stowHome();
    const planned = await h.cli("plan", path.join(h.home, ".config"));
    expect(planned.stdout).toContain("Plan: 2 to create");
    expect(planned.stdout).not.toContain(".vimrc");
  });

  it("removes only the package given (linkman unlink vim is stow -D vim)", async () => {
    const h = await stowHome();
    await h.cli("apply");
    const unlinked = await h.cli("unlink", "vim");
    expect(unlinked.code, unlinked.stderr).toBe(0);
    expect(Object.keys(linksIn(h.home))).toEqual([
      ".config/nvim/init.lua",
      ".config/nvim/lua/opts.lua",
    ]);
    expect(existsSync(path.join(h.home, ".vim"))).toBe(false);
  });

  it("shows the status of one package", async () => {
    const h = await stowHome();
    await h.cli("apply", "vim");
    expect((await h.cli("status", "vim")).code).toBe(0);
    expect((await h.cli("status")).code).toBe(1);
  });

  it("refuses a PATH that matches nothing, with exit 2 and nothing changed", async () => {
    const h = await stowHome();
    for (const command of ["apply", "plan", "status", "unlink"]) {
      const r = await h.cli(command, "vmi");
      expect(r.code, command).toBe(2);
      expect(r.stderr).toContain(`${path.join(h.dots, "vmi")} matches no link of this manifest`);
    }
    expect(linksIn(h.home)).toEqual({});
  });

  it("still applies a saved plan, told from a PATH by its .json name", async () => {
    const h = await stowHome();
    expect((await h.cli("plan", "vim", "--out", "vim.json")).code).toBe(0);
    const applied = await h.cli("apply", "vim.json");
    expect(applied.code, applied.stderr + applied.stdout).toBe(0);
    expect(Object.keys(linksIn(h.home))).toEqual([".vim/colors/x.vim", ".vimrc"]);
    const both = await h.cli("apply", "vim.json", "nvim");
    expect(both.code).toBe(2);
    expect(both.stderr).toContain("either one saved plan");
  });
});

describe("restow: new files linked, deleted files stale", () => {
  it("links a file added to a package on the next apply", async () => {
    const h = await stowHome();
    await h.cli("apply");
    await writeFile(path.join(h.dots, "vim/.gvimrc"), "g");
    expect((await h.cli("apply", "vim")).stdout).toContain("+ created  ~/.gvimrc");
    expect(readlinkSync(path.join(h.home, ".gvimrc"))).toBe("dotfiles/vim/.gvimrc");
  });

  it("shows a link whose file was deleted from the package as stale in plan and status, until prune", async () => {
    const h = await stowHome();
    await h.cli("apply");
    await rm(path.join(h.dots, "vim/.vim/colors/x.vim"));
    const planned = await h.cli("plan");
    expect(planned.code).toBe(0);
    expect(planned.stdout).toContain("? stale    ~/.vim/colors/x.vim");
    expect(planned.stdout).toContain("`linkman prune` (or `apply --prune`) removes it");
    const status = await h.cli("status");
    expect(status.code).toBe(1);
    expect(status.stdout).toMatch(/stale +~\/\.vim\/colors\/x\.vim/);
    expect(status.stdout).toContain("1 stale");
    // apply alone leaves it (and stays a no-op); apply --prune on the package removes it.
    expect((await h.cli("apply")).code).toBe(0);
    expect(lstatSync(path.join(h.home, ".vim/colors/x.vim")).isSymbolicLink()).toBe(true);
    const restowed = await h.cli("apply", "--prune", "vim");
    expect(restowed.code, restowed.stderr).toBe(0);
    expect(existsSync(path.join(h.home, ".vim"))).toBe(false);
    expect((await h.cli("status")).code).toBe(0);
  });

  it("never calls a link stale whose entry is only skipped by when", async () => {
    const h = await stowHome(
      [
        "version: 1",
        "defaults: { relative: true }",
        "links:",
        "  - { link: ~/, target: vim/** }",
        "  - { link: ~/, target: nvim/**, when: { profile: [editor] } }",
        "",
      ].join("\n"),
    );
    expect((await h.cli("apply", "--profile", "editor")).code).toBe(0);
    const status = await h.cli("status");
    expect(status.code).toBe(0);
    expect(status.stdout).not.toContain("stale");
    expect((await h.cli("plan")).stdout).not.toContain("stale");
  });
});
