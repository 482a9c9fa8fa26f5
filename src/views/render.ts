import type { Plan } from "../engine/action.js";
import type { ChangeReport, PlanReport, StatusReport } from "../session/report.js";
import {
  applyLines,
  appliedLine,
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

/** How much to show: `quiet` only problems, `verbose` also why. */
export interface RenderOptions {
  quiet?: boolean | undefined;
  verbose?: boolean | undefined;
}

const info = (text: string): Message => ({ level: "info", text });
const error = (text: string): Message => ({ level: "error", text });

/** A plan: every action (only problems when quiet), then the summary. */
export function renderPlan(
  plan: Plan | PlanReport,
  style: ViewStyle,
  options: RenderOptions = {},
): Rendered {
  const shown = options.quiet
    ? { ...plan, actions: plan.actions.filter((a) => a.op === "conflict" || a.op === "error") }
    : plan;
  const out = planLines(shown, style, options.verbose);
  if (!options.quiet) out.push(summaryLine(plan.summary));
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
          ? renderPlan(plan, style, options).out
          : [];
    const hint = refused.hint ? [info(refused.hint)] : [];
    return { out, messages: [...notices, error(refused.message), ...hint] };
  }
  if (report.dryRun) {
    const shown = renderPlan(plan, style, options);
    return { out: shown.out, messages: [...notices, ...shown.messages] };
  }
  if (report.actions.length === 0) {
    const none =
      report.command === "adopt"
        ? "Nothing to adopt: no entry's link path holds a real file or directory without a target."
        : "linkman has no links to remove for this manifest.";
    return { out: [], messages: [...notices, info(none)] };
  }
  const problems = report.actions.filter(
    (a) =>
      a.op === "conflict" ||
      a.op === "error" ||
      (report.command === "adopt" && a.op === "skip" && a.reason !== "up-to-date"),
  );
  const reported = options.quiet
    ? report.actions.filter((a) => a.result === "failed" || a.result === "conflict")
    : report.actions;
  const out = [...planLines({ ...plan, actions: problems }, style), ...applyLines(reported, style)];
  if (!options.quiet) out.push(appliedLine(report));
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
  return report.actions.flatMap((a) =>
    a.result === "done" && a.movedTo
      ? [
          {
            level: "notice" as const,
            text: `linkman moved your ${style.showPath(a.link)} to ${style.showPath(a.movedTo)} to put a link there; to put it back: ${undo}`,
          },
        ]
      : [],
  );
}

/** Each entry's state (only drift when quiet), whether linkman made it, then the counts. */
export function renderStatus(
  report: StatusReport,
  style: ViewStyle,
  options: RenderOptions = {},
): Rendered {
  const shown = options.quiet
    ? report.links.filter((s) => s.state !== "ok" && s.state !== "skipped")
    : report.links;
  const lines = statusLines(shown, style);
  const knowsState = report.stateFile !== "";
  const out = shown.map((s, i) => {
    const note =
      s.state === "ok" && knowsState && !s.madeByLinkman
        ? style.colors.dim(" (not made by linkman; apply takes it over)")
        : s.takenOver
          ? style.colors.dim(" (taken over)")
          : "";
    const hint =
      s.state === "stale" && s.hint ? `\n    ${style.colors.cyan("hint")}: ${s.hint}` : "";
    return `${lines[i] ?? ""}${note}${hint}`;
  });
  if (!options.quiet) out.push(statusSummary(report.links));
  return { out, messages: report.notices.map((n) => info(`warning: ${n}`)) };
}

/** A rendered value as one text, stdout's lines then stderr's, for a script that prints it. */
export function renderedText(rendered: Rendered): string {
  return [
    ...rendered.out,
    ...rendered.messages.map((m) => (m.level === "error" ? `error: ${m.text}` : m.text)),
  ].join("\n");
}
