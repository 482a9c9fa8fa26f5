import type { Action, AppliedAction, Plan, Summary } from "../engine/action.js";
import { RULE_TEXT } from "../engine/rules.js";
import type { ChangeReport, StatusReport } from "../session/report.js";
import { pathShower, printable } from "../display.js";

/** How a view shows paths and colours; the CLI's Output provides both. */
export interface ViewStyle {
  showPath(p: string): string;
  colors: {
    green(s: string): string;
    yellow(s: string): string;
    red(s: string): string;
    dim(s: string): string;
    cyan(s: string): string;
  };
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

const same = (s: string) => s;

/**
 * The view without colours, for scripts: paths relative to `cwd` when inside it, else
 * with `~` for `homedir`, as the CLI shows them.
 */
export function plainStyle(where: { homedir: string; cwd: string }): ViewStyle {
  return {
    showPath: pathShower(where),
    colors: { green: same, yellow: same, red: same, dim: same, cyan: same },
  };
}

/** The symbol and label of an action, as in `+ create`. */
function label(action: Action): [symbol: string, word: string] {
  switch (action.op) {
    case "create":
      return ["+", "create"];
    case "mkdir":
      return ["+", "mkdir"];
    case "adopt":
      return [">", "adopt"];
    case "replace":
      return ["~", "replace"];
    case "unfold":
      return ["~", "unfold"];
    case "remove":
      return ["-", "remove"];
    case "conflict":
      return ["!", "conflict"];
    case "error":
      return ["!", "error"];
    case "skip":
      if (action.rule === "take-over") return ["=", "take over"];
      if (action.reason === "stale") return ["?", "stale"];
      return action.reason === "up-to-date" ? ["=", "ok"] : ["?", `skip (${action.reason})`];
  }
}

function colorFor(action: Action, style: ViewStyle): (s: string) => string {
  const c = style.colors;
  switch (action.op) {
    case "create":
    case "mkdir":
    case "adopt":
      return c.green;
    case "replace":
    case "unfold":
    case "remove":
      return c.yellow;
    case "conflict":
    case "error":
      return c.red;
    case "skip":
      return c.dim;
  }
}

/** `~/.vimrc → ~/dotfiles/vim/vimrc`, with the kind when it is not a symlink; a directory's path alone. */
function arrow(action: Action, style: ViewStyle): string {
  if (action.kind === "directory") return `${style.showPath(action.link)}/`;
  const kind = action.kind === "symlink" ? "" : ` [${action.kind}]`;
  return `${style.showPath(action.link)} → ${style.showPath(action.target)}${kind}`;
}

/** What follows the arrow: why, in a few words. */
function detail(action: Action, style: ViewStyle): string {
  if (action.op === "replace" && action.backup)
    return ` (backup: ${style.showPath(action.backup)})`;
  if (action.op === "replace" && action.found.type === "symlink")
    return ` (was → ${printable(action.found.linkTarget)})`;
  if (action.op === "replace") return ` (${printable(action.message ?? "")})`;
  if (action.op === "unfold")
    return ` (was → ${printable(action.found.type === "symlink" || action.found.type === "junction" ? action.found.linkTarget : "")}; becomes a directory)`;
  if (action.rule === "take-over") return ": already linked; recorded as linkman's";
  if (action.op === "remove" && action.restore?.backup)
    return ` (puts back ${style.showPath(action.restore.backup)})`;
  if (action.op === "remove" && action.restore?.previous)
    return ` (puts back the link to ${printable(action.restore.previous)})`;
  if (
    (action.op === "skip" && action.reason !== "up-to-date") ||
    action.op === "conflict" ||
    action.op === "error"
  ) {
    return action.message ? `: ${printable(action.message)}` : "";
  }
  return "";
}

/**
 * Whether an action is an entry already as the manifest wants and recorded: shown only with
 * --verbose (a link linkman takes over is shown, since apply records it).
 */
export const isOk = (action: Action): boolean =>
  action.op === "skip" && action.reason === "up-to-date" && action.rule !== "take-over";

/**
 * One line per action that changes something or is wrong, like `+ create  ~/.vimrc →
 * ~/dotfiles/vim/vimrc`; with `verbose`, also the entries already as they should be, and
 * why each other line is what it is (an ok line's why is always the same, so it is left out).
 */
export function planLines(
  plan: Pick<Plan, "actions">,
  style: ViewStyle,
  verbose = false,
): string[] {
  const lines: string[] = [];
  for (let i = 0; i < plan.actions.length; i++) {
    const action = plan.actions[i]!;
    if (isOk(action) && !verbose) continue;
    const [symbol, word] = label(action);
    lines.push(
      `${colorFor(action, style)(`${symbol} ${word.padEnd(8)}`)} ${arrow(action, style)}${detail(action, style)}`,
    );
    if (verbose && !isOk(action))
      lines.push(style.colors.dim(`    why: ${RULE_TEXT[action.rule]}`));
  }
  return lines;
}

/**
 * The hints of the problems, once each after the list: four conflicts with the same remedy
 * give one hint, which says how many it is for.
 */
export function hintLines(
  problems: readonly { op: string; reason?: string | null; hint: string | null; result?: string }[],
  style: ViewStyle,
): string[] {
  const byHint = new Map<string, string[]>();
  for (const p of problems) {
    const what = p.result === "failed" ? "failure" : p.op === "skip" ? (p.reason ?? "skip") : p.op;
    if (p.hint) byHint.set(p.hint, [...(byHint.get(p.hint) ?? []), what]);
  }
  return [...byHint].map(([hint, whats]) => {
    const what = whats.every((w) => w === whats[0]) ? (whats[0] ?? "problem") : "problem";
    const count = whats.length > 1 ? ` (${plural(whats.length, what)})` : "";
    return `${style.colors.cyan("hint")}${count}: ${printable(hint)}`;
  });
}

/** How a skip's reason reads in a summary: the setting that made it. */
const SKIP_WORDS: Record<string, string> = {
  condition: "when",
  "missing-target": "ifMissing: skip",
  conflict: "onConflict: skip",
  "no-match": "no match",
};

/** `3 skipped (2 when, 1 ifMissing: skip)`, or nothing when no entry was skipped. */
function skippedPart(skipped: Partial<Record<string, number>>): string {
  // Up to date is "unchanged"; a stale link is not a skip of the manifest's but a leftover.
  const counted = Object.entries(skipped).filter(
    ([reason, n]) => reason !== "up-to-date" && reason !== "stale" && n,
  );
  const total = counted.reduce((sum, [, n]) => sum + (n ?? 0), 0);
  const parts = counted.map(([reason, n]) => `${n} ${SKIP_WORDS[reason] ?? reason}`);
  const stale = skipped.stale ? `, ${skipped.stale} stale` : "";
  return (total ? `, ${total} skipped (${parts.join(", ")})` : "") + stale;
}

/**
 * `Plan: 2 to create, 1 to replace, 0 to remove, 14 unchanged, 1 conflict.`, with adoptions,
 * errors and skips by reason when there are any; `adopt`'s plan counts only adoptions.
 */
export function summaryLine(summary: Summary, command?: string): string {
  const errors = summary.error ? `, ${plural(summary.error, "error")}` : "";
  const skipped = skippedPart(summary.skipped);
  const unchanged = summary.skipped["up-to-date"] ?? 0;
  if (command === "adopt") {
    return `Plan: ${summary.adopt} to adopt${skipped}, ${plural(summary.conflict, "conflict")}${errors}.`;
  }
  const adopt = summary.adopt ? `${summary.adopt} to adopt, ` : "";
  const unfold = summary.unfold ? `${summary.unfold} to unfold, ` : "";
  const takeOver = summary.takeOver ? ` (${summary.takeOver} to take over)` : "";
  const mkdir = summary.mkdir
    ? `${plural(summary.mkdir, "directory", "directories")} to make, `
    : "";
  return (
    `Plan: ${adopt}${unfold}${mkdir}${summary.create} to create, ${summary.replace} to replace, ${summary.remove} to remove, ` +
    `${unchanged} unchanged${takeOver}${skipped}, ${plural(summary.conflict, "conflict")}${errors}.`
  );
}

/** The word of an action done, coloured as `+ created `: made once per report, not per line. */
function doneWords(c: ViewStyle["colors"]): Record<string, string> {
  return {
    adopt: c.green("> adopted "),
    unfold: c.yellow("~ unfolded"),
    create: c.green("+ created "),
    mkdir: c.green("+ made    "),
    replace: c.yellow("~ replaced"),
    remove: c.yellow("- removed "),
  };
}

/**
 * One line per action that was carried out or failed. An indexed loop and each op's word made
 * once: a fresh apply prints 10,000 of these lines, and an iterator, a destructured array and
 * a padded word per line were most of what the report allocated.
 */
export function applyLines(actions: readonly AppliedAction[], style: ViewStyle): string[] {
  const c = style.colors;
  const words = doneWords(c);
  const lines: string[] = [];
  for (let i = 0; i < actions.length; i++) {
    const a = actions[i]!;
    if (a.rule === "take-over") lines.push(`${c.green("= taken over")} ${arrow(a, style)}`);
    if (a.result === "unchanged") continue;
    if (a.result === "failed") {
      lines.push(`${c.red("✗ failed  ")} ${arrow(a, style)}: ${printable(a.error ?? "")}`);
      continue;
    }
    if (a.result === "conflict") {
      lines.push(`${c.red("! changed ")} ${arrow(a, style)}: ${printable(a.error ?? "")}`);
      continue;
    }
    const word = words[a.op] ?? (words.remove as string);
    const moved = a.movedTo
      ? ` (${a.op === "remove" ? "put back" : "backup"}: ${style.showPath(a.movedTo)})`
      : "";
    const previous =
      a.op === "remove" && !a.movedTo && a.restore?.previous
        ? ` (put back the link to ${a.restore.previous})`
        : "";
    const fallback = a.fallback
      ? ` (symlink refused: made a ${a.fallback === "junction" ? "junction" : "hard link"} instead, fallback: auto)`
      : "";
    lines.push(`${word} ${arrow(a, style)}${moved}${previous}${fallback}`);
  }
  return lines;
}

/**
 * `Applied: 2 created, 1 replaced, 0 removed, 14 unchanged, 0 failed.`, with skips by reason
 * (and problems left by --skip-conflicts) when there are any; `adopt` says `Adopted: 1, 0 failed.`
 * Counted in one pass over the actions (it was a filter per op, 9 walks of 10,000 actions).
 */
export function appliedLine(report: ChangeReport): string {
  const done: Record<string, number> = {};
  const skipped: Record<string, number> = {};
  const actions = report.actions;
  for (let i = 0; i < actions.length; i++) {
    const a = actions[i]!;
    if (a.result === "done") done[a.op] = (done[a.op] ?? 0) + 1;
    if (a.result !== "unchanged") continue;
    const why =
      a.op === "skip"
        ? a.reason
        : a.op === "conflict" || a.op === "error"
          ? "--skip-conflicts"
          : "";
    if (why) skipped[why] = (skipped[why] ?? 0) + 1;
  }
  const count = (op: string) => done[op] ?? 0;
  const unchanged = skipped["up-to-date"] ?? 0;
  const rest = `${skippedPart(skipped)}, ${report.failed} failed.`;
  if (report.command === "adopt") return `Adopted: ${count("adopt")}${rest}`;
  const adopted = count("adopt") ? `${count("adopt")} adopted, ` : "";
  const unfolded = count("unfold") ? `${count("unfold")} unfolded, ` : "";
  const takenOver = report.summary.takeOver ? ` (${report.summary.takeOver} taken over)` : "";
  const made = count("mkdir") ? `${plural(count("mkdir"), "directory", "directories")} made, ` : "";
  return (
    `Applied: ${adopted}${unfolded}${made}${count("create")} created, ${count("replace")} replaced, ${count("remove")} removed, ` +
    `${unchanged} unchanged${takenOver}${rest}`
  );
}

/** One line per link: its state, the link and target, and why. */
export function statusLines(statuses: StatusReport["links"], style: ViewStyle): string[] {
  const c = style.colors;
  return statuses.map((action) => {
    const { state } = action;
    const color = state === "ok" ? c.green : state === "skipped" ? c.dim : c.red;
    const why =
      state === "wrong" && action.found.type === "symlink"
        ? ` (points to ${printable(action.found.linkTarget)})`
        : state !== "ok" && state !== "missing" && action.message
          ? ` (${printable(action.message)})`
          : "";
    return `${color(state.padEnd(8))} ${arrow(action, style)}${why}`;
  });
}

/** `Status: 12 ok, 1 missing, 0 wrong, 0 conflict, 0 broken.` (and errors and skipped entries, if any) */
export function statusSummary(statuses: StatusReport["links"]): string {
  const count = (s: string) => statuses.filter((x) => x.state === s).length;
  const parts = ["ok", "missing", "wrong", "conflict", "broken"].map((s) => `${count(s)} ${s}`);
  if (count("error")) parts.push(plural(count("error"), "error"));
  if (count("skipped")) parts.push(`${count("skipped")} skipped`);
  if (count("stale")) parts.push(`${count("stale")} stale`);
  return `Status: ${parts.join(", ")}.`;
}
