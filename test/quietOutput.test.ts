import { describe, expect, it } from "vitest";
import { makeWorld } from "./helpers/world.js";

/** A home where one entry is ok, one is to create, and four files are in the way. */
const CONFLICTS = [
  "version: 1",
  "links:",
  "  ~/ok: vim/vimrc",
  "  ~/new: vim/vimrc",
  "  ~/c1: vim/vimrc",
  "  ~/c2: vim/vimrc",
  "  ~/c3: vim/vimrc",
  "  ~/c4: vim/vimrc",
  "",
].join("\n");
const IN_THE_WAY = {
  ok: { symlink: "../dots/vim/vimrc" },
  c1: "mine",
  c2: "mine",
  c3: "mine",
  c4: "mine",
};
/** The one hint four conflicts share: the manifest and the exact commands. */
const conflictHint = (manifest: string) =>
  `links.yaml asks linkman, a tool that links files into place, for a link where something else is; it is not a link linkman made, so it was left alone. To move it aside to NAME.linkman-backup (never deleted) and make the link: \`npx linkman -c ${manifest} apply --force\`; to put it back later: \`npx linkman -c ${manifest} unlink --restore\`. To keep it and stop this message, add \`onConflict: skip\` to that entry.`;

/** Entries skipped for three different reasons, and one already ok. */
const SKIPS = [
  "version: 1",
  "links:",
  "  - { link: ~/ok, target: vim/vimrc }",
  "  - { link: ~/aix, target: vim/vimrc, when: { os: aix } }",
  "  - { link: ~/later, target: vim/later, ifMissing: skip }",
  "  - { link: ~/kept, target: vim/vimrc, onConflict: skip }",
  "",
].join("\n");

describe("the plan, quiet by default", () => {
  it("prints what changes or is wrong, one line each, then one hint for four conflicts, then the summary", async () => {
    const w = await makeWorld(CONFLICTS, { home: IN_THE_WAY });
    const run = await w.cli("plan");
    expect(run.code).toBe(1);
    expect(run.stdout).toBe(
      [
        "= take over ~/ok → vim/vimrc: already linked; recorded as linkman's",
        "+ create   ~/new → vim/vimrc",
        "! conflict ~/c1 → vim/vimrc: a file is in the way",
        "! conflict ~/c2 → vim/vimrc: a file is in the way",
        "! conflict ~/c3 → vim/vimrc: a file is in the way",
        "! conflict ~/c4 → vim/vimrc: a file is in the way",
        `hint (4 conflicts): ${conflictHint(w.manifest)}`,
        "Plan: 1 to create, 0 to replace, 0 to remove, 1 unchanged (1 to take over), 4 conflicts.",
        "",
      ].join("\n"),
    );
  });

  it("adds the ok lines and why each other line is what it is with -v", async () => {
    const w = await makeWorld(CONFLICTS, { home: IN_THE_WAY });
    await w.cli("apply", "--skip-conflicts"); // ~/ok taken over, ~/new made: both ok now
    const lines = (await w.cli("plan", "-v")).stdout.split("\n");
    expect(lines[0]).toBe("= ok       ~/ok → vim/vimrc");
    expect(lines[1]).toBe("= ok       ~/new → vim/vimrc");
    expect(lines[2]).toBe("! conflict ~/c1 → vim/vimrc: a file is in the way");
    expect(lines[3]).toMatch(/^ {4}why: /);
    expect(lines.filter((l) => l.includes("why:"))).toHaveLength(4);
  });

  it("prints nothing with -q when nothing is wrong", async () => {
    const w = await makeWorld("version: 1\nlinks:\n  ~/a: vim/vimrc\n");
    expect(await w.cli("plan", "-q")).toMatchObject({ code: 0, stdout: "", stderr: "" });
  });

  it("prints only the problems, their hint and the summary with -q", async () => {
    const w = await makeWorld(CONFLICTS, { home: IN_THE_WAY });
    const lines = (await w.cli("plan", "-q")).stdout.trim().split("\n");
    expect(lines.map((l) => l.split(" ")[0])).toEqual(["!", "!", "!", "!", "hint", "Plan:"]);
  });

  it("counts skips by reason, and an ifMissing: skip entry is not counted as unchanged", async () => {
    const w = await makeWorld(SKIPS, { home: { ok: { symlink: "../dots/vim/vimrc" }, kept: "x" } });
    await w.cli("apply"); // takes ~/ok over, so it is linkman's and unchanged
    const run = await w.cli("plan");
    expect(run.stdout).toContain("? skip (missing-target) ~/later → vim/later");
    expect(run.stdout).toContain(
      "Plan: 0 to create, 0 to replace, 0 to remove, 1 unchanged, 3 skipped (1 when, 1 ifMissing: skip, 1 onConflict: skip), 0 conflicts.",
    );
    const json = JSON.parse((await w.cli("plan", "--json")).stdout) as { summary: unknown };
    expect(json.summary).toMatchObject({
      skip: 4,
      skipped: { "up-to-date": 1, condition: 1, "missing-target": 1, conflict: 1 },
    });
  });
});

describe("apply, quiet by default", () => {
  it("lists what it did and what it skipped, and counts the skips by reason", async () => {
    const w = await makeWorld(SKIPS, { home: { kept: "x" } });
    const run = await w.cli("apply");
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(
      [
        `? skip (condition) ~/aix → vim/vimrc: os is ${process.platform}, not aix`,
        "? skip (missing-target) ~/later → vim/later: the target does not exist",
        "? skip (conflict) ~/kept → vim/vimrc: a file is in the way (onConflict: skip)",
        "+ created  ~/ok → vim/vimrc",
        "Applied: 1 created, 0 replaced, 0 removed, 0 unchanged, 3 skipped (1 when, 1 ifMissing: skip, 1 onConflict: skip), 0 failed.",
        "",
      ].join("\n"),
    );
  });

  it("prints nothing with -q when all went well", async () => {
    const w = await makeWorld("version: 1\nlinks:\n  ~/a: vim/vimrc\n");
    expect(await w.cli("apply", "-q")).toMatchObject({ code: 0, stdout: "" });
  });
});

describe("status, quiet by default", () => {
  it("prints the entries that are not ok, and all of them with -v", async () => {
    const w = await makeWorld("version: 1\nlinks:\n  ~/a: vim/vimrc\n  ~/b: vim/vimrc\n", {
      home: { a: { symlink: "../dots/vim/vimrc" } },
    });
    const run = await w.cli("status");
    expect(run.stdout).toBe(
      "missing  ~/b → vim/vimrc\nStatus: 1 ok, 1 missing, 0 wrong, 0 conflict, 0 broken.\n",
    );
    expect((await w.cli("status", "-v")).stdout).toContain("ok       ~/a → vim/vimrc");
  });
});

describe("the words", () => {
  it("suggests linkman adopt for a missing target where a real file sits at the link path", async () => {
    const w = await makeWorld("version: 1\nlinks:\n  ~/.bashrc: bash/bashrc\n", {
      home: { ".bashrc": "export A=1\n" },
    });
    const run = await w.cli("plan");
    expect(run.stdout).toContain("! error    ~/.bashrc → bash/bashrc: the target does not exist");
    expect(run.stdout).toContain("hint: run `linkman adopt` to move what is at the link path");
  });

  it("ends adopt --dry-run with the adoptions planned, and adopt with the adoptions made", async () => {
    const w = await makeWorld("version: 1\nlinks:\n  ~/.bashrc: bash/bashrc\n", {
      home: { ".bashrc": "export A=1\n" },
    });
    const dry = await w.cli("adopt", "--dry-run");
    expect(dry.stdout).toContain("> adopt    ~/.bashrc → bash/bashrc");
    expect(dry.stdout.trim().split("\n").at(-1)).toBe("Plan: 1 to adopt, 0 conflicts.");
    const run = await w.cli("adopt");
    expect(run.code).toBe(0);
    expect(run.stdout.trim().split("\n").at(-1)).toBe("Adopted: 1, 0 failed.");
  });

  it("shows which backups unlink --restore --dry-run would put back", async () => {
    const w = await makeWorld("version: 1\nlinks:\n  ~/a: vim/vimrc\n", { home: { a: "mine" } });
    expect((await w.cli("apply", "--force")).code).toBe(0);
    const run = await w.cli("unlink", "--restore", "--dry-run");
    expect(run.stdout).toContain("- remove   ~/a → vim/vimrc (puts back ~/a.linkman-backup)");
  });
});
