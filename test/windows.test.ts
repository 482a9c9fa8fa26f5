import { existsSync, lstatSync, readdirSync, readlinkSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { applyPlan } from "../src/engine/apply.js";
import { planRemovals } from "../src/engine/removals.js";
import { summarize } from "../src/engine/action.js";
import { NodeFileSystem } from "../src/fs/nodeFileSystem.js";
import { failing } from "../src/fs/wrappers.js";
import { makeWorld, type World } from "./helpers/world.js";
import { linkman } from "./helpers/cli.js";
import { MAC_MODEL, onLinux, windows } from "./helpers/systems.js";
import { writeTree } from "./helpers/tree.js";
import type { FileSystem } from "../src/fs/fileSystem.js";
import { windowsModel } from "./helpers/windowsModel.js";

const manifest = "version: 1\nlinks:\n  ~/.config/nvim: nvim\n";

describe("Windows' rules, on the Windows model", () => {
  it("replaces a directory link by moving the old one aside, since rename cannot replace it", async () => {
    const w = await makeWorld(manifest, {
      home: { ".config": { nvim: { symlink: "../../dots/vim" } } },
    });
    const fs = windowsModel(new NodeFileSystem());
    const result = await applyPlan(await w.plan({ fs }), {
      fs,
      platform: "win32",
      roots: await w.roots(),
    });
    expect(result.actions[0]?.result).toBe("done");
    expect(readlinkSync(path.join(w.home, ".config/nvim"))).toBe(path.join(w.dots, "nvim"));
    expect(readdirSync(path.join(w.home, ".config"))).toEqual(["nvim"]);
  });

  it("puts the old directory link back when the new one cannot take its place", async () => {
    const w = await makeWorld(manifest, {
      home: { ".config": { nvim: { symlink: "../../dots/vim" } } },
    });
    const link = path.join(w.home, ".config/nvim");
    // The swap's second rename (the new link into place) fails.
    const fs = failing(windowsModel(new NodeFileSystem()), [
      { operation: "rename", path: link, nth: 3, code: "EIO" },
    ]);
    const result = await applyPlan(await w.plan({ fs }), {
      fs,
      platform: "win32",
      roots: await w.roots(),
    });
    expect(result.actions[0]).toMatchObject({
      result: "failed",
      error: expect.stringContaining("(EIO)"),
    });
    expect(readlinkSync(link)).toBe("../../dots/vim");
    expect(readdirSync(path.join(w.home, ".config"))).toEqual(["nvim"]);
  });

  it("removes a directory link with rmdir, as Windows requires, never recursively", async () => {
    const w = await makeWorld(manifest);
    await w.apply();
    const fs = windowsModel(new NodeFileSystem());
    const record = {
      link: path.join(w.home, ".config/nvim"),
      kind: "symlink" as const,
      target: path.join(w.dots, "nvim"),
      text: path.join(w.dots, "nvim"),
      dev: null,
      ino: null,
      previous: null,
      backup: null,
      createdAt: "now",
    };
    const actions = await planRemovals([record], fs, "none", "win32");
    const result = await applyPlan(
      { version: 1, manifest: w.manifest, actions, summary: summarize(actions) },
      { fs, platform: "win32", roots: await w.roots() },
    );
    expect(result.actions[0]?.result).toBe("done");
    expect(existsSync(path.join(w.home, ".config/nvim"))).toBe(false);
    expect(readdirSync(path.join(w.dots, "nvim"))).toContain("init.lua");
  });
});

describe("Windows' volumes, privilege and letter case, end to end on the Windows model", () => {
  /** The Windows model, with the repository on a volume of its own (D: beside C:). */
  const onD = (w: World, privileged = true) =>
    windowsModel(new NodeFileSystem(), { privileged, volumes: [w.dots] });
  const run = (w: World, fs: FileSystem, ...args: string[]) =>
    linkman(args, {
      cwd: w.dots,
      home: w.home,
      env: { XDG_STATE_HOME: path.join(w.root, "state") },
      platform: "win32",
      fs,
    });

  it("refuses in the plan a hard link to a file on another volume, and writes nothing", async () => {
    const w = await makeWorld(
      "version: 1\nlinks:\n  - { link: ~/tool, target: bin/tool, kind: hardlink }\n",
    );
    const before = w.snapshot();
    const r = await run(w, onD(w), "apply");
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      "the target is on another device, and a hard link must be on the same volume",
    );
    expect(w.snapshot()).toEqual(before);
  });

  it("without the privilege, says why a file on another volume gets neither a symlink nor its fallback", async () => {
    const w = await makeWorld(
      "version: 1\ndefaults: { fallback: auto }\nlinks:\n  ~/.vimrc: vim/vimrc\n  ~/nvim: nvim\n",
    );
    const r = await run(w, onD(w, false), "apply");
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      "symlinks are refused here, and the hard link that fallback: auto makes instead failed too",
    );
    expect(r.stdout).toContain(
      "keep the repository on the link's volume, or turn on Developer Mode",
    );
    expect(r.stdout).toContain(
      "+ created  ~/nvim → nvim (symlink refused: made a junction instead",
    );
    expect(existsSync(path.join(w.home, ".vimrc"))).toBe(false);

    const doctor = await run(w, onD(w, false), "doctor");
    expect(doctor.code).toBe(1);
    expect(doctor.stderr).toContain(
      "hard links from the repository cannot be made in " +
        w.home +
        " (EXDEV) (fallback: auto makes them where symlinks are refused)",
    );
  });

  it("finds a link path whatever its case: one entry per path, into the directory already there", async () => {
    const w = await makeWorld(
      "version: 1\nlinks:\n  ~/.Config/nvim: nvim\n  ~/.VIMRC: vim/vimrc\n  ~/.vimrc: VIM/VIMRC\n",
      { home: { ".config": {}, ".vimrc": { symlink: "../dots/vim/vimrc" } } },
      windows(),
    );
    const r = await w.cli("apply");
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain(
      "Applied: 1 created, 0 replaced, 0 removed, 1 unchanged (1 taken over), 0 failed.",
    );
    expect(readdirSync(w.home)).toEqual([".config", ".vimrc"]);
    expect(readlinkSync(path.join(w.home, ".config/nvim"))).toBe(path.join(w.dots, "nvim"));
  });

  it("keeps one state per manifest, however the manifest's path is spelt", async () => {
    const w = await makeWorld("version: 1\nlinks:\n  ~/.vimrc: vim/vimrc\n", {}, windows());
    const shouted = path.join(w.root, "DOTS", "LINKS.YAML");
    expect((await w.cli("apply", "-c", shouted)).code).toBe(0);
    // (The link stores .../DOTS/vim/vimrc, which Linux under the model cannot follow.)
    expect(lstatSync(path.join(w.home, ".vimrc")).isSymbolicLink()).toBe(true);
    const r = await w.cli("unlink");
    expect(r.stdout).toContain("Applied: 0 created, 0 replaced, 1 removed");
    expect(readdirSync(w.home)).toEqual([]);
  });

  it("refuses in the plan a link name Windows reserves, naming the entry's line", async () => {
    const manifest = "version: 1\nlinks:\n  ~/.vimrc: vim/vimrc\n  ~/aux.conf: vim/vimrc\n";
    const w = await makeWorld(manifest, {}, windows());
    const before = w.snapshot();
    const r = await w.cli("apply");
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      '~/aux.conf → vim/vimrc: cannot make this link: the name "aux.conf" is a device name on Windows',
    );
    expect(w.snapshot()).toEqual(before);
    const explained = await w.cli("explain", "~/aux.conf");
    expect(explained.stdout).toContain("links.yaml:4");
    const linux = await makeWorld(manifest);
    expect((await linux.cli("apply")).code).toBe(0);
  });

  it.runIf(onLinux)("tells entries that differ only in case apart on Linux", async () => {
    const w = await makeWorld("version: 1\nlinks:\n  ~/.VIMRC: vim/vimrc\n  ~/.vimrc: vim/vimrc\n");
    expect((await w.cli("apply")).stdout).toContain("Applied: 2 created");
  });
});

describe("macOS' names, end to end on the macOS model", () => {
  const manifest = "version: 1\nlinks:\n  ~/.config/caf\u00e9: caf\u00e9\n";
  const dots = { "caf\u00e9": { "menu.txt": "x" } };
  // The link as a decomposing tool (or an old HFS+ disk) wrote it: é as e and a combining accent.
  const decomposed = (w: World) => ({
    ".config": { "cafe\u0301": { symlink: `${w.dots}/cafe\u0301` } },
  });

  it("counts a link spelt in another Unicode normalisation as the desired link", async () => {
    const w = await makeWorld(manifest, { dots }, MAC_MODEL);
    await writeTree(w.home, decomposed(w));
    expect((await w.plan()).actions.map((a) => a.rule)).toEqual(["desired-link"]);
  });

  it.runIf(onLinux)(
    "on Linux, where the two spellings are different names, makes its own",
    async () => {
      const w = await makeWorld(manifest, { dots });
      await writeTree(w.home, decomposed(w));
      expect((await w.plan()).actions.map((a) => a.rule)).toEqual(["nothing-there"]);
    },
  );
});
