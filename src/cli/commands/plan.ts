import path from "node:path";
import { isBlocked } from "../../engine/action.js";
import { ExitCode } from "../../exitCode.js";
import { errorCode } from "../../fs/fileSystem.js";
import { plan } from "../../session/plan.js";
import { isRefusal, type PlanReport } from "../../session/report.js";
import { renderPlan } from "../../views/render.js";
import type { Output } from "../output.js";

/**
 * `linkman plan [--prune] [--out FILE]`: prints the plan; `--out` saves it, with what was
 * found at each path, for `linkman apply FILE` (never over an existing file). Exit 1 if
 * it holds a conflict or an error.
 */
export async function planCommand(out: Output): Promise<ExitCode> {
  const o = out.options;
  const file = o.out ? path.resolve(out.io.cwd, o.out) : undefined;
  if (file && (await out.io.fs.lstatIfExists(file).catch(() => undefined))) {
    out.error(`${out.showPath(file)} already exists; plan --out never overwrites a file`);
    return ExitCode.invalid;
  }
  const result = await plan(out.io, { ...out.choice, force: o.force, prune: o.prune });
  if (result.ok && isRefusal(result.value)) {
    out.error(result.value.message);
    if (result.value.hint) out.info(result.value.hint);
    return ExitCode.failure;
  }
  const planned = result.ok ? (result.value as PlanReport) : undefined;
  if (planned && file) {
    const saved = { ...planned, choices: { force: o.force ?? false, prune: o.prune ?? false } };
    try {
      await out.io.fs.writeNewFile(file, `${JSON.stringify(saved, null, 2)}\n`);
    } catch (error) {
      out.error(
        `cannot write the plan to ${out.showPath(file)}: ${errorCode(error) ?? String(error)}`,
      );
      return ExitCode.failure;
    }
    out.info(
      `Saved the plan to ${out.showPath(file)}; \`linkman apply ${out.showPath(file)}\` carries it out.`,
    );
  }
  return out.report(
    result.ok ? { ok: true, value: planned as PlanReport } : result,
    (p) => renderPlan(p, out.style, out.detail),
    (p) => (isBlocked(p) ? ExitCode.failure : ExitCode.ok),
  );
}
