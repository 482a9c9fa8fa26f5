/*
 * The adversarial review's reproductions (issue 13), one `describe` per finding, each a
 * promise of SPEC.md's safety rules stated as a test. Findings 7, 8, 9 and the parts of 4,
 * 10, 11 and 12 that live in one module are tested beside that module (hostile.test.ts,
 * glob.test.ts, lock.test.ts, stateFile.test.ts, keys.test.ts, doctor.test.ts).
 */
import { execFileSync } from "node:child_process";
import {
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  renameSync,
  statSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { interleaved } from "../src/fs/wrappers.js";
import { apply } from "../src/session/apply.js";
import { unlink } from "../src/session/remove.js";
import { statePathFor } from "../src/state/stateFile.js";
import type { LinkRecord, State } from "../src/state/state.js";
import { onWindows } from "./helpers/systems.js";
import { makeWorld, type World } from "./helpers/world.js";

/** Writes a state file for the world's manifest by hand, as a hostile repository or a careless user could. */
function writeState(w: World, records: Partial<LinkRecord>[], extra: Partial<State> = {}) {
  // Written as version 1 (every field present), which linkman still reads.
  const state: Omit<State, "version"> = {
    manifest: realpathSync(w.manifest),
    links: records.map((r) => ({
      link: "",
      kind: "symlink",
      target: path.join(w.dots, "vim/vimrc"),
      text: null,
      dev: null,
      ino: null,
      previous: null,
      backup: null,
      createdAt: "2026-01-01T00:00:00.000Z",
      ...r,
    })),
    directories: [],
    ...extra,
  };
  mkdirSync(path.dirname(w.stateFile), { recursive: true });
  writeFileSync(w.stateFile, JSON.stringify({ version: 1, ...state }));
}

/** git checkout gives a file a new inode: a new file renamed over the old name. */
function checkoutNewInode(file: string, content: string) {
  writeFileSync(`${file}.new`, content);
  renameSync(`${file}.new`, file);
}

const readState = (w: World) => JSON.parse(readFileSync(w.stateFile, "utf8")) as State;

describe.skipIf(onWindows)("1. the last name of a file is never removed", () => {
  const manifest = "version: 1\nlinks:\n  - { link: ~/tool, target: bin/tool, kind: hardlink }\n";

  it("unlink keeps a hard link whose target got a new inode from git (it is the only copy of the user's edits)", async () => {
    const w = await makeWorld(manifest);
    expect((await w.cli("apply")).code).toBe(0);
    writeFileSync(path.join(w.home, "tool"), "my local edits\n"); // the same inode: both names change
    checkoutNewInode(path.join(w.dots, "bin/tool"), "upstream\n");
    const run = await w.cli("unlink");
    expect(readFileSync(path.join(w.home, "tool"), "utf8")).toBe("my local edits\n");
    expect(run.stdout).not.toContain("- removed");
  });

  it("unlink keeps a hard link whose target git removed", async () => {
    const w = await makeWorld(manifest);
    expect((await w.cli("apply")).code).toBe(0);
    unlinkSync(path.join(w.dots, "bin/tool"));
    await w.cli("unlink");
    expect(readFileSync(path.join(w.home, "tool"), "utf8")).toContain("echo tool");
  });

  it("prune keeps a hard link whose target got a new inode, when its entry is gone", async () => {
    const w = await makeWorld(manifest);
    expect((await w.cli("apply")).code).toBe(0);
    checkoutNewInode(path.join(w.dots, "bin/tool"), "upstream\n");
    writeFileSync(w.manifest, "version: 1\nlinks: []\n");
    await w.cli("prune");
    expect(readFileSync(path.join(w.home, "tool"), "utf8")).toContain("echo tool");
  });

  it("still removes a hard link while its target is another name of the same file", async () => {
    const w = await makeWorld(manifest);
    expect((await w.cli("apply")).code).toBe(0);
    expect((await w.cli("unlink")).code).toBe(0);
    expect(existsSync(path.join(w.home, "tool"))).toBe(false);
    expect(readFileSync(path.join(w.dots, "bin/tool"), "utf8")).toContain("echo tool");
  });
});

describe.skipIf(onWindows)(
  "2. prune never deletes the repository's files after a kind change",
  () => {
    it("hard-link records that now lead through a directory link to the repository itself are left alone", async () => {
      const w = await makeWorld(
        "version: 1\nlinks:\n  - { link: ~/.config/nvim, target: nvim/**, kind: hardlink }\n",
      );
      expect((await w.cli("apply")).code).toBe(0);
      writeFileSync(
        w.manifest,
        "version: 1\nlinks:\n  - { link: ~/.config/nvim, target: nvim, onConflict: backup }\n",
      );
      expect((await w.cli("apply")).code).toBe(0);
      expect(readlinkSync(path.join(w.home, ".config/nvim"))).toBe(path.join(w.dots, "nvim"));
      await w.cli("prune");
      expect(readFileSync(path.join(w.dots, "nvim/init.lua"), "utf8")).toBe("-- nvim\n");
      expect(readFileSync(path.join(w.dots, "nvim/lua/opts.lua"), "utf8")).toBe("x");
    });
  },
);

describe.skipIf(onWindows)("3. a saved plan is re-decided, never carried out as written", () => {
  async function savedPlan(w: World) {
    const file = path.join(w.root, "plan.json");
    expect((await w.cli("plan", "--out", file)).code).toBeLessThan(2);
    return { file, plan: JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown> };
  }

  it("refuses a plan edited to remove the user's file", async () => {
    const w = await makeWorld("version: 1\nlinks:\n  ~/.vimrc: vim/vimrc\n", {
      home: { ".vimrc": "mine\n" },
    });
    const { file, plan } = await savedPlan(w);
    const [action] = plan.actions as Record<string, unknown>[];
    Object.assign(action as object, { op: "remove", rule: "ours", restore: null, reason: null });
    writeFileSync(file, JSON.stringify(plan));
    const run = await w.cli("apply", file);
    expect(run.code).toBe(1);
    expect(readFileSync(path.join(w.home, ".vimrc"), "utf8")).toBe("mine\n");
  });

  it("refuses a plan edited to name another manifest (which would widen the roots to /)", async () => {
    const w = await makeWorld("version: 1\nlinks:\n  ~/.vimrc: vim/vimrc\n", {
      root: { outside: { "x.yaml": "version: 1\nlinks: {}\n", file: "precious\n" } },
    });
    const { file, plan } = await savedPlan(w);
    plan.manifest = path.join(w.root, "outside/x.yaml");
    writeFileSync(file, JSON.stringify(plan));
    const run = await w.cli("apply", file);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("the plan was made for");
    expect(existsSync(path.join(w.home, ".vimrc"))).toBe(false);
  });

  it("refuses a plan edited to replace a file without a backup", async () => {
    const w = await makeWorld("version: 1\nlinks:\n  ~/.vimrc: vim/vimrc\n", {
      home: { ".vimrc": "mine\n" },
    });
    const file = path.join(w.root, "plan.json");
    expect((await w.cli("plan", "--force", "--out", file)).code).toBe(0);
    const plan = JSON.parse(readFileSync(file, "utf8")) as { actions: { backup: unknown }[] };
    (plan.actions[0] as { backup: unknown }).backup = null;
    writeFileSync(file, JSON.stringify(plan));
    expect((await w.cli("apply", file)).code).toBe(1);
    expect(readFileSync(path.join(w.home, ".vimrc"), "utf8")).toBe("mine\n");
  });

  it("a dry run of a saved plan shows what applying it does: a link to take over, as the state tells", async () => {
    const w = await makeWorld("version: 1\nlinks:\n  ~/.vimrc: vim/vimrc\n  ~/.b: vim/vimrc\n");
    symlinkSync(path.join(w.dots, "vim/vimrc"), path.join(w.home, ".vimrc"));
    const { file } = await savedPlan(w);
    const dry = await w.cli("apply", file, "--dry-run");
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain("= take over ~/.vimrc");
    expect(existsSync(path.join(w.home, ".b"))).toBe(false);
    const real = await w.cli("apply", file);
    expect(real.stdout).toContain("= taken over ~/.vimrc");
  });

  it("applies a plan nobody edited, once its decisions still hold", async () => {
    const w = await makeWorld("version: 1\nlinks:\n  ~/.vimrc: vim/vimrc\n");
    const { file } = await savedPlan(w);
    expect((await w.cli("apply", file)).code).toBe(0);
    expect(readlinkSync(path.join(w.home, ".vimrc"))).toBe(path.join(w.dots, "vim/vimrc"));
  });
});

describe.skipIf(onWindows)("4. the state file is untrusted input", () => {
  it("a hard-link record naming another file's device and inode does not make unlink delete it", async () => {
    const w = await makeWorld("version: 1\nlinks: {}\n", { home: { precious: "secret\n" } });
    const precious = path.join(w.home, "precious");
    const { dev, ino } = statSync(precious, { bigint: true });
    writeState(w, [{ link: precious, kind: "hardlink", dev: String(dev), ino: String(ino) }]);
    await w.cli("unlink");
    expect(readFileSync(precious, "utf8")).toBe("secret\n");
  });

  it("a record's backup outside home is never moved into home by unlink --restore", async () => {
    const w = await makeWorld("version: 1\nlinks: {}\n", {
      root: { outside: { secret: "elsewhere\n" } },
      home: { x: { symlink: "/somewhere" } },
    });
    const secret = path.join(w.root, "outside/secret");
    writeState(w, [{ link: path.join(w.home, "x"), text: "/somewhere", backup: secret }]);
    const run = await w.cli("unlink", "--restore");
    expect(readFileSync(secret, "utf8")).toBe("elsewhere\n");
    expect(lstatSync(path.join(w.home, "x")).isSymbolicLink()).toBe(true);
    expect(run.stderr).toContain("is not a backup name beside the link");
  });

  it("directories recorded outside home are never removed by the tidy step", async () => {
    const w = await makeWorld("version: 1\nlinks: {}\n", { root: { outside: { empty: {} } } });
    writeState(w, [], { directories: [path.join(w.root, "outside/empty")] });
    await w.cli("unlink");
    expect(existsSync(path.join(w.root, "outside/empty"))).toBe(true);
  });

  it("a state planted through a manifest-made link to the state directory cannot make the sweep delete a file", async () => {
    // A hostile repository links ~/.local/state/linkman (XDG_STATE_HOME unset) to one of its
    // own directories holding a crafted state for the user's other manifest.
    const w = await makeWorld("version: 1\nlinks:\n  ~/.vimrc: vim/vimrc\n", {
      home: { id_ed25519: "private key\n" },
      root: {
        evil: {
          "links.yaml":
            "version: 1\nlinks:\n  - { link: ~/.local/state/linkman, target: crafted, onConflict: backup }\n",
        },
      },
    });
    const evil = path.join(w.root, "evil");
    mkdirSync(path.join(evil, "crafted"));
    const userState = statePathFor(realpathSync(w.manifest), {
      env: {},
      homedir: w.home,
      cwd: w.dots,
      platform: w.platform,
    });
    writeFileSync(
      path.join(evil, "crafted", path.basename(userState)),
      JSON.stringify({
        version: 1,
        manifest: realpathSync(w.manifest),
        links: [],
        directories: [],
        applying: "x/../../../../id_ed25519",
      }),
    );
    const { linkman } = await import("./helpers/cli.js");
    const env = { XDG_STATE_HOME: undefined };
    // linkman never links over its own state directory...
    const hostile = await linkman(["apply"], { cwd: evil, home: w.home, env });
    expect(hostile.code).toBe(1);
    expect(hostile.stdout).toContain("linkman's own state");
    // ...and were it linked by other means, the crafted token is not acted on.
    const stateDir = path.join(w.home, ".local/state/linkman");
    if (existsSync(stateDir)) renameSync(stateDir, `${stateDir}.was`);
    mkdirSync(path.dirname(stateDir), { recursive: true });
    symlinkSync(path.join(evil, "crafted"), stateDir);
    await linkman(["apply"], { cwd: w.dots, home: w.home, env });
    expect(readFileSync(path.join(w.home, "id_ed25519"), "utf8")).toBe("private key\n");
  });
});

describe.skipIf(onWindows)(
  "5. the roots are checked right before every write, never cached",
  () => {
    it("a directory swapped for a symlink out of home after the first link in it gets nothing more", async () => {
      const w = await makeWorld(
        "version: 1\nlinks:\n  ~/d/a: vim/vimrc\n  ~/d/b: vim/vimrc\n  ~/d/c: vim/vimrc\n",
        { home: { d: {} }, root: { outside: {} } },
      );
      let swapped = false;
      const fs = interleaved(w.fs, (operation) => {
        // Right after the first link in ~/d was made, before anything else is looked at.
        if (operation === "realpath" && existsSync(path.join(w.home, "d/a")) && !swapped) {
          swapped = true; // another process, right after the first link was made
          renameSync(path.join(w.home, "d"), path.join(w.home, "d-was"));
          symlinkSync(path.join(w.root, "outside"), path.join(w.home, "d"));
        }
      });
      const result = await apply(w.context(fs));
      expect(result.ok && result.value.actions.map((a) => a.result)).toEqual([
        "done",
        "conflict",
        "conflict",
      ]);
      expect(readdirSync(path.join(w.root, "outside"))).toEqual([]);
    });
  },
);

describe.skipIf(onWindows)("6. a replace looks right before it renames", () => {
  it("a file an editor saves at a link path while apply works on earlier entries is kept, as a conflict", async () => {
    const w = await makeWorld("version: 1\nlinks:\n  ~/a: vim/vimrc\n  ~/b: vim/vimrc\n", {
      home: { b: { symlink: "/elsewhere" } },
    });
    let saved = false;
    const fs = interleaved(w.fs, (operation, args) => {
      if (operation === "symlink" && args[1] === path.join(w.home, "a") && !saved) {
        saved = true; // the editor replaces the old link ~/b with a real file
        unlinkSync(path.join(w.home, "b"));
        writeFileSync(path.join(w.home, "b"), "written by the editor\n");
      }
    });
    const result = await apply(w.context(fs));
    expect(result.ok && result.value.actions.map((a) => a.result)).toEqual(["done", "conflict"]);
    expect(readFileSync(path.join(w.home, "b"), "utf8")).toBe("written by the editor\n");
  });

  it("a file saved at a link path between the backup and the swap is not replaced unseen", async () => {
    const w = await makeWorld(
      "version: 1\nlinks:\n  - { link: ~/b, target: vim/vimrc, onConflict: backup }\n",
      {
        home: { b: "the first version\n" },
      },
    );
    const b = path.join(w.home, "b");
    let saved = false;
    const fs = interleaved(w.fs, (operation, args) => {
      if (operation === "lstat" && args[0] === b && existsSync(`${b}.linkman-backup`) && !saved) {
        // Right after the backup name was given, the editor saves by renaming a new file over it.
        saved = true;
        checkoutNewInode(b, "the second version\n");
      }
    });
    const result = await apply(w.context(fs));
    expect(result.ok && result.value.actions[0]?.result).toBe("conflict");
    expect(readFileSync(b, "utf8")).toBe("the second version\n");
    expect(readFileSync(`${b}.linkman-backup`, "utf8")).toBe("the first version\n");
  });
});

describe.skipIf(onWindows)("10. one state per manifest, however its path is spelt", () => {
  it("a manifest reached through a symlinked directory shares its state and lock", async () => {
    const w = await makeWorld("version: 1\nlinks:\n  ~/.vimrc: vim/vimrc\n");
    symlinkSync(w.dots, path.join(w.root, "dots-link"));
    const { linkman } = await import("./helpers/cli.js");
    const env = { XDG_STATE_HOME: path.join(w.root, "state") };
    const other = path.join(w.root, "dots-link/links.yaml");
    expect((await linkman(["apply", "-c", other], { cwd: w.root, home: w.home, env })).code).toBe(
      0,
    );
    expect((await w.cli("unlink")).code).toBe(0);
    expect(existsSync(path.join(w.home, ".vimrc"))).toBe(false);
  });
});

describe.skipIf(onWindows)("11. runs converge", () => {
  it("a hard link to a target that is a symlink names the file it leads to, and the second run is all skip", async () => {
    const w = await makeWorld(
      "version: 1\nlinks:\n  - { link: ~/tool, target: bin/linked, kind: hardlink }\n",
      { dots: { vendor: { tool: "#!/bin/sh\n" }, bin: { linked: { symlink: "../vendor/tool" } } } },
    );
    expect((await w.cli("apply")).code).toBe(0);
    expect(statSync(path.join(w.home, "tool")).ino).toBe(
      statSync(path.join(w.dots, "vendor/tool")).ino,
    );
    expect(lstatSync(path.join(w.home, "tool")).isFile()).toBe(true);
    const again = await w.plan();
    expect(again.actions.map((a) => a.op)).toEqual(["skip"]);
    await w.cli("apply");
    expect(readdirSync(w.home)).toEqual(["tool"]);
  });

  it("a hard-link record a crash left without its identity gets it back, and unlink --restore restores it", async () => {
    const w = await makeWorld(
      "version: 1\nlinks:\n  - { link: ~/tool, target: bin/tool, kind: hardlink, onConflict: backup }\n",
      { home: { tool: "the user's tool\n" } },
    );
    expect((await w.cli("apply")).code).toBe(0);
    const state = readState(w);
    writeState(
      w,
      state.links.map((r) => ({ ...r, dev: null, ino: null })),
    );
    expect((await w.cli("apply")).code).toBe(0);
    // Read raw: a record leaves out a null field (format 2), so the identity must be there.
    expect(readState(w).links[0]?.dev).toMatch(/^[0-9]+$/);
    writeState(
      w,
      state.links.map((r) => ({ ...r, dev: null, ino: null })),
    );
    expect((await w.cli("unlink", "--restore")).code).toBe(0);
    expect(readFileSync(path.join(w.home, "tool"), "utf8")).toBe("the user's tool\n");
  });
});

describe.skipIf(onWindows)("12. the smaller ones", () => {
  it("a recorded link that cannot be looked at does not stop unlink removing the others", async () => {
    const w = await makeWorld("version: 1\nlinks:\n  ~/a: vim/vimrc\n  ~/b: vim/vimrc\n");
    expect((await w.cli("apply")).code).toBe(0);
    const { failing } = await import("../src/fs/wrappers.js");
    const fs = failing(w.fs, [
      { operation: "readlink", path: path.join(w.home, "a"), code: "EACCES" },
      { operation: "lstat", path: path.join(w.home, "a"), code: "EACCES" },
      { operation: "lstatIfExists", path: path.join(w.home, "a"), code: "EACCES" },
    ]);
    const result = await unlink(w.context(fs));
    expect(result.ok && result.value.failed).toBe(1);
    expect(existsSync(path.join(w.home, "b"))).toBe(false);
    expect(lstatSync(path.join(w.home, "a")).isSymbolicLink()).toBe(true);
  });

  it("prune puts a backup back rather than stranding it", async () => {
    const w = await makeWorld(
      "version: 1\nlinks:\n  - { link: ~/.bashrc, target: vim/vimrc, onConflict: backup }\n",
      { home: { ".bashrc": "the user's bashrc\n" } },
    );
    expect((await w.cli("apply")).code).toBe(0);
    writeFileSync(w.manifest, "version: 1\nlinks: []\n");
    expect((await w.cli("prune")).code).toBe(0);
    expect(readFileSync(path.join(w.home, ".bashrc"), "utf8")).toBe("the user's bashrc\n");
    expect(readdirSync(w.home)).toEqual([".bashrc"]);
  });

  it("plan --out never overwrites a file", async () => {
    const w = await makeWorld("version: 1\nlinks:\n  ~/.vimrc: vim/vimrc\n", {
      root: { "notes.txt": "keep me\n" },
    });
    const run = await w.cli("plan", "--out", path.join(w.root, "notes.txt"));
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("never overwrites");
    expect(readFileSync(path.join(w.root, "notes.txt"), "utf8")).toBe("keep me\n");
  });

  it("a filesystem error while looking is reported with its path, never as an internal error", async () => {
    const w = await makeWorld("version: 1\nlinks:\n  ~/a: vim/vimrc\n");
    const { failing } = await import("../src/fs/wrappers.js");
    const { linkman } = await import("./helpers/cli.js");
    const fs = failing(w.fs, [{ operation: "realpath", code: "EIO" }]);
    const env = { XDG_STATE_HOME: path.join(w.root, "state") };
    const run = await linkman(["apply"], { cwd: w.dots, home: w.home, env, fs });
    expect(run.stderr).not.toContain("internal error");
    expect(run.stdout + run.stderr).toContain("EIO");
  });

  it("apply FILE refuses a FIFO or /dev/zero at once, exit 2, reading nothing without end", async () => {
    const w = await makeWorld("version: 1\nlinks:\n  ~/.vimrc: vim/vimrc\n");
    const fifo = path.join(w.root, "plan.fifo");
    execFileSync("mkfifo", [fifo]);
    for (const file of [fifo, "/dev/zero"]) {
      const started = Date.now();
      const run = await w.cli("apply", file);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain("not a regular file");
      expect(Date.now() - started).toBeLessThan(2000);
    }
    expect(existsSync(path.join(w.home, ".vimrc"))).toBe(false);
  });

  it("flushes the state to the disk: the file before its rename, the directory after", async () => {
    const w = await makeWorld("version: 1\nlinks:\n  ~/.vimrc: vim/vimrc\n");
    const { recording } = await import("../src/fs/wrappers.js");
    const fs = recording(w.fs);
    expect((await apply(w.context(fs))).ok).toBe(true);
    const calls = fs.calls.map((c) => `${c.operation} ${String(c.args.at(-1))}`);
    const renamed = calls.findLastIndex((c) => c === `rename ${w.stateFile}`);
    expect(renamed).toBeGreaterThan(0);
    expect(calls[renamed + 1]).toBe(`syncDirectory ${path.dirname(w.stateFile)}`);
  });

  it("a refused apply still says what to do about each conflict", async () => {
    const w = await makeWorld("version: 1\nlinks:\n  ~/.vimrc: vim/vimrc\n", {
      home: { ".vimrc": "mine\n" },
    });
    const run = await w.cli("apply");
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/hint: links\.yaml asks linkman.*apply --force/);
  });
});
