import type { Plan } from "../engine/action.js";
import { isBlocked } from "../engine/action.js";
import { applyPlan, refusedResult, type ApplyResult } from "../engine/apply.js";
import { rootsFor } from "../engine/plan.js";
import { runToken, sweepTemporaries } from "../engine/temporaries.js";
import { tidyDirectories } from "../engine/tidyDirectories.js";
import { ExitCode } from "../exitCode.js";
import { errorCode } from "../fs/fileSystem.js";
import { finalState, pendingState } from "../state/update.js";
import type { Output } from "./output.js";
import type { EngineOptions } from "./planning.js";
import { printPlan } from "./planning.js";
import { progressReporter } from "./progress.js";
import type { Session } from "./session.js";
import { applyJson, appliedLine, applyLines, planLines } from "./views/planView.js";

/** Whether applying a plan changes the disk or the state at all. */
const changesAnything = (plan: Plan) =>
  plan.actions.some(
    (a) =>
      a.op === "create" || a.op === "replace" || a.op === "remove" || a.rule === "already-gone",
  );

/**
 * Applies a plan under the manifest's lock and keeps the state in step: the links about to
 * be made are recorded before the first write, what really happened after the last. A plan
 * with a conflict or an error changes nothing (unless --skip-conflicts); a plan that
 * changes nothing writes nothing.
 */
export async function applyWithState(
  out: Output,
  plan: Plan,
  session: Session,
  options: { tidy?: boolean; showSkips?: boolean } = {},
): Promise<ExitCode> {
  const { fs } = out.io;
  const skipConflicts = (out.options as EngineOptions).skipConflicts ?? false;
  if (isBlocked(plan) && !skipConflicts) {
    if (out.options.json) out.json(applyJson(plan, refusedResult(plan)));
    else printPlan(out, plan);
    const n = plan.summary.conflict + plan.summary.error;
    out.error(
      `nothing was applied: the plan holds ${n === 1 ? "a conflict or error" : `${n} conflicts or errors`} (see above). ` +
        "Resolve them, or pass --skip-conflicts to apply the rest.",
    );
    return ExitCode.failure;
  }

  let applied: ApplyResult | undefined;
  let saved = true;
  const interrupted = session.state.applying;
  if (changesAnything(plan) || interrupted) {
    const now = new Date().toISOString();
    const cannotSave = (error: unknown) =>
      `the state file ${session.stateFile} could not be written (${errorCode(error) ?? String(error)})`;
    if (interrupted) {
      const links = session.state.links.map((r) => r.link);
      const swept = await sweepTemporaries(fs, out.io.platform, links, interrupted);
      if (swept.length > 0) {
        out.info(
          `Removed ${swept.length} temporary link${swept.length === 1 ? "" : "s"} an interrupted run left: ${swept.map((p) => out.showPath(p)).join(", ")}`,
        );
      }
    }
    const token = runToken();
    try {
      await session.save(pendingState(session.state, plan.actions, now, token));
    } catch (error) {
      out.error(`${cannotSave(error)}; nothing was applied`);
      return ExitCode.failure;
    }
    const roots = await rootsFor(fs, {
      homedir: out.io.homedir,
      manifest: plan.manifest,
      allowOutside: (out.options as EngineOptions).allowOutside,
    });
    const onProgress = progressReporter(out);
    applied = await applyPlan(plan, {
      fs,
      platform: out.io.platform,
      skipConflicts,
      roots,
      token,
      ...(onProgress ? { onProgress } : {}),
    });
    let state = finalState(session.state, applied, now);
    if (options.tidy) state = (await tidyDirectories(fs, state)).state;
    try {
      await session.save(state);
    } catch (error) {
      saved = false;
      out.error(
        `${cannotSave(error)} after applying: it still lists the links linkman was about to make, so unlink and prune stay safe; run the command again once there is room`,
      );
    }
  }

  if (out.options.json) {
    out.json(applyJson(plan, applied ?? { ...refusedResult(plan), refused: false }));
  } else {
    const shown = (a: Plan["actions"][number]) =>
      a.op === "conflict" || a.op === "error" || (options.showSkips === true && a.op === "skip");
    for (const line of planLines({ ...plan, actions: plan.actions.filter(shown) }, out.style))
      out.out(line);
    if (applied) {
      const reported = out.options.quiet
        ? { ...applied, actions: applied.actions.filter((a) => a.result === "failed") }
        : applied;
      for (const line of applyLines(reported, out.style)) out.out(line);
    }
    if (!out.options.quiet) out.out(appliedLine(applied ?? plan));
  }
  if (!saved) return ExitCode.failure;
  if (applied && applied.failed > 0) {
    out.error(
      `${applied.failed} ${applied.failed === 1 ? "operation" : "operations"} failed; run the command again once the cause is fixed.`,
    );
    return ExitCode.failure;
  }
  return ExitCode.ok;
}
