import type { Result } from "../diagnostic.js";
import { findManifest } from "../manifest/find.js";
import { readManifest } from "../manifest/read.js";
import { activeProfiles } from "../resolve/conditions.js";
import type { DesiredDirectory, DesiredLink } from "../resolve/desiredLink.js";
import { resolveManifest } from "../resolve/resolveLinks.js";
import type { Context } from "./context.js";

/** Which manifest, and which profiles are active: what every command that reads a manifest is told. */
export interface ManifestChoice {
  /** The manifest (`-c`); otherwise `LINKMAN_CONFIG`, otherwise searched upward from `cwd`. */
  config?: string | undefined;
  /** Active profiles (`--profile`); otherwise `LINKMAN_PROFILE`, comma-separated. */
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
}

/** Finds the manifest the way every command does: `-c`, `LINKMAN_CONFIG`, or the upward search. */
export function locateManifest(ctx: Context, choice: ManifestChoice) {
  return findManifest({ config: choice.config, env: ctx.env, cwd: ctx.cwd, fs: ctx.fs });
}

/** Finds, reads and resolves the manifest; every problem is a diagnostic with its place. */
export async function loadManifest(
  ctx: Context,
  choice: ManifestChoice = {},
): Promise<Result<LoadedManifest>> {
  const found = await locateManifest(ctx, choice);
  if (!found.ok) return found;
  const manifest = await readManifest(found.value.file, ctx);
  if (!manifest.ok) return manifest;
  const profiles = activeProfiles(choice.profiles, ctx.env);
  const resolved = await resolveManifest(manifest.value, { ...ctx, profiles });
  if (!resolved.ok) return resolved;
  const { links, directories } = resolved.value;
  return { ok: true, value: { file: manifest.value.file, links, directories, profiles } };
}
