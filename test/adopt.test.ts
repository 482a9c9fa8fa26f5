import { existsSync, lstatSync, readFileSync, readlinkSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { failing } from "../src/fs/wrappers.js";
import { adoptCommand } from "../src/cli/commands/adopt.js";
import type { FileSystem } from "../src/fs/fileSystem.js";
import { SYSTEMS } from "./helpers/systems.js";
import { commandOutput, worldsOn, type World } from "./helpers/world.js";

const manifest = "version: 1\nlinks:\n  ~/.vimrc: vim/new-vimrc\n  ~/.config/app: app\n";

/** Runs `linkman adopt` in-process, through `fs`. */
async function adopt(
  w: World,
  args: string[],
  fs: FileSystem = w.fs,
  flags: Record<string, unknown> = {},
) {
  const { out, printed } = commandOutput(w, flags, { fs });
  const code = await adoptCommand(out, args);
  return { code, ...printed };
}

describe.each(SYSTEMS.map((s) => [s.name, s] as const))("on %s", (_name, system) => {
  const makeWorld = worldsOn(system);

  describe("linkman adopt", () => {
    it("moves a real file and a real directory into the repository, then links them", async () => {
      const w = await makeWorld(manifest, {
        home: { ".vimrc": "my vimrc\n", ".config": { app: { "conf.toml": "x = 1\n" } } },
      });
      const r = await w.cli("adopt");
      expect(r.code).toBe(0);
      expect(r.stdout).toContain("> adopted  ~/.vimrc → vim/new-vimrc");
      expect(readFileSync(path.join(w.dots, "vim/new-vimrc"), "utf8")).toBe("my vimrc\n");
      expect(readlinkSync(path.join(w.home, ".vimrc"))).toBe(path.join(w.dots, "vim/new-vimrc"));
      expect(readFileSync(path.join(w.dots, "app/conf.toml"), "utf8")).toBe("x = 1\n");
      expect(readlinkSync(path.join(w.home, ".config/app"))).toBe(path.join(w.dots, "app"));
      expect((await w.cli("status")).code).toBe(0);
    });

    it("never overwrites a target: a named link is refused, others are noted", async () => {
      const w = await makeWorld("version: 1\nlinks:\n  ~/.vimrc: vim/vimrc\n", {
        home: { ".vimrc": "mine\n" },
      });
      const named = await w.cli("adopt", "~/.vimrc");
      expect(named.code).toBe(1);
      expect(named.stdout).toContain(
        "! conflict ~/.vimrc → vim/vimrc: the target already exists, and adopt never overwrites a target",
      );
      const all = await w.cli("adopt");
      expect(all.code).toBe(0);
      expect(all.stdout).toContain("? skip (conflict) ~/.vimrc");
      expect(readFileSync(path.join(w.home, ".vimrc"), "utf8")).toBe("mine\n");
      expect(readFileSync(path.join(w.dots, "vim/vimrc"), "utf8")).toBe("set number\n");
    });

    it("adopts only the links it is given, and refuses a path no entry links", async () => {
      const w = await makeWorld(manifest, {
        home: { ".vimrc": "v", ".config": { app: { a: "a" } } },
      });
      expect((await w.cli("adopt", "~/.vimrc")).code).toBe(0);
      expect(lstatSync(path.join(w.home, ".config/app")).isDirectory()).toBe(true);
      const unknown = await w.cli("adopt", "~/.bashrc");
      expect(unknown.code).toBe(2);
      expect(unknown.stderr).toContain("~/.bashrc is not the link of any entry");
    });

    it("with --dry-run, shows what it would adopt and changes nothing", async () => {
      const w = await makeWorld(manifest, { home: { ".vimrc": "v" } });
      const before = w.snapshot();
      const r = await w.cli("adopt", "--dry-run");
      expect(r.stdout).toContain("> adopt    ~/.vimrc → vim/new-vimrc");
      expect(w.snapshot()).toEqual(before);
    });

    it("refuses to move anything outside the manifest's directory", async () => {
      const w = await makeWorld("version: 1\nlinks:\n  ~/.vimrc: ~/elsewhere/vimrc\n", {
        home: { ".vimrc": "v" },
      });
      const r = await w.cli("adopt");
      expect(r.code).toBe(1);
      expect(r.stdout).toContain("the target is outside the manifest's directory");
      expect(readFileSync(path.join(w.home, ".vimrc"), "utf8")).toBe("v");
    });

    it("with kind: hardlink, leaves the file in place as a hard link to the adopted target", async () => {
      const w = await makeWorld(
        "version: 1\nlinks:\n  - { link: ~/tool, target: bin/new-tool, kind: hardlink }\n",
        { home: { tool: "t" } },
      );
      expect((await w.cli("adopt")).code).toBe(0);
      expect(statSync(path.join(w.home, "tool")).ino).toBe(
        statSync(path.join(w.dots, "bin/new-tool")).ino,
      );
    });

    it("copies a file across devices, checks the copy, then links it", async () => {
      const w = await makeWorld(manifest, { home: { ".vimrc": "across\n" } });
      const fs = failing(w.fs, [
        { operation: "link", path: path.join(w.dots, "vim/new-vimrc"), code: "EXDEV" },
      ]);
      const r = await adopt(w, ["~/.vimrc"], fs);
      expect(r.code).toBe(0);
      expect(readFileSync(path.join(w.dots, "vim/new-vimrc"), "utf8")).toBe("across\n");
      expect(readlinkSync(path.join(w.home, ".vimrc"))).toBe(path.join(w.dots, "vim/new-vimrc"));
    });

    it("refuses to move a directory across devices, leaving it where it was", async () => {
      const w = await makeWorld(manifest, { home: { ".config": { app: { a: "a" } } } });
      const fs = failing(w.fs, [
        { operation: "rename", path: path.join(w.home, ".config/app"), code: "EXDEV" },
      ]);
      const r = await adopt(w, [], fs);
      expect(r.code).toBe(1);
      expect(r.stdout).toContain("cannot be moved across devices");
      expect(readFileSync(path.join(w.home, ".config/app/a"), "utf8")).toBe("a");
      expect(existsSync(path.join(w.dots, "app"))).toBe(false);
    });

    it("leaves the file where it was, and no name at the target, when the link cannot replace it", async () => {
      const w = await makeWorld(manifest, { home: { ".vimrc": "keep\n" } });
      const fs = failing(w.fs, [
        { operation: "rename", path: path.join(w.home, ".vimrc"), code: "EIO" },
      ]);
      const r = await adopt(w, ["~/.vimrc"], fs);
      expect(r.code).toBe(1);
      expect(readFileSync(path.join(w.home, ".vimrc"), "utf8")).toBe("keep\n");
      expect(lstatSync(path.join(w.home, ".vimrc")).isFile()).toBe(true);
      expect(existsSync(path.join(w.dots, "vim/new-vimrc"))).toBe(false);
    });

    it("records adopted links, so unlink removes them and leaves the adopted files in the repository", async () => {
      const w = await makeWorld(manifest, { home: { ".vimrc": "v\n" } });
      await w.cli("adopt");
      expect((await w.cli("unlink")).code).toBe(0);
      expect(existsSync(path.join(w.home, ".vimrc"))).toBe(false);
      expect(readFileSync(path.join(w.dots, "vim/new-vimrc"), "utf8")).toBe("v\n");
    });
  });
});
