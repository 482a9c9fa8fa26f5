import { ExitCode } from "../../exitCode.js";
import { hasDrift, status } from "../../session/status.js";
import { renderStatus } from "../../views/render.js";
import type { Output } from "../output.js";
import { progressReporter } from "../progress.js";

/**
 * `linkman status`: each entry ok, missing, wrong, conflict or broken, and whether linkman
 * made the link (from its state); exit 1 on any drift.
 */
export async function statusCommand(out: Output): Promise<ExitCode> {
  return out.report(
    await status(out.io, {
      ...out.choice,
      onPlanProgress: progressReporter(out, Date.now, "looked at"),
    }),
    (r) => renderStatus(r, out.style, out.detail),
    (r) => (hasDrift(r) ? ExitCode.failure : ExitCode.ok),
  );
}
