import type { Result } from "../diagnostic.js";
import { fail, ok } from "../diagnostic.js";
import type { Action } from "../engine/action.js";
import { RULE_TEXT } from "../engine/rules.js";
import { pathKey } from "../platform.js";
import type { DesiredDirectory, DesiredLink } from "../resolve/desiredLink.js";
import type { Context } from "./context.js";
import { loadManifest, type ManifestChoice } from "./load.js";
import { planManifest } from "./plan.js";
import { isRefusal } from "./report.js";
import { readStateOf, type StateChoice } from "./stateAccess.js";
import { showPath } from "../display.js";

/** What `explain` is told: the link path (absolute) and the usual choices. */
export interface ExplainOptions extends ManifestChoice, StateChoice {
  link: string;
}

/** What a path `directories` lists wants: a directory at that path. */
export interface DesiredDirectoryView {
  kind: "directory";
  target: string;
  place: DesiredDirectory["place"];
}

/** One link (or listed directory) explained: the entry that wants it, what was found, the decision and the rule behind it. */
export interface Explanation {
  link: string;
  desired:
    | Pick<DesiredLink, "kind" | "target" | "targetType" | "options" | "place">
    | DesiredDirectoryView;
  action: Action;
  /** The decision table's row, in words. */
  why: string;
  /** What plan would say beside it (an interrupted run's temporaries the next apply tidies first). */
  notices: string[];
}

/** `linkman explain LINK`: why linkman decides what it decides for one link path (or a path `directories` lists). */
export async function explain(ctx: Context, options: ExplainOptions): Promise<Result<Explanation>> {
  const loaded = await loadManifest(ctx, options);
  if (!loaded.ok) return loaded;
  const key = pathKey(options.link, ctx.platform);
  const desired = loaded.value.links.find((l) => pathKey(l.link, ctx.platform) === key);
  const directory = loaded.value.directories?.find((d) => pathKey(d.path, ctx.platform) === key);
  if (!desired && !directory) {
    return fail([
      {
        path: "",
        message: `${showPath(options.link, ctx)} is not the link of any entry in ${showPath(loaded.value.file, ctx)}`,
      },
    ]);
  }
  // Planned as plan plans it, with the state's record of this path (a link already there
  // is taken over where linkman has none), and only this path: planned with the rest of the
  // manifest or the state, another's action could be taken.
  const read = await readStateOf(ctx, loaded.value.file, options);
  const state = isRefusal(read)
    ? undefined
    : {
        ...read.split.trusted,
        links: read.split.trusted.links.filter((r) => pathKey(r.link, ctx.platform) === key),
      };
  const planned = await planManifest(
    ctx,
    {
      ...loaded.value,
      // A listed directory with the links: it is looked at where it will be once they are made.
      links: desired ? [desired] : loaded.value.links,
      directories: !desired && directory ? [directory] : [],
    },
    options,
    state,
  );
  // Its own action: a link below a folded directory link comes after that link's unfold.
  const action = (planned.actions.find((a) => pathKey(a.link, ctx.platform) === key) ??
    planned.actions[0]) as Action;
  return ok({
    link: action.link,
    desired: desired
      ? {
          kind: desired.kind,
          target: desired.target,
          targetType: desired.targetType,
          options: desired.options,
          place: desired.place,
        }
      : { kind: "directory", target: directory!.path, place: directory!.place },
    action,
    why: RULE_TEXT[action.rule],
    // What plan says from the state: the decision may differ from the next apply's, and this says why.
    notices: isRefusal(read)
      ? [`${read.message}; cannot tell which links linkman made`]
      : read.notices,
  });
}
