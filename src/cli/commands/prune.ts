import type { ExitCode } from "../../exitCode.js";
import { prune } from "../../session/remove.js";
import { changeExitCode } from "../../session/report.js";
import { renderChange } from "../../views/render.js";
import type { Output } from "../output.js";
import { progressReporter } from "../progress.js";

/** `linkman prune`: removes links linkman made for this manifest that it no longer lists. */
export async function pruneCommand(out: Output): Promise<ExitCode> {
  const result = await prune(out.io, {
    ...out.choice,
    dryRun: out.options.dryRun,
    onProgress: progressReporter(out),
  });
  return out.report(result, (r) => renderChange(r, out.style, out.detail), changeExitCode);
}
