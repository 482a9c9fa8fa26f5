import { existsSync, lstatSync } from "node:fs";
import { mkdir, symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { NodeFileSystem } from "../src/fs/nodeFileSystem.js";
import { acquireLock, lockPathFor } from "../src/state/lock.js";
import type { LinkRecord } from "../src/state/state.js";
import { readState, realManifestPath, statePathFor } from "../src/state/stateFile.js";
import { linkRecord } from "./helpers/records.js";
import { tempDir } from "./helpers/tree.js";
import { makeWorld } from "./helpers/world.js";

const fs = new NodeFileSystem();

/** A state file holding `state` (as JSON, whatever its shape), and its path. */
async function stateFileHolding(state: unknown): Promise<string> {
  const file = path.join(tempDir(), "state.json");
  await writeFile(file, JSON.stringify(state));
  return file;
}

const stateWith = (extra: Record<string, unknown>) => ({
  version: 1,
  manifest: "/dots/links.yaml",
  links: [linkRecord("/home/a")],
  directories: [],
  ...extra,
});

const read = (file: string) => readState(fs, file, "/dots/links.yaml", "linux");

describe("reading the state back (it is untrusted)", () => {
  it("keeps an applying token of the shape linkman writes", async () => {
    const r = await read(await stateFileHolding(stateWith({ applying: "0123456789ab" })));
    expect(r).toMatchObject({ ok: true, state: { applying: "0123456789ab" }, ignored: [] });
  });

  it.each([
    "x/../../elsewhere/file",
    "0123456789AB",
    "0123456789a",
    "0123456789abc",
    "0123456789a\0",
  ])("ignores the applying token %j, which linkman never writes, and says so", async (token) => {
    const r = await read(await stateFileHolding(stateWith({ applying: token })));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.state.applying).toBeUndefined();
    expect(r.state.links).toHaveLength(1);
    expect(r.ignored).toEqual([expect.stringContaining("the interrupted run's token")]);
  });

  it.each<[string, Partial<LinkRecord>]>([
    ["a relative link", { link: "home/b" }],
    ["a link with a .. segment", { link: "/home/x/../../etc/b" }],
    ["a link holding NUL", { link: "/home/b\0" }],
    ["a relative target", { target: "vim/vimrc" }],
    ["a target with a .. segment", { target: "/dots/../etc/passwd" }],
    ["a backup with a .. segment", { backup: "/home/../etc/shadow" }],
    ["a relative backup", { backup: "b.linkman-backup" }],
    ["a device that is not a decimal number", { dev: "0x10" }],
    ["an inode that is not a decimal number", { ino: "-1" }],
    ["a link text holding NUL", { text: "/dots\0" }],
    ["a previous link text holding NUL", { previous: "/old\0" }],
    ["an unknown kind", { kind: "copy" as never }],
  ])("ignores a record with %s, keeps the others, and names it", async (_name, bad) => {
    const tampered = { ...linkRecord("/home/b"), ...bad };
    const r = await read(
      await stateFileHolding(
        stateWith({ links: [linkRecord("/home/a"), tampered, linkRecord("/home/c")] }),
      ),
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.state.links.map((l) => l.link)).toEqual(["/home/a", "/home/c"]);
    expect(r.ignored).toHaveLength(1);
    expect(r.ignored[0]).toContain(`the record of ${JSON.stringify(tampered.link)}`);
  });

  it("ignores a record that is not even an object, naming its place", async () => {
    const r = await read(
      await stateFileHolding(stateWith({ links: [linkRecord("/home/a"), 42, "x"] })),
    );
    expect(r).toMatchObject({ ok: true, state: { links: [linkRecord("/home/a")] } });
    if (r.ok)
      expect(r.ignored).toEqual([
        expect.stringContaining("record 2"),
        expect.stringContaining("record 3"),
      ]);
  });

  it.each(["relative/dir", "/home/../etc", "/home/d\0"])(
    "ignores a recorded directory %j that is not an absolute clean path",
    async (dir) => {
      const r = await read(await stateFileHolding(stateWith({ directories: ["/home/ok", dir] })));
      expect(r).toMatchObject({ ok: true, state: { directories: ["/home/ok"] } });
      if (r.ok) expect(r.ignored).toEqual([expect.stringContaining(JSON.stringify(dir))]);
    },
  );

  it.each<[string, unknown]>([
    ["another version", stateWith({ version: 3 })],
    ["a manifest path with a .. segment", stateWith({ manifest: "/dots/x/../links.yaml" })],
    ["links that are not a list", stateWith({ links: {} })],
    ["directories that are not a list", stateWith({ directories: "/home" })],
  ])("refuses the whole file when it has %s", async (_name, state) => {
    const r = await read(await stateFileHolding(state));
    expect(r.ok).toBe(false);
  });

  it("never sweeps outside a link's directory, whatever applying token a crafted state holds", async () => {
    const w = await makeWorld("version: 1\nlinks:\n  ~/a: vim/vimrc\n", {
      root: { victim: { symlink: "/somewhere" } },
    });
    const victim = path.join(w.root, "victim");
    await mkdir(path.dirname(w.stateFile), { recursive: true });
    // temporaryName(~/a, token) joins the token into a name beside ~/a: this one climbs out.
    const state = stateWith({
      manifest: w.manifest,
      links: [{ ...linkRecord(path.join(w.home, "a")), target: path.join(w.dots, "vim/vimrc") }],
      applying: "x/../../victim",
    });
    await writeFile(w.stateFile, JSON.stringify(state));
    const r = await w.cli("apply");
    expect(r.code).toBe(0);
    expect(lstatSync(victim).isSymbolicLink()).toBe(true);
  });
});

describe("the state file's name", () => {
  const options = { env: { XDG_STATE_HOME: "/xdg" }, homedir: "/h", cwd: "/", platform: "linux" };

  it.each(["a", "é", "字", "🔗"])(
    "stays well under 255 bytes with its lock and temporaries for a directory of 240 %j",
    (ch) => {
      const file = statePathFor(`/r/${ch.repeat(240)}/links.yaml`, options);
      const longest = `${path.basename(lockPathFor(file))}.claim-0123456789ab-99.4194304-01234567.tmp`;
      expect(Buffer.byteLength(longest)).toBeLessThan(200);
      expect(path.basename(file)).toMatch(/links\.yaml-[0-9a-f]{12}\.json$/);
    },
  );

  it("keeps manifests apart whose long names differ only where the name is cut", () => {
    const a = statePathFor(`/r/a${"x".repeat(240)}/links.yaml`, options);
    const b = statePathFor(`/r/b${"x".repeat(240)}/links.yaml`, options);
    expect(a).not.toBe(b);
  });

  it("lets the lock be taken for a manifest in a directory with a 240-character name", async () => {
    const dir = tempDir();
    const file = statePathFor(path.join(dir, "a".repeat(240), "links.yaml"), {
      ...options,
      env: { XDG_STATE_HOME: dir },
    });
    const lock = await acquireLock(fs, file, { waitMs: 0 });
    expect(lock).toMatchObject({ ok: true });
    if (lock.ok) await lock.lock.release();
  });

  it("is one for every spelling of a manifest once callers pass its real path", async () => {
    const root = tempDir();
    await mkdir(path.join(root, "dots"));
    await writeFile(path.join(root, "dots", "links.yaml"), "version: 1\n");
    await symlink(path.join(root, "dots"), path.join(root, "alias"));
    const real = path.join(root, "dots", "links.yaml");
    expect(await realManifestPath(fs, path.join(root, "alias", "links.yaml"))).toBe(real);
    expect(await realManifestPath(fs, real)).toBe(real);
  });

  it("falls back to the resolved path of a manifest that cannot be resolved", async () => {
    const root = tempDir();
    const missing = path.join(root, "gone", "..", "links.yaml");
    expect(existsSync(missing)).toBe(false);
    expect(await realManifestPath(fs, missing)).toBe(path.join(root, "links.yaml"));
  });
});
