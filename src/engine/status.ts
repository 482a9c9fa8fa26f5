import type { Action } from "./action.js";

/**
 * An entry's state: as it should be, or one of the kinds of drift. `skipped`: its `when` does
 * not hold; `stale`: a link linkman made that the manifest no longer lists.
 */
export type LinkState =
  "ok" | "missing" | "wrong" | "conflict" | "broken" | "error" | "skipped" | "stale";

/** The state of a link or a listed directory, read off the action that would bring it into line. */
export function stateOf(action: Action): LinkState {
  switch (action.rule) {
    case "condition":
    case "no-match":
      return "skipped";
    case "desired-link":
    case "fallback-link":
    case "take-over":
    case "directory-there":
      return "ok";
    case "directory-missing":
      return "missing";
    case "stale":
      return "stale";
    case "missing-target":
      return "broken";
    case "nothing-there":
      return action.op === "create" ? "missing" : "error";
    case "folded":
    case "link-elsewhere":
    case "same-bytes":
    case "second-name":
    case "own-drift":
    case "own-wrapper":
      return "wrong";
    case "in-the-way":
    case "chain":
    case "chained-taken":
    case "directory-in-the-way":
      return "conflict";
    default:
      return "error";
  }
}

/** Whether a state is drift (skipped entries are not). */
export const isDrift = (state: LinkState) => state !== "ok" && state !== "skipped";
