import type { ExitCode } from "../../exitCode.js";
import { unlink } from "../../session/remove.js";
import { changeExitCode } from "../../session/report.js";
import { renderChange } from "../../views/render.js";
import type { Output } from "../output.js";
import { progressReporter } from "../progress.js";

/**
 * `linkman unlink [--restore] [PATH…]`: removes every link linkman made for this manifest
 * (or only those at or below a PATH, or whose target lies below one: `stow -D`) that is
 * still as it left it; `--restore` puts back the backups and previous links.
 */
export async function unlinkCommand(out: Output, paths: readonly string[] = []): Promise<ExitCode> {
  const o = out.options;
  const result = await unlink(out.io, {
    ...out.choice,
    dryRun: o.dryRun,
    restore: o.restore,
    paths,
    onProgress: progressReporter(out),
  });
  return out.report(result, (r) => renderChange(r, out.style, out.detail), changeExitCode);
}
