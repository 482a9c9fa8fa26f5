import type { Action, Found, Plan } from "./action.js";

/** What was found, as SPEC.md's JSON shows it: the type, and a link's text. */
export function foundJson(found: Found): { type: Found["type"]; linkTarget?: string } {
  return found.type === "symlink" || found.type === "junction"
    ? { type: found.type, linkTarget: found.linkTarget }
    : { type: found.type };
}

/** One action as SPEC.md's JSON shows it, plus `message`. */
export function actionJson(action: Action) {
  return {
    op: action.op,
    kind: action.kind,
    link: action.link,
    target: action.target,
    reason: action.reason,
    backup: action.backup,
    found: foundJson(action.found),
    message: action.message,
  };
}

/** The plan as SPEC.md's JSON: version, manifest, actions and summary. */
export function planJson(plan: Plan) {
  return {
    version: plan.version,
    manifest: plan.manifest,
    actions: plan.actions.map(actionJson),
    summary: plan.summary,
  };
}
