import pc from "picocolors";
import { describe, expect, it } from "vitest";
import type { AppliedAction } from "../src/engine/action.js";
import type { ChangeReport } from "../src/session/report.js";
import { summarize } from "../src/engine/action.js";
import { appliedLine, applyLines, plainStyle } from "../src/views/planView.js";
import { renderChange, renderedText } from "../src/views/render.js";

const home = "/home/u";
const style = plainStyle({ homedir: home, cwd: "/home/u/dotfiles" });
const colored = { ...style, colors: pc.createColors(true) };

/** An applied action with the fields a report's lines read; the rest as a plan leaves them. */
function applied(
  op: string,
  name: string,
  fields: Partial<Record<string, unknown>> = {},
): AppliedAction {
  return {
    op,
    rule: "nothing-there",
    kind: "symlink",
    link: `${home}/${name}`,
    target: `${home}/dotfiles/${name}`,
    found: { type: "missing" },
    options: {},
    place: null,
    reason: null,
    backup: null,
    message: null,
    hint: null,
    result: "done",
    error: null,
    movedTo: null,
    fallback: null,
    identity: null,
    ...fields,
  } as unknown as AppliedAction;
}

/** One action of every op and result a report can hold, in a plan's order. */
const every: AppliedAction[] = [
  applied("create", ".a"),
  applied("create", ".b", { kind: "hardlink", identity: { dev: "1", ino: "2" } }),
  applied("create", ".c", { fallback: "junction" }),
  applied("create", ".d", { fallback: "hardlink" }),
  applied("create", ".e", { result: "failed", error: "EACCES: permission denied" }),
  applied("create", ".f", { result: "conflict", error: "a file appeared there" }),
  applied("replace", ".g", {
    rule: "in-the-way",
    found: { type: "file", dev: "1", ino: "3", size: 1, mtimeMs: 0 },
    backup: `${home}/.g.linkman-backup`,
    movedTo: `${home}/.g.linkman-backup`,
  }),
  applied("replace", ".h", { rule: "link-elsewhere", found: { type: "symlink", linkTarget: "x" } }),
  applied("remove", ".i", { rule: "ours", restore: { backup: `${home}/.i.bak`, previous: null } }),
  applied("remove", ".j", { rule: "ours", restore: { backup: null, previous: "old/j" } }),
  applied("remove", ".k", { rule: "ours", movedTo: `${home}/.k.bak`, restore: null }),
  applied("mkdir", ".l", { kind: "directory" }),
  applied("adopt", ".m", { rule: "adopt" }),
  applied("unfold", ".n", { rule: "folded", found: { type: "symlink", linkTarget: "dotfiles/n" } }),
  applied("skip", ".o", { rule: "desired-link", reason: "up-to-date", result: "unchanged" }),
  applied("skip", ".p", {
    rule: "take-over",
    reason: "up-to-date",
    found: { type: "symlink", linkTarget: `${home}/dotfiles/.p` },
    result: "unchanged",
  }),
  applied("skip", ".q", { rule: "condition", reason: "condition", result: "unchanged" }),
  applied("skip", ".r", {
    rule: "missing-target",
    reason: "missing-target",
    message: "the target does not exist",
    result: "unchanged",
  }),
  applied("skip", ".s", { rule: "stale", reason: "stale", result: "unchanged", hint: "prune" }),
  applied("conflict", ".t", {
    rule: "in-the-way",
    message: "a file is in the way",
    hint: "pass --force",
    result: "unchanged",
  }),
  applied("error", ".u", {
    rule: "missing-target",
    message: "the target does not exist",
    hint: "create it",
    result: "unchanged",
  }),
];

function report(actions: AppliedAction[], command: ChangeReport["command"] = "apply") {
  const failed = actions.filter((a) => a.result === "failed" || a.result === "conflict").length;
  return {
    version: 1,
    command,
    manifest: `${home}/dotfiles/links.yaml`,
    stateFile: "/state.json",
    dryRun: false,
    refused: null,
    actions,
    summary: summarize(actions),
    failed,
    notices: ["a notice"],
  } satisfies ChangeReport;
}

describe("a report's lines", () => {
  it("say what became of every op and result, problems and skips first", () => {
    expect(renderedText(renderChange(report(every), style))).toMatchInlineSnapshot(`
      "= take over ~/.p → .p: already linked; recorded as linkman's
      ? skip (condition) ~/.q → .q
      ? skip (missing-target) ~/.r → .r: the target does not exist
      ? stale    ~/.s → .s
      ! conflict ~/.t → .t: a file is in the way
      ! error    ~/.u → .u: the target does not exist
      + created  ~/.a → .a
      + created  ~/.b → .b [hardlink]
      + created  ~/.c → .c (symlink refused: made a junction instead, fallback: auto)
      + created  ~/.d → .d (symlink refused: made a hard link instead, fallback: auto)
      ✗ failed   ~/.e → .e: EACCES: permission denied
      ! changed  ~/.f → .f: a file appeared there
      ~ replaced ~/.g → .g (backup: ~/.g.linkman-backup)
      ~ replaced ~/.h → .h
      - removed  ~/.i → .i
      - removed  ~/.j → .j (put back the link to old/j)
      - removed  ~/.k → .k (put back: ~/.k.bak)
      + made     ~/.l/
      > adopted  ~/.m → .m
      ~ unfolded ~/.n → .n
      = taken over ~/.p → .p
      hint: pass --force
      hint: create it
      Applied: 1 adopted, 1 unfolded, 1 directory made, 4 created, 2 replaced, 3 removed, 2 unchanged (1 taken over), 4 skipped (1 when, 1 ifMissing: skip, 2 --skip-conflicts), 1 stale, 2 failed.
      note: a notice
      linkman moved your ~/.g to ~/.g.linkman-backup to put a link there; to put it back: npx linkman -c links.yaml unlink --restore
      linkman moved your ~/.k to ~/.k.bak to put a link there; to put it back: npx linkman -c links.yaml unlink --restore
      error: 2 operations failed; run the command again once the cause is fixed."
    `);
  });

  it("with --verbose add the entries already as they should be and why each line is what it is", () => {
    expect(renderedText(renderChange(report(every), style, { verbose: true })))
      .toMatchInlineSnapshot(`
      "= ok       ~/.o → .o
      = take over ~/.p → .p: already linked; recorded as linkman's
          why: the link is already exactly as declared, made by someone else (Stow, dotbot, by hand): linkman records it as its own, so unlink, prune and status manage it
      ? skip (condition) ~/.q → .q
          why: the entry's \`when\` does not hold on this machine, so it is skipped
      ? skip (missing-target) ~/.r → .r: the target does not exist
          why: the target does not exist; \`ifMissing\` decides between an error and a skip
      ? stale    ~/.s → .s
          why: linkman made this link and the manifest no longer lists it (its entry or glob match is gone): \`linkman prune\` removes it
      ! conflict ~/.t → .t: a file is in the way
          why: a real file or directory is there; \`onConflict\` (or --force) decides: conflict, skip, or move it to a backup
      ! error    ~/.u → .u: the target does not exist
          why: the target does not exist; \`ifMissing\` decides between an error and a skip
      + created  ~/.a → .a
      + created  ~/.b → .b [hardlink]
      + created  ~/.c → .c (symlink refused: made a junction instead, fallback: auto)
      + created  ~/.d → .d (symlink refused: made a hard link instead, fallback: auto)
      ✗ failed   ~/.e → .e: EACCES: permission denied
      ! changed  ~/.f → .f: a file appeared there
      ~ replaced ~/.g → .g (backup: ~/.g.linkman-backup)
      ~ replaced ~/.h → .h
      - removed  ~/.i → .i
      - removed  ~/.j → .j (put back the link to old/j)
      - removed  ~/.k → .k (put back: ~/.k.bak)
      + made     ~/.l/
      > adopted  ~/.m → .m
      ~ unfolded ~/.n → .n
      = taken over ~/.p → .p
      hint: pass --force
      hint: create it
      Applied: 1 adopted, 1 unfolded, 1 directory made, 4 created, 2 replaced, 3 removed, 2 unchanged (1 taken over), 4 skipped (1 when, 1 ifMissing: skip, 2 --skip-conflicts), 1 stale, 2 failed.
      note: a notice
      linkman moved your ~/.g to ~/.g.linkman-backup to put a link there; to put it back: npx linkman -c links.yaml unlink --restore
      linkman moved your ~/.k to ~/.k.bak to put a link there; to put it back: npx linkman -c links.yaml unlink --restore
      error: 2 operations failed; run the command again once the cause is fixed."
    `);
  });

  it("with --quiet show only the problems and failures, with their hints and the summary", () => {
    expect(renderedText(renderChange(report(every), style, { quiet: true })))
      .toMatchInlineSnapshot(`
      "! conflict ~/.t → .t: a file is in the way
      ! error    ~/.u → .u: the target does not exist
      ✗ failed   ~/.e → .e: EACCES: permission denied
      ! changed  ~/.f → .f: a file appeared there
      hint: pass --force
      hint: create it
      Applied: 1 adopted, 1 unfolded, 1 directory made, 4 created, 2 replaced, 3 removed, 2 unchanged (1 taken over), 4 skipped (1 when, 1 ifMissing: skip, 2 --skip-conflicts), 1 stale, 2 failed.
      note: a notice
      linkman moved your ~/.g to ~/.g.linkman-backup to put a link there; to put it back: npx linkman -c links.yaml unlink --restore
      linkman moved your ~/.k to ~/.k.bak to put a link there; to put it back: npx linkman -c links.yaml unlink --restore
      error: 2 operations failed; run the command again once the cause is fixed."
    `);
  });

  it("are coloured by what happened when colour is on", () => {
    expect(applyLines(every, colored)).toMatchInlineSnapshot(`
      [
        "[32m+ created [39m ~/.a → .a",
        "[32m+ created [39m ~/.b → .b [hardlink]",
        "[32m+ created [39m ~/.c → .c (symlink refused: made a junction instead, fallback: auto)",
        "[32m+ created [39m ~/.d → .d (symlink refused: made a hard link instead, fallback: auto)",
        "[31m✗ failed  [39m ~/.e → .e: EACCES: permission denied",
        "[31m! changed [39m ~/.f → .f: a file appeared there",
        "[33m~ replaced[39m ~/.g → .g (backup: ~/.g.linkman-backup)",
        "[33m~ replaced[39m ~/.h → .h",
        "[33m- removed [39m ~/.i → .i",
        "[33m- removed [39m ~/.j → .j (put back the link to old/j)",
        "[33m- removed [39m ~/.k → .k (put back: ~/.k.bak)",
        "[32m+ made    [39m ~/.l/",
        "[32m> adopted [39m ~/.m → .m",
        "[33m~ unfolded[39m ~/.n → .n",
        "[32m= taken over[39m ~/.p → .p",
      ]
    `);
  });

  it("count each op done once, and adopt's report counts only adoptions", () => {
    expect(appliedLine(report(every))).toMatchInlineSnapshot(
      `"Applied: 1 adopted, 1 unfolded, 1 directory made, 4 created, 2 replaced, 3 removed, 2 unchanged (1 taken over), 4 skipped (1 when, 1 ifMissing: skip, 2 --skip-conflicts), 1 stale, 2 failed."`,
    );
    expect(appliedLine(report(every, "adopt"))).toMatchInlineSnapshot(
      `"Adopted: 1, 4 skipped (1 when, 1 ifMissing: skip, 2 --skip-conflicts), 1 stale, 2 failed."`,
    );
    expect(appliedLine(report([applied("create", ".a")]))).toMatchInlineSnapshot(
      `"Applied: 1 created, 0 replaced, 0 removed, 0 unchanged, 0 failed."`,
    );
  });

  it("of a run that did nothing are only the summary", () => {
    const ok = every.filter((a) => a.op === "skip" && a.reason === "up-to-date");
    expect(renderedText(renderChange(report(ok), style))).toMatchInlineSnapshot(`
      "= take over ~/.p → .p: already linked; recorded as linkman's
      = taken over ~/.p → .p
      Applied: 0 created, 0 replaced, 0 removed, 2 unchanged (1 taken over), 0 failed.
      note: a notice"
    `);
  });
});
