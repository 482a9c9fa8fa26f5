import { readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { Found, Plan } from "../src/engine/action.js";
import { Observer } from "../src/engine/observe.js";
import { errorCode, type FileSystem } from "../src/fs/fileSystem.js";
import { NodeFileSystem } from "../src/fs/nodeFileSystem.js";
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
