import { ExitCode } from "../../exitCode.js";
import { hasDrift, status } from "../../session/status.js";
import { renderStatus } from "../../views/render.js";
import { LOCAL_SETTINGS_NAME } from "../../manifest/local.js";
import type { StatusReport } from "../../session/report.js";
import type { Output } from "../output.js";
import { progressReporter } from "../progress.js";

/**
 * `linkman status [PATH…]`: each entry ok, missing, wrong, conflict or broken, each stale
 * link, and whether linkman made or took over the link (from its state); exit 1 on any drift.
 */
export async function statusCommand(out: Output, paths: readonly string[] = []): Promise<ExitCode> {
  const result = await status(out.io, {
    ...out.choice,
    paths,
    onPlanProgress: progressReporter(out, Date.now, "looked at"),
  });
  if (result.ok && !out.options.json) out.info(profilesLine(result.value));
  return out.report(
    result,
    (r) => renderStatus(r, out.style, out.detail),
    (r) => (hasDrift(r) ? ExitCode.failure : ExitCode.ok),
  );
}

/** Which profiles are active and who chose them, so a machine's remembered choice is never a surprise. */
function profilesLine(r: StatusReport): string {
  const from = {
    flag: "from --profile",
    env: "from LINKMAN_PROFILE",
    local: `from ${LOCAL_SETTINGS_NAME}`,
    none: `choose with --profile, LINKMAN_PROFILE or ${LOCAL_SETTINGS_NAME}`,
  }[r.profileSource];
  return `Profiles: ${r.profiles.length > 0 ? r.profiles.join(", ") : "none"} (${from})`;
}
