import { writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { linkman } from "./helpers/cli.js";
import { makeTree } from "./helpers/tree.js";

const MANIFEST = `version: 1
links:
  - { link: ~/w, target: w, when: { profile: work } }
  - { link: ~/h, target: h, when: { profile: home } }
`;

async function world(local?: string): Promise<string> {
  const cwd = await makeTree({ "links.yaml": MANIFEST, w: "w", h: "h" });
  if (local !== undefined) await writeFile(path.join(cwd, "linkman.local.yaml"), local);
  return cwd;
}

/** The profiles status reports, and where it says they came from. */
async function profiles(cwd: string, args: string[] = [], env: Record<string, string> = {}) {
  const run = await linkman(["status", "--json", ...args], { cwd, env });
  const report = JSON.parse(run.stdout) as { profiles: string[]; profileSource: string };
  return [report.profiles, report.profileSource];
}

describe("remembered profiles (linkman.local.yaml beside the manifest)", () => {
  it("activates the profiles the local file names", async () => {
    expect(await profiles(await world("profiles: [work]\n"))).toEqual([["work"], "local"]);
  });

  it("takes a comma-separated string too", async () => {
    expect(await profiles(await world("profiles: work, home\n"))).toEqual([
      ["work", "home"],
      "local",
    ]);
  });

  it("lets LINKMAN_PROFILE win over the local file, and --profile over both", async () => {
    const cwd = await world("profiles: [work]\n");
    expect(await profiles(cwd, [], { LINKMAN_PROFILE: "home" })).toEqual([["home"], "env"]);
    expect(await profiles(cwd, ["--profile", "home"], { LINKMAN_PROFILE: "work" })).toEqual([
      ["home"],
      "flag",
    ]);
  });

  it("says none are chosen without any of the three", async () => {
    expect(await profiles(await world())).toEqual([[], "none"]);
  });

  it("plans with the remembered profile", async () => {
    const cwd = await world("profiles: [home]\n");
    const run = await linkman(["plan", "--json"], { cwd, home: await makeTree({}) });
    const plan = JSON.parse(run.stdout) as { actions: { link: string; op: string }[] };
    expect(plan.actions.map((a) => [path.basename(a.link), a.op])).toEqual([
      ["w", "skip"],
      ["h", "create"],
    ]);
  });

  it("status says which profiles are active and where they came from", async () => {
    const run = await linkman(["status"], { cwd: await world("profiles: [work]\n") });
    expect(run.stderr).toContain("Profiles: work (from linkman.local.yaml)");
    const flagged = await linkman(["status", "--profile", "home"], { cwd: await world() });
    expect(flagged.stderr).toContain("Profiles: home (from --profile)");
  });

  it("reports a mistyped key in the local file with its line and column, exit 2", async () => {
    const cwd = await world("profile: [work]\n");
    const run = await linkman(["status"], { cwd });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("linkman.local.yaml:1:1");
    expect(run.stderr).toContain('unknown key "profile": expected profiles');
    expect(run.stderr).not.toMatch(/at .*\.ts:\d+/);
  });

  it("reports profiles that are not names", async () => {
    const run = await linkman(["validate"], { cwd: await world("profiles: { a: 1 }\n") });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("linkman.local.yaml:1:11");
    expect(run.stderr).toContain("expected profiles: a list of names");
  });
});
