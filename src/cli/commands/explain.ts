import { describeFound } from "../../engine/action.js";
import { ExitCode } from "../../exitCode.js";
import { explain } from "../../session/explain.js";
import { userPath } from "../io.js";
import type { Output } from "../output.js";

/**
 * `linkman explain LINK`: for one link path (or a path `directories` lists), the entry that
 * wants it (and where it is written), what was found there, and the decision with the rule
 * behind it.
 */
export async function explainCommand(out: Output, args: readonly string[]): Promise<ExitCode> {
  const [asked] = args;
  if (!asked) {
    out.error("name the link to explain, such as `linkman explain ~/.vimrc`");
    return ExitCode.invalid;
  }
  const result = await explain(out.io, { ...out.choice, link: userPath(out.io, asked) });
  return out.report(
    result,
    ({ desired, action, why, notices }) => {
      const messages = notices.map((n) => ({ level: "info" as const, text: `note: ${n}` }));
      const where = `${out.showPath(desired.place.file)}:${desired.place.line}:${desired.place.column}`;
      const decision = `decision  ${action.op}${action.reason ? ` (${action.reason})` : ""}${action.message ? `: ${action.message}` : ""}`;
      const hint = action.hint ? [`hint      ${action.hint}`] : [];
      if (desired.kind === "directory") {
        const lines = [
          `path      ${out.showPath(action.link)}`,
          `entry     ${where} (${desired.place.path})`,
          "wants     a directory",
          `found     ${describeFound(action.found)}`,
          decision,
          `why       ${why}`,
          ...hint,
        ];
        return { out: lines, messages };
      }
      const o = desired.options;
      const lines = [
        `link      ${out.showPath(action.link)}`,
        `entry     ${where} (${desired.place.path})`,
        `wants     a ${desired.kind} to ${out.showPath(desired.target)} (${desired.targetType})`,
        `options   relative: ${o.relative}, mkdirs: ${o.mkdirs}, onConflict: ${o.onConflict}, ifMissing: ${o.ifMissing}, fallback: ${o.fallback}`,
        `found     ${describeFound(action.found)}`,
        decision,
        `why       ${why}`,
        ...hint,
      ];
      return { out: lines, messages };
    },
    ({ action }) =>
      action.op === "conflict" || action.op === "error" ? ExitCode.failure : ExitCode.ok,
  );
}
