import { ExitCode } from "../../exitCode.js";
import { hasDrift, status } from "../../session/status.js";
import { renderStatus } from "../../views/render.js";
import type { Output } from "../output.js";

/**
 * `linkman status [PATH…]`: each entry ok, missing, wrong, conflict or broken, each stale
 * link, and whether linkman made or took over the link (from its state); exit 1 on any drift.
 */
export async function statusCommand(out: Output, paths: readonly string[] = []): Promise<ExitCode> {
  return out.report(
    await status(out.io, { ...out.choice, paths }),
    (r) => renderStatus(r, out.style, out.detail),
    (r) => (hasDrift(r) ? ExitCode.failure : ExitCode.ok),
  );
}
