import type { Plan } from "../engine/action.js";
import { summarize } from "../engine/action.js";
import { planJson } from "../engine/planJson.js";
import { planRemovals } from "../engine/removals.js";
import { ExitCode } from "../exitCode.js";
import { readOnly } from "../fs/wrappers.js";
import type { LinkRecord, State } from "../state/state.js";
import { applyWithState } from "./changes.js";
import type { Output } from "./output.js";
import { printPlan, type EngineOptions } from "./planning.js";
import { readStateFor, withLockedState } from "./session.js";

/**
 * Removes the recorded links that `select` picks (all of them for `unlink`, the unlisted
 * ones for `prune`), each only if it is still exactly as linkman left it, then removes the
 * directories linkman made that are left empty. `--dry-run` prints the plan only.
 */
export async function removeLinks(
  out: Output,
  manifest: string,
  select: (state: State) => LinkRecord[],
): Promise<ExitCode> {
  const { fs } = out.io;
  const options = out.options as EngineOptions;
  const planOf = async (state: State): Promise<Plan> => {
    const actions = await planRemovals(
      select(state),
      readOnly(fs),
      options.restore ?? false,
      out.io.platform,
    );
    return { version: 1, manifest, actions, summary: summarize(actions) };
  };
  if (options.dryRun) {
    const state = await readStateFor(out, manifest);
    if (!state) return ExitCode.failure;
    const plan = await planOf(state);
    if (out.options.json) out.json(planJson(plan));
    else printPlan(out, plan);
    return ExitCode.ok;
  }
  return withLockedState(out, manifest, async (session) => {
    const plan = await planOf(session.state);
    if (plan.actions.length === 0 && !out.options.json) {
      out.info("linkman has no links to remove for this manifest.");
    }
    return applyWithState(out, plan, session, { tidy: true });
  });
}
