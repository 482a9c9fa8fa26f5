import type { Action, Plan } from "./action.js";

/** An entry's state: as it should be, or one of the kinds of drift. `skipped`: its `when` does not hold. */
export type LinkState = "ok" | "missing" | "wrong" | "conflict" | "broken" | "error" | "skipped";

/** One link's state, with the action that would fix it. */
export interface LinkStatus {
  state: LinkState;
  action: Action;
}

/** The state of each link, read off the plan that would bring it into line. */
export function statusOf(plan: Plan): LinkStatus[] {
  return plan.actions.map((action) => ({ state: stateOf(action), action }));
}

/** Whether any link is not as the manifest wants (skipped entries are not drift). */
export function hasDrift(statuses: readonly LinkStatus[]): boolean {
  return statuses.some((s) => s.state !== "ok" && s.state !== "skipped");
}

function stateOf(action: Action): LinkState {
  switch (action.rule) {
    case "condition":
      return "skipped";
    case "desired-link":
    case "fallback-link":
      return "ok";
    case "missing-target":
      return "broken";
    case "nothing-there":
      return action.op === "create" ? "missing" : "error";
    case "link-elsewhere":
    case "same-bytes":
      return "wrong";
    case "in-the-way":
      return "conflict";
    default:
      return "error";
  }
}
