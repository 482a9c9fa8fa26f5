import path from "node:path";
import { randomBytes } from "node:crypto";
import { ensureDirectory } from "../fs/ensureDirectory.js";
import { errorCode } from "../fs/fileSystem.js";
import { findRepository } from "../resolve/git.js";
import type { ChangeReport } from "./report.js";
import type { Context } from "./context.js";
import { locateManifest, type ManifestChoice } from "./load.js";
import { stateFileOf, type StateChoice } from "./stateAccess.js";

/**
 * Why an install (`apply --onboarding` from `prepare`) should leave linkman out, in one
 * sentence, or undefined when it should apply: `LINKMAN=0`, under CI, a manifest outside any
 * git repository (a tarball, a Docker build context), or a state directory that cannot be
 * written (a container's read-only home). A manifest that cannot be found or read is not a
 * reason: that is a real failure, left to `apply` to report.
 */
export async function onboardingSkip(
  ctx: Context,
  choice: ManifestChoice & StateChoice,
): Promise<string | undefined> {
  if (ctx.env.LINKMAN === "0") return "LINKMAN=0 is set";
  const ci = ctx.env.CI;
  if (ci !== undefined && ci !== "" && ci !== "0" && ci !== "false")
    return "CI is set (run `linkman apply` to link anyway)";
  const found = await locateManifest(ctx, choice);
  if (!found.ok) return undefined;
  const manifest = found.value.file;
  if (!(await findRepository(ctx.fs, path.dirname(manifest)))) return "not a git repository";
  const { file } = await stateFileOf(ctx, manifest, choice);
  const unwritable = await cannotWrite(ctx, path.dirname(file));
  return unwritable
    ? `cannot write linkman's state in ${path.dirname(file)} (${unwritable})`
    : undefined;
}

/** Why a file cannot be made in `dir` (made if missing, as apply would), or undefined. */
async function cannotWrite(ctx: Context, dir: string): Promise<string | undefined> {
  const probe = path.join(dir, `.linkman-probe-${randomBytes(6).toString("hex")}`);
  try {
    await ensureDirectory(ctx.fs, dir);
    await ctx.fs.writeNewFile(probe, "");
    await ctx.fs.unlink(probe);
    return undefined;
  } catch (error) {
    return errorCode(error) ?? String(error);
  }
}

/**
 * What someone who has never heard of linkman reads when an install stops at a conflict:
 * what happened, where it is declared, and the exact commands to go on.
 */
export function onboardingConflictHelp(report: ChangeReport, manifest: string): string[] {
  const conflicts = report.actions.filter((a) => a.op === "conflict").length;
  if (conflicts === 0) return [];
  return [
    `This repository links shared files into place when it is installed (declared in ${manifest}),`,
    `and ${conflicts === 1 ? "a file of yours is" : `${conflicts} files of yours are`} in the way (listed above); nothing was changed.`,
    "To keep your files as NAME.linkman-backup and link the shared ones: npx linkman apply --force",
    "To install without linking this time: LINKMAN=0 npm install",
  ];
}
