import { ok, type Result } from "../diagnostic.js";
import { findManifest } from "../manifest/find.js";
import { readLocalSettings } from "../manifest/local.js";
import { readManifest } from "../manifest/read.js";
import { activeProfiles } from "../resolve/conditions.js";
import type { DesiredDirectory, DesiredLink } from "../resolve/desiredLink.js";
import { resolveManifest } from "../resolve/resolveLinks.js";
import type { Context } from "./context.js";
import type { PlanChoice } from "./plan.js";

/** Which manifest, and which profiles are active: what every command that reads a manifest is told. */
export interface ManifestChoice {
  /** The manifest (`-c`); otherwise `LINKMAN_CONFIG`, otherwise searched upward from `cwd`. */
  config?: string | undefined;
  /**
   * Active profiles (`--profile`); otherwise `LINKMAN_PROFILE`, comma-separated; otherwise
   * the `profiles` of `linkman.local.yaml` beside the manifest.
   */
  profiles?: readonly string[] | undefined;
}

/**
 * A manifest found, read and resolved for this run. The parsed document itself is not kept:
 * once resolved, only the links are needed, and a large manifest's syntax tree is heavy.
 */
export interface LoadedManifest {
  /** Absolute path of the manifest. */
  file: string;
  links: DesiredLink[];
  /** The manifest's `directories` (none when not given). */
  directories?: DesiredDirectory[];
  profiles: string[];
  /** Where the profiles came from. */
  profileSource: ProfileSource;
}

/** Where the active profiles were chosen: `--profile`, `LINKMAN_PROFILE`, `linkman.local.yaml`, or nowhere. */
export type ProfileSource = "flag" | "env" | "local" | "none";

/** Finds the manifest the way every command does: `-c`, `LINKMAN_CONFIG`, or the upward search. */
export function locateManifest(ctx: Context, choice: ManifestChoice) {
  return findManifest({ config: choice.config, env: ctx.env, cwd: ctx.cwd, fs: ctx.fs });
}

/** Finds, reads and resolves the manifest; every problem is a diagnostic with its place. */
export async function loadManifest(
  ctx: Context,
  choice: ManifestChoice & Pick<PlanChoice, "onPlanProgress"> = {},
): Promise<Result<LoadedManifest>> {
  const found = await locateManifest(ctx, choice);
  if (!found.ok) return found;
  const manifest = await readManifest(found.value.file, ctx);
  if (!manifest.ok) return manifest;
  const chosen = await chooseProfiles(ctx, manifest.value.file, choice);
  if (!chosen.ok) return chosen;
  const { profiles, profileSource } = chosen.value;
  const progress = choice.onPlanProgress;
  let files = 0;
  const onFound = progress && (() => progress(++files));
  const resolved = await resolveManifest(manifest.value, { ...ctx, profiles, onFound });
  // All found: clears the line, so a message about the manifest does not land on it.
  if (files > 0) progress?.(files, files);
  if (!resolved.ok) return resolved;
  const { links, directories } = resolved.value;
  return {
    ok: true,
    value: { file: manifest.value.file, links, directories, profiles, profileSource },
  };
}

/** The active profiles: `--profile` wins over `LINKMAN_PROFILE`, which wins over the local file. */
async function chooseProfiles(
  ctx: Context,
  manifestFile: string,
  choice: ManifestChoice,
): Promise<Result<{ profiles: string[]; profileSource: ProfileSource }>> {
  const given = activeProfiles(choice.profiles, ctx.env);
  if (choice.profiles && choice.profiles.length > 0)
    return ok({ profiles: given, profileSource: "flag" });
  if (ctx.env.LINKMAN_PROFILE !== undefined && ctx.env.LINKMAN_PROFILE.trim() !== "")
    return ok({ profiles: given, profileSource: "env" });
  const local = await readLocalSettings(ctx.fs, manifestFile);
  if (!local.ok) return local;
  if (!local.value) return ok({ profiles: [], profileSource: "none" });
  return ok({ profiles: local.value.profiles, profileSource: "local" });
}
