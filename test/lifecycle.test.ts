import { existsSync, readFileSync, readlinkSync } from "node:fs";
import { rm, symlink, unlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { onWindows, SYSTEMS } from "./helpers/systems.js";
import { recording } from "../src/fs/wrappers.js";
import { statePathFor, writeState } from "../src/state/stateFile.js";
import { stateOf, worldsOn, type World } from "./helpers/world.js";

const run = (w: World, ...args: string[]) =>
  import("./helpers/cli.js").then(({ linkman }) =>
    linkman(args, {
      cwd: w.dots,
      home: w.home,
      env: { XDG_STATE_HOME: path.join(w.root, "state"), LINKMAN_LOCK_WAIT_MS: "300" },
      platform: w.platform,
      fs: w.fs,
    }),
  );

describe.each(SYSTEMS.map((s) => [s.name, s] as const))("on %s", (_name, system) => {
  const makeWorld = worldsOn(system);

  describe("the state file", () => {
    it.skipIf(onWindows)(
      "lives under XDG_STATE_HOME, else ~/.local/state, one file per manifest; --state wins (POSIX paths)",
      () => {
        const a = statePathFor("/r/dots/links.yaml", {
          env: { XDG_STATE_HOME: "/xdg" },
          homedir: "/h",
          cwd: "/",
          platform: "linux",
        });
        const b = statePathFor("/r/other/links.yaml", {
          env: { XDG_STATE_HOME: "/xdg" },
          homedir: "/h",
          cwd: "/",
          platform: "linux",
        });
        expect(a).toMatch(/^\/xdg\/linkman\/r-dots-links\.yaml-[0-9a-f]{12}\.json$/);
        expect(b).not.toBe(a);
        expect(
          statePathFor("/r/dots/links.yaml", {
            env: {},
            homedir: "/h",
            cwd: "/",
            platform: "linux",
          }),
        ).toMatch(/^\/h\/\.local\/state\/linkman\//);
        expect(
          statePathFor("/r/dots/links.yaml", {
            env: { XDG_STATE_HOME: "relative" },
            homedir: "/h",
            cwd: "/",
            platform: "linux",
          }),
        ).toMatch(/^\/h\/\.local\/state\//);
        expect(
          statePathFor("/r/dots/links.yaml", {
            state: "s.json",
            env: {},
            homedir: "/h",
            cwd: "/c",
            platform: "linux",
          }),
        ).toBe("/c/s.json");
      },
    );

    it("records every link apply made: link, kind, target, text, what it replaced, the backup, when", async () => {
      const w = await makeWorld("version: 1\nlinks:\n  ~/a: vim/vimrc\n  ~/b: vim/vimrc\n", {
        home: { b: { symlink: "/old" } },
      });
      expect((await run(w, "apply")).code).toBe(0);
      const state = await stateOf(w);
      expect(state.manifest).toBe(w.manifest);
      expect(state.links).toEqual([
        expect.objectContaining({
          link: path.join(w.home, "a"),
          kind: "symlink",
          target: path.join(w.dots, "vim/vimrc"),
          text: path.join(w.dots, "vim/vimrc"),
          previous: null,
          backup: null,
        }),
        expect.objectContaining({ link: path.join(w.home, "b"), previous: "/old" }),
      ]);
      expect(state.links[0]?.createdAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    });

    it("records a backup and keeps it when linkman later relinks the same path", async () => {
      const w = await makeWorld("version: 1\nlinks:\n  ~/a: vim/vimrc\n", { home: { a: "mine" } });
      await run(w, "apply", "--force");
      await writeFile(w.manifest, "version: 1\nlinks:\n  ~/a: bin/tool\n");
      await run(w, "apply");
      expect((await stateOf(w)).links[0]).toMatchObject({
        target: path.join(w.dots, "bin/tool"),
        backup: path.join(w.home, "a.linkman-backup"),
      });
    });

    it("is written atomically: a new file, renamed over the old", async () => {
      const w = await makeWorld("version: 1\nlinks:\n  ~/a: vim/vimrc\n");
      const fs = recording(w.fs);
      const file = path.join(w.root, "state.json");
      await writeState(fs, file, { version: 2, manifest: w.manifest, links: [], directories: [] });
      const writes = fs.calls.filter(
        (c) => c.operation === "writeNewFile" || c.operation === "rename",
      );
      expect(writes.map((c) => c.operation)).toEqual(["writeNewFile", "rename"]);
      expect(writes[1]?.args).toEqual([writes[0]?.args[0], file]);
    });

    it("refuses to change anything when the state is corrupt, and says how to go on", async () => {
      const w = await makeWorld("version: 1\nlinks:\n  ~/a: vim/vimrc\n");
      await run(w, "apply");
      const file = w.stateFile;
      await writeFile(file, "{ not json");
      const before = w.snapshot();
      for (const command of ["apply", "unlink", "prune"]) {
        const r = await run(w, command);
        expect(r.code, command).toBe(1);
        expect(r.stderr).toContain(`the state file ${file} is not valid JSON`);
        expect(r.stderr).toContain("To start afresh, move it aside");
      }
      expect(w.snapshot()).toEqual(before);
      const status = await run(w, "status");
      expect(status.code).toBe(0);
      expect(status.stderr).toContain("cannot tell which links linkman made");
    });

    it("is only a hint of what is on disk: a recorded link replaced since is found as what is there now", async () => {
      const w = await makeWorld(
        "version: 1\nlinks:\n  ~/a: vim/vimrc\n  ~/b: vim/vimrc\n  ~/c: nvim\n",
      );
      expect((await run(w, "apply")).code).toBe(0);
      await unlink(path.join(w.home, "a"));
      await writeFile(path.join(w.home, "a"), "mine\n");
      await unlink(path.join(w.home, "b"));
      const r = await run(w, "apply", "-v");
      expect(r.code).toBe(1);
      expect(r.stdout).toContain("! conflict ~/a → vim/vimrc: a file is in the way");
      expect(r.stdout).toContain("+ create   ~/b → vim/vimrc");
      expect(r.stdout).toContain("= ok       ~/c → nvim");
      const again = await run(w, "apply", "--skip-conflicts");
      expect(again.stdout).toContain("+ created  ~/b → vim/vimrc");
      expect(readFileSync(path.join(w.home, "a"), "utf8")).toBe("mine\n");
    });

    it("tells in status which links linkman made, and which it took over", async () => {
      const w = await makeWorld("version: 1\nlinks:\n  ~/a: vim/vimrc\n  ~/b: vim/vimrc\n", {
        home: { b: { symlink: "../dots/vim/vimrc" } },
      });
      await run(w, "apply");
      const status = await run(w, "status", "--verbose");
      expect(status.stdout).toContain("ok       ~/a → vim/vimrc\n");
      expect(status.stdout).toContain("ok       ~/b → vim/vimrc (taken over)");
    });
  });

  describe("linkman unlink", () => {
    it("removes the links linkman made and the directories it made for them, and forgets them", async () => {
      const w = await makeWorld("version: 1\nlinks:\n  ~/.config/deep/a: vim/vimrc\n  ~/b: nvim\n");
      await run(w, "apply");
      const r = await run(w, "unlink");
      expect(r.code).toBe(0);
      expect(r.stdout).toContain("- removed  ~/.config/deep/a → vim/vimrc");
      expect(Object.keys(w.snapshot()).filter((p) => p.startsWith("home/"))).toEqual([]);
      expect(await stateOf(w)).toMatchObject({ links: [], directories: [] });
    });

    it("leaves a link the user changed since, and a link linkman did not make", async () => {
      const w = await makeWorld("version: 1\nlinks:\n  ~/a: vim/vimrc\n  ~/b: vim/vimrc\n");
      await symlink(path.join(w.dots, "vim/vimrc"), path.join(w.home, "c")); // made by hand, not declared
      await run(w, "apply");
      await unlink(path.join(w.home, "b"));
      await symlink("/the/users/own", path.join(w.home, "b"));
      const r = await run(w, "unlink");
      expect(r.code).toBe(0);
      expect(r.stdout).toContain("- removed  ~/a → vim/vimrc");
      expect(readlinkSync(path.join(w.home, "b"))).toBe("/the/users/own");
      expect(readlinkSync(path.join(w.home, "c"))).toBe(path.join(w.dots, "vim/vimrc"));
    });

    it("leaves a directory it made once the user has put something in it", async () => {
      const w = await makeWorld("version: 1\nlinks:\n  ~/d/a: vim/vimrc\n");
      await run(w, "apply");
      await writeFile(path.join(w.home, "d/notes"), "mine");
      await run(w, "unlink");
      expect(readFileSync(path.join(w.home, "d/notes"), "utf8")).toBe("mine");
      expect((await stateOf(w)).directories).toEqual([]);
    });

    it("with --restore, puts back the backup and the previous link", async () => {
      const w = await makeWorld("version: 1\nlinks:\n  ~/file: vim/vimrc\n  ~/link: vim/vimrc\n", {
        home: { file: "the user's\n", link: { symlink: "/previous/target" } },
      });
      await run(w, "apply", "--force");
      const r = await run(w, "unlink", "--restore");
      expect(r.code).toBe(0);
      expect(readFileSync(path.join(w.home, "file"), "utf8")).toBe("the user's\n");
      expect(readlinkSync(path.join(w.home, "link"))).toBe("/previous/target");
      expect(existsSync(path.join(w.home, "file.linkman-backup"))).toBe(false);
    });

    it("with --dry-run, prints the removals and changes nothing", async () => {
      const w = await makeWorld("version: 1\nlinks:\n  ~/a: vim/vimrc\n");
      await run(w, "apply");
      const before = w.snapshot();
      const r = await run(w, "unlink", "--dry-run");
      expect(r.stdout).toContain("- remove   ~/a → vim/vimrc");
      expect(r.stdout).toContain(
        "Plan: 0 to create, 0 to replace, 1 to remove, 0 unchanged, 0 conflicts.",
      );
      expect(w.snapshot()).toEqual(before);
    });

    it("works when the manifest no longer parses", async () => {
      const w = await makeWorld("version: 1\nlinks:\n  ~/a: vim/vimrc\n");
      await run(w, "apply");
      await writeFile(w.manifest, "version: [broken\n");
      expect((await run(w, "unlink")).code).toBe(0);
      expect(existsSync(path.join(w.home, "a"))).toBe(false);
    });

    it("forgets a link that is already gone", async () => {
      const w = await makeWorld("version: 1\nlinks:\n  ~/a: vim/vimrc\n");
      await run(w, "apply");
      await rm(path.join(w.home, "a"));
      expect((await run(w, "unlink")).code).toBe(0);
      expect((await stateOf(w)).links).toEqual([]);
    });
  });

  describe("pruning", () => {
    const before = "version: 1\nlinks:\n  ~/a: vim/vimrc\n  ~/b: vim/vimrc\n  ~/c: vim/vimrc\n";
    const after = "version: 1\nlinks:\n  ~/a: vim/vimrc\n";

    it("prune removes the links the manifest no longer lists, only those still as linkman left them", async () => {
      const w = await makeWorld(before);
      await run(w, "apply");
      await writeFile(w.manifest, after);
      await unlink(path.join(w.home, "c"));
      await symlink("/user", path.join(w.home, "c"));
      const r = await run(w, "prune");
      expect(r.code).toBe(0);
      expect(existsSync(path.join(w.home, "a"))).toBe(true);
      expect(existsSync(path.join(w.home, "b"))).toBe(false);
      expect(readlinkSync(path.join(w.home, "c"))).toBe("/user");
      expect(r.stdout).not.toContain("~/a");
    });

    it("plan --prune shows the removals; apply --prune carries them out with the rest", async () => {
      const w = await makeWorld(before);
      await run(w, "apply");
      await writeFile(w.manifest, "version: 1\nlinks:\n  ~/a: vim/vimrc\n  ~/new: vim/vimrc\n");
      const plan = await run(w, "plan", "--prune");
      expect(plan.stdout).toContain(
        "Plan: 1 to create, 0 to replace, 2 to remove, 1 unchanged, 0 conflicts.",
      );
      expect((await run(w, "apply", "--prune")).code).toBe(0);
      expect(Object.keys(w.snapshot()).filter((p) => p.startsWith("home/"))).toEqual([
        "home/a",
        "home/new",
      ]);
    });

    it("keeps the links of entries that are only skipped by when", async () => {
      const w = await makeWorld(before);
      await run(w, "apply");
      await writeFile(
        w.manifest,
        "version: 1\nlinks:\n  - { link: ~/a, target: vim/vimrc }\n  - { link: ~/b, target: vim/vimrc }\n  - { link: ~/c, target: vim/vimrc, when: { os: aix } }\n",
      );
      await run(w, "prune");
      expect(existsSync(path.join(w.home, "c"))).toBe(true);
    });
  });

  describe("saved plans", () => {
    it("plan --out saves what was found at each path; apply FILE carries it out", async () => {
      const w = await makeWorld("version: 1\nlinks:\n  ~/a: vim/vimrc\n  ~/b: vim/vimrc\n", {
        home: { b: "mine" },
      });
      const file = path.join(w.root, "plan.json");
      expect((await run(w, "plan", "--force", "--out", file)).code).toBe(0);
      const saved = JSON.parse(readFileSync(file, "utf8")) as {
        actions: { found: Record<string, unknown> }[];
      };
      expect(saved.actions[1]?.found).toEqual({
        type: "file",
        dev: expect.any(String),
        ino: expect.any(String),
        size: 4,
        mtimeMs: expect.any(Number),
      });
      expect((await run(w, "apply", file)).code).toBe(0);
      expect(readlinkSync(path.join(w.home, "a"))).toBe(path.join(w.dots, "vim/vimrc"));
      expect(readFileSync(path.join(w.home, "b.linkman-backup"), "utf8")).toBe("mine");
      expect((await stateOf(w)).links).toHaveLength(2);
    });

    it("refuses a saved plan whose paths changed since, naming them, and applies nothing", async () => {
      const w = await makeWorld("version: 1\nlinks:\n  ~/a: vim/vimrc\n  ~/b: vim/vimrc\n", {
        home: { b: "mine" },
      });
      const file = path.join(w.root, "plan.json");
      await run(w, "plan", "--force", "--out", file);
      await writeFile(path.join(w.home, "b"), "edited since");
      const homeAndRepo = () =>
        Object.entries(w.snapshot()).filter(([p]) => !p.startsWith("state"));
      const before = homeAndRepo();
      const r = await run(w, "apply", file);
      expect(r.code).toBe(1);
      expect(r.stdout).toContain("! stale    ~/b: the plan found a file (4 bytes");
      expect(r.stdout).toContain("now there is a file (12 bytes");
      expect(r.stderr).toContain("nothing was applied: a path has changed since the plan was made");
      expect(homeAndRepo()).toEqual(before);
    });

    it("refuses a file that is not a saved plan with exit 2", async () => {
      const w = await makeWorld("version: 1\n");
      const file = path.join(w.root, "nonsense.json");
      await writeFile(file, '{"version": 1}');
      const r = await run(w, "apply", file);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain("is not a plan saved by `linkman plan --out`");
    });
  });
});
