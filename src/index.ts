/**
 * linkman's library: the engine the CLI uses, typed. Read a manifest, resolve it into the
 * links it wants, plan, and apply — the same plan value the CLI prints.
 */
export type { Diagnostic, Place, Result } from "./diagnostic.js";
export { formatKeyPath } from "./diagnostic.js";
export { ExitCode } from "./exitCode.js";
export type { DirEntry, EntryType, FileStat, FileSystem, SymlinkType } from "./fs/fileSystem.js";
export { NodeFileSystem } from "./fs/nodeFileSystem.js";
export { failing, readOnly, recording, type Fault, type RecordedCall } from "./fs/wrappers.js";
export type { Action, Found, Op, Plan, Rule, SkipReason, Summary } from "./engine/action.js";
export { isBlocked } from "./engine/action.js";
export { decide, type DecideSettings } from "./engine/decide.js";
export { planLinks, type PlanContext } from "./engine/plan.js";
export {
  applyPlan,
  type ApplyContext,
  type ApplyResult,
  type AppliedAction,
} from "./engine/apply.js";
export { hasDrift, statusOf, type LinkState, type LinkStatus } from "./engine/status.js";
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
export { processContext, resolveLinks, type ResolveContext } from "./resolve/resolveLinks.js";
export { main } from "./cli/main.js";
export type { CliIO } from "./cli/io.js";
