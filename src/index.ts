/**
 * linkman's library: the whole product, typed. Each command's whole operation (lock, state,
 * roots, plan, apply) is a session function that returns a plain value, the one the CLI
 * prints (and, as JSON, exactly what `--json` prints). Importing it loads no CLI.
 */

// Sessions: one per command.
export { nodeContext, type Context } from "./session/context.js";
export { loadManifest, type LoadedManifest, type ManifestChoice } from "./session/load.js";
export { plan, type PlanChoice, type PlanOptions } from "./session/plan.js";
export {
  apply,
  applySaved,
  type ApplyOptions,
  type ApplySavedOptions,
  type ChangeChoice,
} from "./session/apply.js";
export { status, hasDrift, type StatusOptions } from "./session/status.js";
export { unlink, prune, type UnlinkOptions, type PruneOptions } from "./session/remove.js";
export { adopt, type AdoptOptions } from "./session/adopt.js";
export { diff, type DiffOptions, type DiffReport, type LinkDiff } from "./session/diff.js";
export { renderDiff } from "./views/diffView.js";
export { explain, type Explanation, type ExplainOptions } from "./session/explain.js";
export { doctor, type DoctorOptions } from "./session/doctor.js";
export type { StateChoice } from "./session/stateAccess.js";
export {
  changeExitCode,
  isRefusal,
  reportJsonSchemas,
  type ChangeReport,
  type LinkState,
  type PlanReport,
  type Refusal,
  type RefusalReason,
  type StatusReport,
} from "./session/report.js";

// Views: the CLI's human output, for scripts that print what the CLI prints.
export {
  plainStyle,
  planLines,
  summaryLine,
  applyLines,
  appliedLine,
  type ViewStyle,
} from "./views/planView.js";
export {
  renderChange,
  renderPlan,
  renderStatus,
  renderedText,
  type Message,
  type Rendered,
  type RenderOptions,
} from "./views/render.js";

// Values and the engine beneath the sessions.
export type { Diagnostic, Place, Result } from "./diagnostic.js";
export { formatKeyPath } from "./diagnostic.js";
export { ExitCode } from "./exitCode.js";
export type { DirEntry, EntryType, FileStat, FileSystem, SymlinkType } from "./fs/fileSystem.js";
export { NodeFileSystem } from "./fs/nodeFileSystem.js";
export { failing, readOnly, recording, type Fault, type RecordedCall } from "./fs/wrappers.js";
export type {
  Action,
  ActionOf,
  ActionResult,
  AppliedAction,
  AdoptRule,
  Found,
  LinkRule,
  Op,
  Plan,
  RemovalRule,
  Rule,
  SkipReason,
  Summary,
} from "./engine/action.js";
export { actionSchema, isBlocked, planSchema } from "./engine/action.js";
export { decide, type DecideSettings } from "./engine/decide.js";
export { planLinks, type PlanContext } from "./engine/plan.js";
export { applyPlan, type ApplyContext, type ApplyResult } from "./engine/apply.js";
export {
  findManifest,
  MANIFEST_NAMES,
  type FindOptions,
  type FoundManifest,
} from "./manifest/find.js";
export {
  DEFAULT_OPTIONS,
  type Conditions,
  type EntryOptions,
  type LinkKind,
  type Manifest,
  type ManifestEntry,
  type ManifestFile,
} from "./manifest/manifest.js";
export { readManifest, type ReadContext } from "./manifest/read.js";
export { manifestJsonSchema, manifestSchema, type ManifestInput } from "./manifest/schema.js";
export { activeProfiles, checkConditions, type Facts } from "./resolve/conditions.js";
export type { DesiredLink, TargetType } from "./resolve/desiredLink.js";
export { expandPath, expandVariables } from "./resolve/expand.js";
export { resolveLinks, type ResolveContext } from "./resolve/resolveLinks.js";
