import type { AppliedAction, Plan } from "../engine/action.js";
import type { ChangeReport, PlanReport, StatusReport } from "../session/report.js";
import {
  applyLines,
  appliedLine,
  hintLines,
  isOk,
  planLines,
  statusLines,
  statusSummary,
  summaryLine,
  type ViewStyle,
} from "./planView.js";

/**
 * A message beside the result: an error (never silenced), information (silenced by --quiet),
 * or a notice of what happened to the user's files (never silenced).
 */
export interface Message {
  level: "error" | "info" | "notice";
  text: string;
}

/** A value shown as a person reads it: lines for stdout, messages for stderr. */
export interface Rendered {
  out: string[];
  messages: Message[];
}

/**
 * How much to show. By default what changes or is wrong, one line each, the hints once each,
 * then the summary. `verbose` adds the entries already as they should be and why each line
 * is what it is. `quiet` shows only the problems (conflicts, errors, failures) with their
 * hints and, when there is one, the summary; nothing at all when everything is fine.
 */
export interface RenderOptions {
  quiet?: boolean | undefined;
  verbose?: boolean | undefined;
}

const info = (text: string): Message => ({ level: "info", text });
const error = (text: string): Message => ({ level: "error", text });

const isProblem = (a: { op: string }) => a.op === "conflict" || a.op === "error";
/** What gets a hint after the list: the problems, and links left stale (prune removes them). */
const needsHint = (a: { op: string; reason?: string | null }) =>
  isProblem(a) || (a.op === "skip" && a.reason === "stale");

/** A plan: what changes or is wrong (only problems when quiet), the hints, then the summary. */
export function renderPlan(
  plan: Plan | PlanReport,
  style: ViewStyle,
  options: RenderOptions & { command?: string } = {},
): Rendered {
  const problems = plan.actions.filter(isProblem);
  const shown = options.quiet ? problems : plan.actions;
  const out = [
    ...planLines({ actions: shown }, style, options.verbose),
    ...hintLines(plan.actions.filter(needsHint), style),
  ];
  if (!options.quiet || problems.length > 0) out.push(summaryLine(plan.summary, options.command));
  const notices = "notices" in plan ? plan.notices.map((n) => info(`note: ${n}`)) : [];
  return { out, messages: notices };
}

/** What `apply`, `unlink`, `prune` or `adopt` did, or why it did nothing. */
export function renderChange(
  report: ChangeReport,
  style: ViewStyle,
  options: RenderOptions = {},
): Rendered {
  const plan = { ...report, version: 1 as const };
  const notices = report.notices.map((n) => info(`note: ${n}`));
  const refused = report.refused;
  if (refused) {
    const out =
      refused.reason === "stale-plan"
        ? refused.stale.map(
            (s) => `${style.colors.red("! stale   ")} ${style.showPath(s.link)}: ${s.why}`,
          )
        : refused.reason === "blocked"
          ? renderPlan(plan, style, { ...options, command: report.command }).out
          : [];
    const hint = refused.hint ? [info(refused.hint)] : [];
    return { out, messages: [...notices, error(refused.message), ...hint] };
  }
  // A dry run is shown as its plan, whose messages are the report's notices already.
  if (report.dryRun) return renderPlan(plan, style, { ...options, command: report.command });
  if (report.actions.length === 0) {
    const none =
      report.command === "adopt"
        ? "Nothing to adopt: no entry's link path holds a real file or directory without a target."
        : "linkman has no links to remove for this manifest.";
    return { out: [], messages: [...notices, info(none)] };
  }
  // What was not carried out and why (problems, skips; the ok entries with --verbose), then
  // what was, gathered in one pass; the ok entries are not gathered unless shown (a no-op's
  // are all 10,000 of its actions).
  const planned: AppliedAction[] = [];
  const failures: AppliedAction[] = [];
  const notDone: AppliedAction[] = [];
  const actions = report.actions;
  for (let i = 0; i < actions.length; i++) {
    const a = actions[i]!;
    if (isProblem(a)) planned.push(a);
    if (a.result === "failed" || a.result === "conflict") failures.push(a);
    if (!options.quiet && (isProblem(a) || (a.op === "skip" && (options.verbose || !isOk(a)))))
      notDone.push(a);
  }
  const problems = [...planned, ...failures];
  // concat, not spread: a spread steps through 10,000 lines one iterator result at a time.
  const out = options.quiet
    ? planLines({ actions: planned }, style).concat(applyLines(failures, style))
    : planLines({ actions: notDone }, style, options.verbose).concat(applyLines(actions, style));
  out.push(...hintLines(problems, style));
  if (!options.quiet || problems.length > 0) out.push(appliedLine(report));
  const messages = [...notices, ...backupNotices(report, style)];
  if (report.failed > 0) {
    messages.push(
      error(
        `${report.failed} ${report.failed === 1 ? "operation" : "operations"} failed; run the command again once the cause is fixed.`,
      ),
    );
  }
  return { out, messages };
}

/** One line per file moved to a backup, said even with --quiet: where it went and how to undo it. */
function backupNotices(report: ChangeReport, style: ViewStyle): Message[] {
  const undo = `npx linkman -c ${style.showPath(report.manifest)} unlink --restore`;
  // A plain loop: flatMap made an empty array per action (10,000 on a no-op, which moves nothing).
  const notices: Message[] = [];
  for (let i = 0; i < report.actions.length; i++) {
    const a = report.actions[i]!;
    if (a.result === "done" && a.movedTo)
      notices.push({
        level: "notice",
        text: `linkman moved your ${style.showPath(a.link)} to ${style.showPath(a.movedTo)} to put a link there; to put it back: ${undo}`,
      });
  }
  return notices;
}

/** Each entry that is not ok (all with --verbose; only drift when quiet), the hints, then the counts. */
export function renderStatus(
  report: StatusReport,
  style: ViewStyle,
  options: RenderOptions = {},
): Rendered {
  const drift = report.links.filter((s) => s.state !== "ok" && s.state !== "skipped");
  const shown = options.quiet
    ? drift
    : options.verbose
      ? report.links
      : report.links.filter((s) => s.state !== "ok");
  const lines = statusLines(shown, style);
  const knowsState = report.stateFile !== "";
  const out = shown.map((s, i) => {
    const note =
      s.state === "ok" && knowsState && !s.madeByLinkman
        ? style.colors.dim(" (not made by linkman; apply takes it over)")
        : s.takenOver
          ? style.colors.dim(" (taken over)")
          : "";
    return `${lines[i] ?? ""}${note}`;
  });
  out.push(...hintLines(drift, style));
  if (!options.quiet || drift.length > 0) out.push(statusSummary(report.links));
  return { out, messages: report.notices.map((n) => info(`warning: ${n}`)) };
}

/** A rendered value as one text, stdout's lines then stderr's, for a script that prints it. */
export function renderedText(rendered: Rendered): string {
  return [
    ...rendered.out,
    ...rendered.messages.map((m) => (m.level === "error" ? `error: ${m.text}` : m.text)),
  ].join("\n");
}
