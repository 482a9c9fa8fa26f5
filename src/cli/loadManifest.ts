import type { Result } from "../diagnostic.js";
import { findManifest } from "../manifest/find.js";
import { readManifest } from "../manifest/read.js";
import { activeProfiles } from "../resolve/conditions.js";
import type { DesiredLink } from "../resolve/desiredLink.js";
import { processContext, resolveLinks } from "../resolve/resolveLinks.js";
import type { CliIO } from "./io.js";
import type { GlobalOptions } from "./output.js";

/**
 * A manifest found, read and resolved for this run. The parsed document itself is not kept:
 * once resolved, only the links are needed, and a large manifest's syntax tree is heavy.
 */
export interface LoadedManifest {
  /** Absolute path of the manifest. */
  file: string;
  links: DesiredLink[];
  profiles: string[];
}

/** Finds, reads and resolves the manifest the way every command does. */
export async function loadManifest(
  io: CliIO,
  options: GlobalOptions,
): Promise<Result<LoadedManifest>> {
  const { fs } = io;
  const found = await findManifest({ config: options.config, env: io.env, cwd: io.cwd });
  if (!found.ok) return found;
  const manifest = await readManifest(found.value.file, { fs, homedir: io.homedir });
  if (!manifest.ok) return manifest;
  const profiles = activeProfiles(options.profile, io.env);
  const ctx = {
    ...processContext({ fs, homedir: io.homedir, profiles, env: io.env }),
    platform: io.platform,
  };
  const links = await resolveLinks(manifest.value, ctx);
  if (!links.ok) return links;
  return { ok: true, value: { file: manifest.value.file, links: links.value, profiles } };
}
