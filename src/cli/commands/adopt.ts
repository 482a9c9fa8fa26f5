import type { ExitCode } from "../../exitCode.js";
import { adopt } from "../../session/adopt.js";
import { changeExitCode } from "../../session/report.js";
import { renderChange } from "../../views/render.js";
import { userPath } from "../io.js";
import type { Output } from "../output.js";
import { progressReporter } from "../progress.js";

/**
 * `linkman adopt [LINK…]`: for entries whose link path holds a real file or directory and
 * whose target does not exist yet, moves it into the repository at the target and links
 * it. Never overwrites a target. Named LINKs must be links of the manifest.
 */
export async function adoptCommand(out: Output, args: readonly string[]): Promise<ExitCode> {
  const result = await adopt(out.io, {
    ...out.choice,
    dryRun: out.options.dryRun,
    links: args.map((a) => userPath(out.io, a)),
    onProgress: progressReporter(out),
  });
  return out.report(result, (r) => renderChange(r, out.style, out.detail), changeExitCode);
}
