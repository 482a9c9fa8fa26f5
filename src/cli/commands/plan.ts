import path from "node:path";
import { isBlocked } from "../../engine/action.js";
import { ExitCode } from "../../exitCode.js";
import { errorCode } from "../../fs/fileSystem.js";
import { plan } from "../../session/plan.js";
import { isRefusal, type PlanReport } from "../../session/report.js";
import { renderPlan } from "../../views/render.js";
import type { Output } from "../output.js";
import { progressReporter } from "../progress.js";

/**
 * `linkman plan [--prune] [--out FILE] [PATH…]`: prints the plan (only for links at or below
 * a PATH, or whose target lies below one, when PATHs are given); `--out` saves it, with what was
 * found at each path and the choices it was made with, for `linkman apply FILE` (never
 * over an existing file). Exit 1 if it holds a conflict or an error.
 */
export async function planCommand(out: Output, paths: readonly string[] = []): Promise<ExitCode> {
  const o = out.options;
  const file = o.out ? path.resolve(out.io.cwd, o.out) : undefined;
  if (file && (await out.io.fs.lstatIfExists(file).catch(() => undefined))) {
    out.error(`${out.showPath(file)} already exists; plan --out never overwrites a file`);
    return ExitCode.invalid;
  }
  const result = await plan(out.io, {
    ...out.choice,
    force: o.force,
    prune: o.prune,
    paths,
    onPlanProgress: progressReporter(out, Date.now, "looked at"),
  });
  if (!result.ok)
    return out.report(
      result,
      () => ({ out: [], messages: [] }),
      () => 2,
    );
  const planned = result.value;
  if (isRefusal(planned)) {
    out.error(planned.message);
    if (planned.hint) out.info(planned.hint);
    return ExitCode.failure;
  }
  if (file && !(await save(out, file, planned, paths))) return ExitCode.failure;
  return out.report(
    { ok: true, value: planned },
    (p) => renderPlan(p, out.style, out.detail),
    (p) => (isBlocked(p) ? ExitCode.failure : ExitCode.ok),
  );
}

/** Writes the plan for `apply FILE`, with the choices that decided it; false when it cannot. */
async function save(
  out: Output,
  file: string,
  planned: PlanReport,
  paths: readonly string[],
): Promise<boolean> {
  const choices = {
    force: out.options.force ?? false,
    prune: out.options.prune ?? false,
    ...(paths.length ? { paths: paths.map((p) => path.resolve(out.io.cwd, p)) } : {}),
  };
  try {
    await out.io.fs.writeNewFile(file, `${JSON.stringify({ ...planned, choices }, null, 2)}\n`);
  } catch (error) {
    out.error(
      `cannot write the plan to ${out.showPath(file)}: ${errorCode(error) ?? String(error)}`,
    );
    return false;
  }
  out.info(
    `Saved the plan to ${out.showPath(file)}; \`linkman apply ${out.showPath(file)}\` carries it out.`,
  );
  return true;
}
