import * as z from "zod";
import {
  actionSchema,
  appliedActionSchema,
  planSchema,
  summarySchema,
  type AppliedAction,
  type Plan,
} from "../engine/action.js";
import { ExitCode } from "../exitCode.js";

/*
 * What the library's sessions return: plain values that serialise with JSON.stringify and
 * are exactly what `--json` prints. Their zod schemas are published as JSON Schemas in
 * `schemas/` (a test keeps them current).
 */

/** Why a session changed nothing. */
export const refusalReasonSchema = z.enum([
  /** The plan holds a conflict or an error (and --skip-conflicts was not given). */
  "blocked",
  /** Another run holds the manifest's lock. */
  "locked",
  /** The state file cannot be read or is not what linkman writes. */
  "state-unreadable",
  /** The state could not be written before the first change. */
  "state-unwritable",
  /** A saved plan no longer matches what a plan made now would do. */
  "stale-plan",
]);
/** Why a session changed nothing. */
export type RefusalReason = z.infer<typeof refusalReasonSchema>;

/** A saved action a plan made now would not repeat. */
export const staleSchema = z.object({ link: z.string(), why: z.string() });

/** Nothing was changed, and why: what to tell the user and what to do about it. */
export const refusalSchema = z.object({
  type: z.literal("refusal"),
  reason: refusalReasonSchema,
  message: z.string(),
  hint: z.string().nullable(),
  /** For a stale saved plan: each action that changed. */
  stale: z.array(staleSchema),
});
/** Nothing was changed, and why. */
export type Refusal = z.infer<typeof refusalSchema>;

/** A refusal. */
export function refusal(
  reason: RefusalReason,
  message: string,
  hint: string | null,
  stale: Refusal["stale"] = [],
): Refusal {
  return { type: "refusal", reason, message, hint, stale };
}

/** Whether a session's answer is a refusal. */
export function isRefusal(value: unknown): value is Refusal {
  return (
    typeof value === "object" && value !== null && (value as { type?: unknown }).type === "refusal"
  );
}

/** The commands whose session changes links. */
export const changeCommandSchema = z.enum(["apply", "unlink", "prune", "adopt"]);

/** What `apply`, `unlink`, `prune` and `adopt` return: the plan, what became of each action, and what was refused or noticed. */
export const changeReportSchema = z.object({
  version: z.literal(1),
  command: changeCommandSchema,
  /** Absolute path of the manifest. */
  manifest: z.string(),
  /** The state file the session used. */
  stateFile: z.string(),
  /** `--dry-run`: the plan only; nothing was changed. */
  dryRun: z.boolean(),
  /** Set when nothing was changed, with why. */
  refused: refusalSchema.nullable(),
  /** Every action of the plan with what became of it (`unchanged` when not applied). */
  actions: z.array(appliedActionSchema),
  /** The plan's count of each op. */
  summary: summarySchema,
  /** How many actions failed, or met a change on the disk since the plan (a conflict). */
  failed: z.number(),
  /** Things the user should know: backups made, records ignored, leftovers swept. */
  notices: z.array(z.string()),
});
/** What `apply`, `unlink`, `prune` and `adopt` return. */
export type ChangeReport = Omit<z.infer<typeof changeReportSchema>, "actions"> & {
  actions: AppliedAction[];
};

/** What `plan` returns: the plan, with what was noticed on the way. */
export const planReportSchema = planSchema.extend({
  stateFile: z.string().nullable(),
  notices: z.array(z.string()),
});
/** What `plan` returns. */
export type PlanReport = Plan & { stateFile: string | null; notices: string[] };

/** An entry's state: as it should be, or one of the kinds of drift. */
export const linkStateSchema = z.enum([
  "ok",
  "missing",
  "wrong",
  "conflict",
  "broken",
  "error",
  "skipped",
  "stale",
]);
/** An entry's state. */
export type LinkState = z.infer<typeof linkStateSchema>;

/** One link's state, whether linkman made it, and the action that would bring it into line. */
export const linkStatusSchema = z.intersection(
  actionSchema,
  z.object({
    state: linkStateSchema,
    madeByLinkman: z.boolean(),
    /** linkman found this link already as declared (made by Stow, dotbot or by hand) and took it over. */
    takenOver: z.boolean(),
  }),
);

/** What `status` returns: every entry's state. */
export const statusReportSchema = z.object({
  version: z.literal(1),
  manifest: z.string(),
  stateFile: z.string(),
  /** The active profiles. */
  profiles: z.array(z.string()),
  /** Where they were chosen: `--profile`, `LINKMAN_PROFILE`, `linkman.local.yaml` beside the manifest, or nowhere. */
  profileSource: z.enum(["flag", "env", "local", "none"]),
  links: z.array(linkStatusSchema),
  /** How many links are in each state. */
  counts: z.record(linkStateSchema, z.number()),
  notices: z.array(z.string()),
});
/** What `status` returns. */
export type StatusReport = z.infer<typeof statusReportSchema>;

/** The exit code SPEC.md gives a change: 1 when refused, or when anything failed; else 0. */
export function changeExitCode(report: ChangeReport): ExitCode {
  if (report.dryRun) return report.summary.conflict + report.summary.error > 0 ? 1 : 0;
  return report.refused || report.failed > 0 ? ExitCode.failure : ExitCode.ok;
}

/** The published JSON Schemas of what the sessions return, by file name under `schemas/`. */
export function reportJsonSchemas(): Record<string, unknown> {
  const schema = (s: z.ZodType) => z.toJSONSchema(s, { target: "draft-7", io: "output" });
  return {
    "plan.schema.json": schema(planReportSchema),
    "apply.schema.json": schema(changeReportSchema),
    "status.schema.json": schema(statusReportSchema),
  };
}
