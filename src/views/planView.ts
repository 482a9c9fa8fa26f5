import type { Action, AppliedAction, Plan, Summary } from "../engine/action.js";
import { RULE_TEXT } from "../engine/rules.js";
import type { ChangeReport, StatusReport } from "../session/report.js";
import { printable, showPath } from "../display.js";

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
    showPath: (p) => showPath(p, where),
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
    case "remove":
      return ["-", "remove"];
    case "conflict":
      return ["!", "conflict"];
    case "error":
      return ["!", "error"];
    case "skip":
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
  if (
    (action.op === "skip" && action.reason !== "up-to-date") ||
    action.op === "conflict" ||
    action.op === "error"
  ) {
    return action.message ? `: ${printable(action.message)}` : "";
  }
  return "";
}

/** One line per action, like `+ create  ~/.vimrc → ~/dotfiles/vim/vimrc`, hints under problems; with `verbose`, why each is what it is. */
export function planLines(plan: Plan, style: ViewStyle, verbose = false): string[] {
  const lines: string[] = [];
  for (const action of plan.actions) {
    const [symbol, word] = label(action);
    lines.push(
      `${colorFor(action, style)(`${symbol} ${word.padEnd(8)}`)} ${arrow(action, style)}${detail(action, style)}`,
    );
    if (action.hint && (action.op === "conflict" || action.op === "error")) {
      lines.push(`    ${style.colors.cyan("hint")}: ${printable(action.hint)}`);
    }
    if (verbose) lines.push(style.colors.dim(`    why: ${RULE_TEXT[action.rule]}`));
  }
  return lines;
}

/** `Plan: 2 to create, 1 to replace, 0 to remove, 14 unchanged, 1 conflict.` (and adoptions and errors, if any). */
export function summaryLine(summary: Summary): string {
  const errors = summary.error ? `, ${plural(summary.error, "error")}` : "";
  const adopt = summary.adopt ? `${summary.adopt} to adopt, ` : "";
  const mkdir = summary.mkdir
    ? `${plural(summary.mkdir, "directory", "directories")} to make, `
    : "";
  return (
    `Plan: ${adopt}${mkdir}${summary.create} to create, ${summary.replace} to replace, ${summary.remove} to remove, ` +
    `${summary.skip} unchanged, ${plural(summary.conflict, "conflict")}${errors}.`
  );
}

/** One line per action that was carried out or failed. */
export function applyLines(actions: readonly AppliedAction[], style: ViewStyle): string[] {
  const c = style.colors;
  const lines: string[] = [];
  for (const a of actions) {
    if (a.result === "unchanged") continue;
    if (a.result === "failed") {
      lines.push(`${c.red("✗ failed  ")} ${arrow(a, style)}: ${printable(a.error ?? "")}`);
      if (a.hint) lines.push(`    ${c.cyan("hint")}: ${printable(a.hint)}`);
      continue;
    }
    if (a.result === "conflict") {
      lines.push(`${c.red("! changed ")} ${arrow(a, style)}: ${printable(a.error ?? "")}`);
      continue;
    }
    const [symbol, word, color] =
      a.op === "adopt"
        ? [">", "adopted", c.green]
        : a.op === "create"
          ? ["+", "created", c.green]
          : a.op === "mkdir"
            ? ["+", "made", c.green]
            : a.op === "replace"
              ? ["~", "replaced", c.yellow]
              : ["-", "removed", c.yellow];
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
    lines.push(
      `${color(`${symbol} ${word.padEnd(8)}`)} ${arrow(a, style)}${moved}${previous}${fallback}`,
    );
  }
  return lines;
}

/** `Applied: 2 created, 1 replaced, 0 removed, 14 unchanged, 0 failed.` (and adoptions, if any). */
export function appliedLine(report: ChangeReport): string {
  const count = (op: string) =>
    report.actions.filter((a) => a.result === "done" && a.op === op).length;
  const unchangedCount = report.actions.filter((a) => a.result === "unchanged").length;
  const adopted = count("adopt") ? `${count("adopt")} adopted, ` : "";
  const made = count("mkdir") ? `${plural(count("mkdir"), "directory", "directories")} made, ` : "";
  return (
    `Applied: ${adopted}${made}${count("create")} created, ${count("replace")} replaced, ${count("remove")} removed, ` +
    `${unchangedCount} unchanged, ${report.failed} failed.`
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

/** `Status: 12 ok, 1 missing, 0 wrong, 0 conflict, 0 broken.` */
export function statusSummary(statuses: StatusReport["links"]): string {
  const count = (s: string) => statuses.filter((x) => x.state === s).length;
  const parts = ["ok", "missing", "wrong", "conflict", "broken"].map((s) => `${count(s)} ${s}`);
  if (count("error")) parts.push(plural(count("error"), "error"));
  if (count("skipped")) parts.push(`${count("skipped")} skipped`);
  return `Status: ${parts.join(", ")}.`;
}
