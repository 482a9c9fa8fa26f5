import path from "node:path";
import type { Result } from "../diagnostic.js";
import { ok } from "../diagnostic.js";
import { runDoctor, type DoctorReport } from "../engine/doctor.js";
import { rootsFor } from "../engine/roots.js";
import { symlinksNeedPrivilege } from "../platform.js";
import { hooksNotRun } from "../resolve/git.js";
import type { Context } from "./context.js";
import { loadManifest, type ManifestChoice } from "./load.js";
import { stateFileOf, type StateChoice } from "./stateAccess.js";

/** What `doctor` is told: the usual choices, and how to ask Windows about the symlink privilege. */
export interface DoctorOptions extends ManifestChoice, StateChoice {
  /** Asks Windows whether Developer Mode is on and the shell elevated (only where symlinks need a privilege). */
  askPrivilege?: () => DoctorReport["privilege"];
}

/** `linkman doctor`: what this machine allows where the manifest needs it, probed for real. */
export async function doctor(
  ctx: Context,
  options: DoctorOptions = {},
): Promise<Result<DoctorReport & { manifest: string }>> {
  const loaded = await loadManifest(ctx, options);
  if (!loaded.ok) return loaded;
  const { links, file } = loaded.value;
  // Hard links come from the targets, so the repository probed is where the first one lives.
  const hardlinkTarget = links.find((l) => l.kind === "hardlink" && !l.skipped)?.target;
  const { file: stateFile } = await stateFileOf(ctx, file, options);
  const roots = await rootsFor(ctx.fs, {
    homedir: ctx.homedir,
    manifest: file,
    allowOutside: options.allowOutside,
  });
  const report = await runDoctor(ctx.fs, {
    repository: path.dirname(hardlinkTarget ?? file),
    links,
    stateFile,
    platform: ctx.platform,
    arch: ctx.arch,
    roots,
    hooksNotRun: await hooksNotRun(ctx.fs, links, file, ctx.env, ctx.homedir),
    privilege:
      symlinksNeedPrivilege(ctx.platform) && options.askPrivilege ? options.askPrivilege() : null,
  });
  return ok({ ...report, manifest: file });
}
