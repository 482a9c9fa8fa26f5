import type { Action, AppliedAction, Plan } from "../engine/action.js";
import { isBlocked } from "../engine/action.js";
import { applyPlan, refusedResult, unchangedResult, type ApplyResult } from "../engine/apply.js";
import { runToken } from "../engine/temporaries.js";
import { tidiedNotice, tidyDirectories, unusedDirectories } from "../engine/tidyDirectories.js";
import { errorCode } from "../fs/fileSystem.js";
import type { Context } from "./context.js";
import { changesAnything, finalState, pendingState } from "./record.js";
import { refusal, type ChangeReport } from "./report.js";
import type { HeldState } from "./stateAccess.js";
import { isoTime } from "../isoTime.js";

/** How a plan is applied: the command it is for, and the run's choices. */
export interface RecordedApplyOptions {
  command: ChangeReport["command"];
  /** `--skip-conflicts`: apply the rest of a plan that holds conflicts or errors. */
  skipConflicts?: boolean | undefined;
  /** Remove the directories linkman made that are left empty (unlink, prune). */
  tidy?: boolean;
  /** Directories the manifest lists, which tidying keeps even when empty. */
  keepDirectories?: readonly string[];
  /** Called after each action with how many are done, for a progress indicator. */
  onProgress?: ((done: number, total: number) => void) | undefined;
}

/**
 * Applies a plan under the manifest's lock and keeps the state in step (the state
 * protocol): leftovers of a killed run are swept, the links about to be made are recorded
 * before the first write, what really happened after the last. A plan with a conflict or
 * an error changes nothing (unless skipConflicts); a plan that changes nothing writes nothing.
 */
export async function applyRecorded(
  ctx: Context,
  plan: Plan,
  held: HeldState,
  options: RecordedApplyOptions,
): Promise<ChangeReport> {
  const report = (applied: ApplyResult, extra: Partial<ChangeReport> = {}): ChangeReport => ({
    version: 1,
    command: options.command,
    manifest: plan.manifest,
    stateFile: held.file,
    dryRun: false,
    refused: null,
    actions: applied.actions,
    summary: plan.summary,
    failed: applied.failed,
    notices: [...held.notices, ...(extra.notices ?? [])],
    ...(extra.refused !== undefined ? { refused: extra.refused } : {}),
  });
  if (isBlocked(plan) && !options.skipConflicts) {
    const n = plan.summary.conflict + plan.summary.error;
    const what = [
      plan.summary.conflict ? plural(plan.summary.conflict, "conflict") : "",
      plan.summary.error ? plural(plan.summary.error, "error") : "",
    ]
      .filter(Boolean)
      .join(" and ");
    return report(refusedResult(plan), {
      refused: refusal(
        "blocked",
        `nothing was applied: the plan holds ${what}`,
        `Resolve ${n === 1 ? "it" : "them"}, or pass --skip-conflicts to apply the rest.`,
      ),
    });
  }

  const state = held.split.trusted;
  const interrupted = state.applying;
  const mayTidy =
    options.tidy === true && unusedDirectories(state, options.keepDirectories).length > 0;
  if (!changesAnything(plan.actions, state) && !interrupted && !mayTidy) {
    // The plan is this run's own and not used after: its actions become the report's.
    const notices = leftAloneNotices(plan.actions);
    return report(unchangedResult(plan), { notices });
  }
  const notices: string[] = [];
  const now = isoTime();
  const cannotSave = (error: unknown) =>
    `the state file ${held.file} could not be written (${errorCode(error) ?? String(error)})`;
  const token = runToken();
  const pending = pendingState(state, plan.actions, now, token);
  try {
    await held.save(pending);
  } catch (error) {
    return report(refusedResult(plan), {
      notices,
      refused: refusal("state-unwritable", `${cannotSave(error)}; nothing was applied`, null),
    });
  }
  const applied = await applyPlan(plan, {
    fs: ctx.fs,
    platform: ctx.platform,
    skipConflicts: options.skipConflicts ?? false,
    roots: held.roots,
    token,
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
  let after = finalState(state, applied, now, pending);
  notices.push(...backupNotices(applied.actions), ...leftAloneNotices(applied.actions));
  if (options.tidy) {
    const keep = options.keepDirectories ?? [];
    const tidied = await tidyDirectories(ctx.fs, after, held.roots, ctx.platform, keep);
    after = tidied.state;
    if (tidied.removed.length > 0) notices.push(tidiedNotice(tidied.removed, ctx));
  }
  try {
    await held.save(after);
  } catch (error) {
    notices.push(
      `${cannotSave(error)} after applying: it still lists the links linkman was about to make, so unlink and prune stay safe; run the command again once there is room`,
    );
    return { ...report(applied, { notices }), failed: applied.failed + 1 };
  }
  return report(applied, { notices });
}

// Plain indexed loops, not flatMap or for-of: flatMap's empty array per action is one object per
// link (10,000 of them on a no-op, which has no notice to give), for-of's step another.

/** One sentence per file or directory moved aside, saying where it is and how to undo it. */
function backupNotices(actions: readonly AppliedAction[]): string[] {
  const notices: string[] = [];
  for (let i = 0; i < actions.length; i++) {
    const a = actions[i]!;
    if (a.op === "replace" && a.result === "done" && a.movedTo)
      notices.push(
        `moved what was at ${a.link} to ${a.movedTo}; \`linkman unlink --restore\` puts it back`,
      );
  }
  return notices;
}

/** One sentence per recorded link that unlink or prune left because it is no longer linkman's to remove. */
function leftAloneNotices(actions: readonly Action[]): string[] {
  const notices: string[] = [];
  for (let i = 0; i < actions.length; i++) {
    const a = actions[i]!;
    if (a.op === "skip" && (a.rule === "changed-since" || a.rule === "last-name"))
      notices.push(`left ${a.link} in place: ${a.message ?? "it is no longer linkman's"}`);
  }
  return notices;
}

const plural = (n: number, one: string) => `${n} ${n === 1 ? one : `${one}s`}`;
