import * as z from "zod";
import type { FileSystem } from "../fs/fileSystem.js";
import { statIfExists } from "../fs/fileSystem.js";
import { DEFAULT_OPTIONS } from "../manifest/manifest.js";
import type { Action, Found, Plan } from "./action.js";
import { describeFound, summarize } from "./action.js";
import { sameFound } from "./apply.js";
import { mapLimit } from "./mapLimit.js";
import { Observer } from "./observe.js";
import { actionJson, planJson } from "./planJson.js";

/** Everything found at a path, for the saved plan: enough to tell later whether it changed. */
function foundDetail(found: Found) {
  switch (found.type) {
    case "file":
      return {
        type: found.type,
        dev: String(found.dev),
        ino: String(found.ino),
        size: found.size,
        mtimeMs: found.mtimeMs,
      };
    case "symlink":
    case "junction":
      return { type: found.type, linkTarget: found.linkTarget };
    default:
      return { type: found.type };
  }
}

/**
 * The plan as `plan --out` saves it: SPEC.md's JSON, with what was found at each path in
 * full (link text, device, inode, size, mtime) and what `apply FILE` needs to carry it out.
 */
export function savedPlanJson(plan: Plan) {
  return {
    ...planJson(plan),
    actions: plan.actions.map((a) => ({
      ...actionJson(a),
      found: foundDetail(a.found),
      rule: a.rule,
      recipe: a.recipe,
      restore: a.restore,
      mkdirs: a.options.mkdirs,
      fallback: a.options.fallback,
    })),
  };
}

const foundSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("missing") }),
  z.object({ type: z.literal("directory") }),
  z.object({ type: z.literal("other") }),
  z.object({ type: z.enum(["symlink", "junction"]), linkTarget: z.string() }),
  z.object({
    type: z.literal("file"),
    dev: z.string(),
    ino: z.string(),
    size: z.number(),
    mtimeMs: z.number(),
  }),
]);

const savedActionSchema = z.object({
  op: z.enum(["create", "replace", "remove", "skip", "conflict", "error"]),
  rule: z.string(),
  kind: z.enum(["symlink", "hardlink", "junction"]),
  link: z.string(),
  target: z.string(),
  reason: z.enum(["up-to-date", "condition", "missing-target", "conflict"]).nullable(),
  backup: z.string().nullable(),
  found: foundSchema,
  message: z.string().nullable(),
  recipe: z
    .object({ text: z.string(), type: z.enum(["file", "dir", "junction"]).nullable() })
    .nullable(),
  restore: z.object({ backup: z.string().nullable(), previous: z.string().nullable() }).nullable(),
  mkdirs: z.boolean(),
  fallback: z.enum(["none", "auto"]),
});

const savedPlanSchema = z.object({
  version: z.literal(1),
  manifest: z.string(),
  actions: z.array(savedActionSchema),
});

/** Reads a plan saved by `plan --out`; a file that is not one is explained, not guessed at. */
export function readSavedPlan(
  text: string,
): { ok: true; plan: Plan } | { ok: false; problem: string } {
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
    const issue = parsed.error.issues[0];
    return {
      ok: false,
      problem: `is not a plan saved by \`linkman plan --out\` (${issue ? `${issue.path.join(".") || "top level"}: ${issue.message}` : "unknown"})`,
    };
  }
  const actions: Action[] = parsed.data.actions.map((a) => ({
    op: a.op,
    rule: a.rule as Action["rule"],
    kind: a.kind,
    link: a.link,
    target: a.target,
    reason: a.reason,
    backup: a.backup,
    found:
      a.found.type === "file"
        ? { ...a.found, dev: BigInt(a.found.dev), ino: BigInt(a.found.ino) }
        : (a.found as Found),
    message: a.message,
    hint: null,
    recipe: a.recipe,
    restore: a.restore,
    options: { ...DEFAULT_OPTIONS, kind: a.kind, mkdirs: a.mkdirs, fallback: a.fallback },
    place: null,
  }));
  return {
    ok: true,
    plan: { version: 1, manifest: parsed.data.manifest, actions, summary: summarize(actions) },
  };
}

/** An action whose precondition no longer holds: what the plan found, and what is there now. */
export interface StaleAction {
  link: string;
  why: string;
}

/** Looks at every path of a saved plan again; each one that changed since is stale. */
export async function findStale(
  plan: Plan,
  fs: FileSystem,
  platform: string,
): Promise<StaleAction[]> {
  const observer = new Observer(fs, platform);
  const checks = await mapLimit(
    plan.actions,
    16,
    async (action): Promise<StaleAction | undefined> => {
      const now = await observer.found(action.link);
      if (!sameFound(now, action.found)) {
        return {
          link: action.link,
          why: `the plan found ${describeFound(action.found, { detail: true })}, now there is ${describeFound(now, { detail: true })}`,
        };
      }
      if (
        (action.op === "create" || action.op === "replace") &&
        !(await statIfExists(fs, action.target))
      ) {
        return { link: action.link, why: `its target ${action.target} no longer exists` };
      }
      return undefined;
    },
  );
  return checks.filter((c): c is StaleAction => c !== undefined);
}
