import path from "node:path";
import type { Result } from "../diagnostic.js";
import { fail, ok } from "../diagnostic.js";
import { assemblePlan } from "../engine/action.js";
import { planAdoptions } from "../engine/adopt.js";
import { readOnly } from "../fs/wrappers.js";
import { pathKey } from "../platform.js";
import { dryRunReport, refusedReport, type ChangeChoice } from "./apply.js";
import type { Context } from "./context.js";
import { loadManifest, type LoadedManifest, type ManifestChoice } from "./load.js";
import { applyRecorded } from "./recordedApply.js";
import { isRefusal, type ChangeReport } from "./report.js";
import { readStateOf, withLockedState, type StateChoice } from "./stateAccess.js";
import { rootsFor } from "../engine/roots.js";
import { showPath } from "../display.js";

/** What `adopt` is told. */
export interface AdoptOptions extends ManifestChoice, StateChoice, ChangeChoice {
  /** Only these link paths (absolute); each must be the link of an entry. */
  links?: readonly string[] | undefined;
}

/**
 * `linkman adopt [LINK…]`: for entries whose link path holds a real file or directory and
 * whose target does not exist yet, moves it into the repository at the target and links
 * it. Never overwrites a target. A named link that is no entry's is invalid input.
 */
export async function adopt(
  ctx: Context,
  options: AdoptOptions = {},
): Promise<Result<ChangeReport>> {
  const loaded = await loadManifest(ctx, options);
  if (!loaded.ok) return loaded;
  const { file } = loaded.value;
  const only = options.links ?? [];
  const known = new Set(loaded.value.links.map((l) => pathKey(l.link, ctx.platform)));
  const unknown = only.filter((p) => !known.has(pathKey(p, ctx.platform)));
  if (unknown.length > 0) {
    return fail(
      unknown.map((p) => ({
        path: "",
        message: `${showPath(p, ctx)} is not the link of any entry in ${showPath(file, ctx)}`,
      })),
    );
  }
  const planOf = async () =>
    assemblePlan(
      file,
      await planAdoptions(
        loaded.value.links,
        readOnly(ctx.fs),
        await adoptSettings(ctx, loaded.value, options),
        only,
      ),
    );
  if (options.dryRun) {
    // What the state says, as other dry runs show it (what an interrupted run left, which
    // the real adopt tidies first).
    const read = await readStateOf(ctx, file, options);
    const [shown, notices] = isRefusal(read) ? ["", []] : [read.file, read.notices];
    return ok(dryRunReport("adopt", await planOf(), shown, notices));
  }
  const done = await withLockedState(ctx, file, options, async (held) =>
    applyRecorded(ctx, await planOf(), held, {
      command: "adopt",
      onProgress: options.onProgress,
    }),
  );
  return ok(isRefusal(done) ? refusedReport("adopt", file, done) : done);
}

async function adoptSettings(ctx: Context, loaded: LoadedManifest, options: StateChoice) {
  const dir = path.dirname(loaded.file);
  return {
    platform: ctx.platform,
    roots: await rootsFor(ctx.fs, {
      homedir: ctx.homedir,
      manifest: loaded.file,
      allowOutside: options.allowOutside,
    }),
    force: false,
    repository: { path: dir, real: await ctx.fs.realpath(dir).catch(() => dir) },
  };
}
