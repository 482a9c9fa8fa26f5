import { lstatSync, readFileSync } from "node:fs";
import { utimes, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { apply } from "../src/session/apply.js";
import { plan } from "../src/session/plan.js";
import { status } from "../src/session/status.js";
import {
  checkoutFile,
  expectKept,
  runSession,
  worldFiles,
  type Command,
} from "./helpers/sessions.js";
import { THIS_MACHINE, windows, type System } from "./helpers/systems.js";
import { makeWorld } from "./helpers/world.js";

/*
 * A hard link linkman made, whose target git then rewrote (checkout and pull write a new
 * file and rename it over the old one): the link path still holds the old file. That is
 * linkman's own drift, never a conflict; but the link path may be the old file's last
 * name, so it is moved to a backup, never deleted (SPEC safety rule 8).
 */

/** A hook entry as each system gets a hard link: `kind: hardlink`, or a symlink the Windows model without the privilege falls back from. */
const cases: [string, System, string][] = [
  ["this machine, kind: hardlink", THIS_MACHINE, "kind: hardlink"],
  [
    "the Windows model without the symlink privilege, fallback: auto",
    windows({ privileged: false }),
    "fallback: auto",
  ],
];

const manifest = (options: string) =>
  `version: 1\nlinks:\n  - link: ~/hooks/pre-commit\n    target: bin/tool\n    ${options}\n`;

const ops = (report: { actions: readonly { op: string; rule: string }[] }) =>
  report.actions.map((a) => `${a.op} ${a.rule}`);

describe.each(cases)("hard-link drift on %s", (_name, system, options) => {
  async function linkedThenCheckedOut() {
    const w = await makeWorld(manifest(options), {}, system);
    const first = await runSession(w, "apply");
    expect(ops(first)).toEqual(["create nothing-there"]);
    const link = path.join(w.home, "hooks/pre-commit");
    const target = path.join(w.dots, "bin/tool");
    expect(lstatSync(link).ino).toBe(lstatSync(target).ino);
    return { w, link, target };
  }

  it("replaces linkman's own hard link after git rewrote its target, never a conflict, keeping the old file", async () => {
    const { w, link, target } = await linkedThenCheckedOut();
    await checkoutFile(target, "#!/bin/sh\necho new hook\n");
    const before = worldFiles(w);
    const again = await runSession(w, "apply");
    expect(again.refused).toBeNull();
    expect(ops(again)).toEqual(["replace own-drift"]);
    expect(lstatSync(link).ino).toBe(lstatSync(target).ino);
    expect(readFileSync(`${link}.linkman-backup`, "utf8")).toBe("#!/bin/sh\necho tool\n");
    expectKept(before, worldFiles(w), "the apply after a checkout");
    const third = await runSession(w, "apply");
    expect(third.actions).toMatchObject([{ op: "skip", reason: "up-to-date" }]);
  });

  it("reports the drift as wrong, not as a conflict, in status", async () => {
    const { w, target } = await linkedThenCheckedOut();
    await checkoutFile(target, "new\n");
    const report = await status(w.context());
    if (!report.ok) throw new Error("status failed");
    expect(report.value.links.map((l) => l.state)).toEqual(["wrong"]);
  });

  it("plans the drift as apply --dry-run and apply do", async () => {
    const { w, target } = await linkedThenCheckedOut();
    await checkoutFile(target, "new\n");
    const planned = await plan(w.context());
    const dry = await apply(w.context(), { dryRun: true });
    if (!planned.ok || !dry.ok || "type" in planned.value) throw new Error("no plan");
    expect(ops(planned.value)).toEqual(["replace own-drift"]);
    expect(ops(dry.value)).toEqual(["replace own-drift"]);
  });

  it("treats the old file as the user's when it changed after linkman linked it", async () => {
    const { w, link, target } = await linkedThenCheckedOut();
    await writeFile(target, "edited through the target\n"); // in place: the linked file itself
    const later = new Date(Date.now() + 5_000);
    await utimes(target, later, later);
    await checkoutFile(target, "new\n");
    const again = await runSession(w, "apply");
    expect(ops(again)).toEqual(["conflict in-the-way"]);
    expect(readFileSync(link, "utf8")).toBe("edited through the target\n");
  });

  it.each<Command>(["unlink", "prune"])(
    "still never removes the old file's last name on %s",
    async (command) => {
      const { w, link, target } = await linkedThenCheckedOut();
      await checkoutFile(target, "new\n");
      if (command === "prune") await writeFile(w.manifest, "version: 1\nlinks: []\n");
      await runSession(w, command);
      expect(readFileSync(link, "utf8")).toBe("#!/bin/sh\necho tool\n");
    },
  );
});

it("a hard link at the path that linkman did not record stays a conflict", async () => {
  const w = await makeWorld(manifest("kind: hardlink"), { home: { hooks: { "pre-commit": "" } } });
  const { link } = { link: path.join(w.home, "hooks/pre-commit") };
  expect(ops(await runSession(w, "apply"))).toEqual(["conflict in-the-way"]);
  expect(readFileSync(link, "utf8")).toBe("");
});
