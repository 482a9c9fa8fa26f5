import { existsSync, readdirSync, symlinkSync, writeFileSync } from "node:fs";
import { rename, symlink } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { Found, Plan } from "../src/engine/action.js";
import { applyPlan } from "../src/engine/apply.js";
import { Observer } from "../src/engine/observe.js";
import { errorCode, type FileSystem } from "../src/fs/fileSystem.js";
import { NodeFileSystem } from "../src/fs/nodeFileSystem.js";
import { interleaved, recording } from "../src/fs/wrappers.js";
import { onLinux } from "./helpers/systems.js";
import { makeWorld } from "./helpers/world.js";

/** What an lstat per link (the plan before listings) finds at each action's link, or why it cannot look. */
async function lookOneByOne(plan: Plan, fs: FileSystem): Promise<(Found | string)[]> {
  const observer = new Observer(fs, "linux");
  return Promise.all(
    plan.actions.map((a) =>
      observer
        .found(a.link, false, false)
        .catch((error: unknown) => `cannot look: ${errorCode(error)}`),
    ),
  );
}

/** The plan's found for each action, or the cannot-look error's code. */
function foundOf(plan: Plan): (Found | string)[] {
  return plan.actions.map((a) =>
    a.op === "error" && a.rule === "cannot-look" ? `cannot look: ${a.message}` : a.found,
  );
}

const files = (n: number) =>
  Object.fromEntries(Array.from({ length: n }, (_, i) => [`f${i}`, `${i}`]));

describe.skipIf(!onLinux)("the plan's listing of a directory, attacked", () => {
  it("finds a thread's directory in /proc, which a listing of /proc leaves out, as its lstat does", async () => {
    // /proc lists processes only; each other thread's /proc/TID is there for lstat all the same.
    const tids = readdirSync("/proc/self/task").filter((t) => t !== String(process.pid));
    expect(tids.length).toBeGreaterThan(0);
    const names = [...tids, ...Array.from({ length: 40 }, (_, i) => `linkman-attack6-${i}`)];
    const w = await makeWorld(
      `version: 1\nlinks:\n${names.map((n, i) => `  "/proc/${n}": pkg/f${i}`).join("\n")}\n`,
      { dots: { pkg: files(names.length) } },
    );
    const fs = new NodeFileSystem();
    const plan = await w.plan({ fs, allowOutside: ["/proc"] });
    const thread = plan.actions.find((a) => a.link === `/proc/${tids[0]}`);
    expect(thread?.found.type).toBe("directory");
    expect(thread?.op).toBe("conflict");
    expect(foundOf(plan)).toEqual(await lookOneByOne(plan, fs));
  });
});

/** A manifest linking `~/DIR/NAME` to `pkg/fI` for the I-th name, each name a YAML double-quoted key. */
function manifestIn(dir: string, names: readonly string[]): string {
  const key = (n: string) => JSON.stringify(`~/${dir}/${n}`);
  return `version: 1\nlinks:\n${names.map((n, i) => `  ${key(n)}: pkg/f${i}`).join("\n")}\n`;
}

const many = (n: number) => Array.from({ length: n }, (_, i) => `f${i}`);

describe.skipIf(!onLinux)("a listed directory's odd names and races", () => {
  it("finds at odd names in a listed directory what an lstat of each finds, beside names that are not UTF-8", async () => {
    const odd = [
      "caf\u00e9", // NFC; the disk holds the NFD spelling only
      "trail",
      "trail.",
      "sp",
      "sp ",
      "new\nline",
      "...",
      "f1.linkman-backup",
      ".hidden",
      "bad\uFFFD", // on disk only as the bytes bad\xff
      "rep\uFFFD", // a symlink, beside a file named rep\xff
      "two\uFFFD", // a file, beside a symlink named two\xff
    ];
    const w = await makeWorld(manifestIn("odd", [...many(40), ...odd]), {
      home: {
        odd: {
          "cafe\u0301": "nfd",
          "trail.": "dot",
          "sp ": "space",
          "new\nline": { symlink: "/elsewhere" },
          "...": "dots",
          "f1.linkman-backup": "a backup",
          ".hidden": { symlink: "../x" },
          "rep\uFFFD": { symlink: "/elsewhere" },
          "two\uFFFD": "real",
        },
      },
      dots: { pkg: files(40 + odd.length) },
    });
    const dir = path.join(w.home, "odd");
    const raw = (name: string, byte: number) =>
      Buffer.concat([Buffer.from(`${dir}/${name}`), Buffer.from([byte])]);
    writeFileSync(raw("bad", 0xff), "not UTF-8");
    writeFileSync(raw("rep", 0xff), "not UTF-8");
    symlinkSync("/elsewhere", raw("two", 0xff));
    const fs = recording(new NodeFileSystem());
    const plan = await w.plan({ fs });
    const listings = fs.calls.filter((c) => c.operation === "readdir" && c.args[0] === dir);
    expect(listings).toHaveLength(1);
    expect(foundOf(plan)).toEqual(await lookOneByOne(plan, new NodeFileSystem()));
    const at = (n: string) => plan.actions.find((a) => a.link === `${dir}/${n}`)?.found;
    expect(at("rep\uFFFD")).toEqual({ type: "symlink", linkTarget: "/elsewhere" });
    expect(at("two\uFFFD")?.type).toBe("file");
    expect(at("bad\uFFFD")).toEqual({ type: "missing" });
  });

  it("makes the rest of a listed directory's links conflicts when it becomes a symlink out of the roots mid-apply, and writes nothing there", async () => {
    const w = await makeWorld(manifestIn("d", many(40)), {
      home: { d: {} },
      root: { outside: {} },
      dots: { pkg: files(40) },
    });
    const dir = path.join(w.home, "d");
    const plan = await w.plan();
    expect(plan.summary.create).toBe(40);
    let made = 0;
    const fs = interleaved(new NodeFileSystem(), async (operation, args) => {
      if (operation === "symlink") made++;
      // Another process swaps the directory once 10 links are in it, before the next look.
      if (operation === "realpath" && args[0] === dir && made === 10) {
        made++;
        await rename(dir, `${dir}-was`);
        await symlink(path.join(w.root, "outside"), dir);
      }
    });
    const result = await applyPlan(plan, { fs, platform: "linux", roots: await w.roots() });
    expect(result.actions.filter((a) => a.result === "done")).toHaveLength(10);
    const rest = result.actions.filter((a) => a.result !== "done");
    expect(rest).toHaveLength(30);
    for (const a of rest)
      expect(a).toMatchObject({
        result: "conflict",
        error: expect.stringContaining("outside your home and the manifest's directory"),
      });
    expect(readdirSync(path.join(w.root, "outside"))).toEqual([]);
    expect(readdirSync(`${dir}-was`)).toHaveLength(10);
  });

  it("finds a file where the listing showed a symlink that was swapped for a file before its read", async () => {
    const w = await makeWorld(manifestIn("d", many(40)), {
      home: { d: { f5: { symlink: "/elsewhere" } } },
      dots: { pkg: files(40) },
    });
    const f5 = path.join(w.home, "d", "f5");
    const fs = interleaved(new NodeFileSystem(), async (operation, args) => {
      if (operation === "readlink" && args[0] === f5 && !existsSync(`${f5}.was`)) {
        await rename(f5, `${f5}.was`);
        writeFileSync(f5, "mine");
      }
    });
    const plan = await w.plan({ fs });
    expect(plan.actions.find((a) => a.link === f5)).toMatchObject({
      op: "conflict",
      found: { type: "file" },
    });
  });
});
