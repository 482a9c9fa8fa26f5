import * as z from "zod";
import { zodProblem } from "../diagnostic.js";
import type { Action, Plan } from "./action.js";
import { describeFound, planSchema, sameFound } from "./action.js";

/** A plan saved by `plan --out`: the plan, and the choices it was made with. */
export const savedPlanSchema = planSchema.extend({
  /** The run's choices that decided it: `--force`, `--prune` and the PATHs. */
  choices: z.object({
    force: z.boolean(),
    prune: z.boolean(),
    /** The PATHs the plan was restricted to (absolute), if any. */
    paths: z.array(z.string()).optional(),
  }),
});
/** A plan saved by `plan --out`. */
export type SavedPlan = z.infer<typeof savedPlanSchema>;

/**
 * Reads a plan saved by `plan --out`. It is untrusted input (it may have been edited by
 * hand): it is only ever compared with a plan made afresh, never carried out as written.
 */
export function readSavedPlan(
  text: string,
): { ok: true; plan: SavedPlan } | { ok: false; problem: string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return {
      ok: false,
      problem: `is not JSON (${error instanceof Error ? error.message : String(error)})`,
    };
  }
  const parsed = savedPlanSchema.safeParse(json);
  if (!parsed.success) {
    return {
      ok: false,
      problem: `is not a plan saved by \`linkman plan --out\` (${zodProblem(parsed.error)})`,
    };
  }
  return { ok: true, plan: parsed.data };
}

/** A saved action that the plan made today does not repeat: what was saved, and why it differs. */
export interface StaleAction {
  link: string;
  why: string;
}

/**
 * Compares a saved plan with the plan made now from the manifest and today's disk (SPEC
 * rule 9: a saved plan is re-decided). Every saved action must be made again exactly (the
 * same op, kind, target, link text, backup and what was found), and the plan made now must
 * hold nothing the saved one did not: otherwise that action is stale.
 */
export function staleActions(saved: Plan, now: Plan): StaleAction[] {
  const fresh = new Map(now.actions.map((a) => [a.link, a]));
  const stale: StaleAction[] = [];
  for (const was of saved.actions) {
    const is = fresh.get(was.link);
    fresh.delete(was.link);
    const why = is ? difference(was, is) : "the manifest no longer plans anything for it";
    if (why) stale.push({ link: was.link, why });
  }
  for (const is of fresh.values()) {
    if (is.op !== "skip") stale.push({ link: is.link, why: `the plan made now would ${is.op} it` });
  }
  return stale;
}

function difference(was: Action, is: Action): string | undefined {
  if (!sameFound(was.found, is.found)) {
    const then = describeFound(was.found, { detail: true });
    return `the plan found ${then}, now there is ${describeFound(is.found, { detail: true })}`;
  }
  if (was.op !== is.op) return `the plan said ${was.op}, a plan made now says ${is.op}`;
  if (was.kind !== is.kind || was.target !== is.target) return "its entry changed";
  if (was.backup !== is.backup) return "its backup name is taken now";
  const recipe = (a: Action) => ("recipe" in a ? JSON.stringify(a.recipe) : "");
  if (recipe(was) !== recipe(is)) return "the link it would make changed";
  const restore = (a: Action) => (a.op === "remove" ? JSON.stringify(a.restore) : "");
  if (restore(was) !== restore(is)) return "what it would put back changed";
  return undefined;
}
