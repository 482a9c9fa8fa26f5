import type { ExitCode } from "../../exitCode.js";
import { unlink } from "../../session/remove.js";
import { changeExitCode } from "../../session/report.js";
import { renderChange } from "../../views/render.js";
import type { Output } from "../output.js";
import { progressReporter } from "../progress.js";

/**
 * `linkman unlink [--restore]`: removes every link linkman made for this manifest that is
 * still as it left it; `--restore` puts back the backups and previous links.
 */
export async function unlinkCommand(out: Output): Promise<ExitCode> {
  const o = out.options;
  const result = await unlink(out.io, {
    ...out.choice,
    dryRun: o.dryRun,
    restore: o.restore,
    onProgress: progressReporter(out),
  });
  return out.report(result, (r) => renderChange(r, out.style, out.detail), changeExitCode);
}
