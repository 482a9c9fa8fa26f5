import { describeFound } from "../../engine/action.js";
import { foundJson } from "../../engine/planJson.js";
import { RULE_TEXT } from "../../engine/rules.js";
import { ExitCode } from "../../exitCode.js";
import { pathKey } from "../../platform.js";
import { userPath } from "../io.js";
import type { Output } from "../output.js";
import { loadOrReport, planFor } from "../planning.js";

/**
 * `linkman explain LINK`: for one link path, the entry that wants it (and where it is
 * written), what was found there, and the decision with the rule behind it.
 */
export async function explainCommand(out: Output, args: readonly string[]): Promise<ExitCode> {
  const [asked] = args;
  if (!asked) {
    out.error("name the link to explain, such as `linkman explain ~/.vimrc`");
    return ExitCode.invalid;
  }
  const link = userPath(out.io, asked);
  const loaded = await loadOrReport(out);
  if (!loaded) return ExitCode.invalid;
  const desired = loaded.links.find(
    (l) => pathKey(l.link, out.io.platform) === pathKey(link, out.io.platform),
  );
  if (!desired) {
    out.error(`${out.showPath(link)} is not the link of any entry in ${out.showPath(loaded.file)}`);
    return ExitCode.invalid;
  }
  const plan = await planFor(out, { ...loaded, links: [desired] });
  const action = plan.actions[0];
  if (!action) return ExitCode.failure;
  const where = `${out.showPath(desired.place.file)}:${desired.place.line}:${desired.place.column}`;

  if (out.options.json) {
    out.json({
      link: desired.link,
      entry: {
        file: desired.place.file,
        line: desired.place.line,
        column: desired.place.column,
        path: desired.place.path,
      },
      desired: {
        kind: desired.kind,
        target: desired.target,
        targetType: desired.targetType,
        options: desired.options,
      },
      found: foundJson(action.found),
      decision: {
        op: action.op,
        reason: action.reason,
        rule: action.rule,
        why: RULE_TEXT[action.rule],
        message: action.message,
        hint: action.hint,
      },
    });
  } else {
    const o = desired.options;
    out.out(`link      ${out.showPath(desired.link)}`);
    out.out(`entry     ${where} (${desired.place.path})`);
    out.out(
      `wants     a ${desired.kind} to ${out.showPath(desired.target)} (${desired.targetType})`,
    );
    out.out(
      `options   relative: ${o.relative}, mkdirs: ${o.mkdirs}, onConflict: ${o.onConflict}, ifMissing: ${o.ifMissing}, fallback: ${o.fallback}`,
    );
    out.out(`found     ${describeFound(action.found)}`);
    out.out(
      `decision  ${action.op}${action.reason ? ` (${action.reason})` : ""}${action.message ? `: ${action.message}` : ""}`,
    );
    out.out(`why       ${RULE_TEXT[action.rule]}`);
    if (action.hint) out.out(`hint      ${action.hint}`);
  }
  return action.op === "conflict" || action.op === "error" ? ExitCode.failure : ExitCode.ok;
}
