import type { ExitCode } from "../../exitCode.js";
import { prune } from "../../session/remove.js";
import { changeExitCode } from "../../session/report.js";
import { renderChange } from "../../views/render.js";
import type { Output } from "../output.js";
import { progressReporter } from "../progress.js";
import { userPath } from "../io.js";

/**
 * `linkman prune`: removes links linkman made for this manifest that it no longer lists;
 * with `--dead-links-in DIR`, also dead links in DIR that lead into the manifest's directory.
 */
export async function pruneCommand(out: Output): Promise<ExitCode> {
  const result = await prune(out.io, {
    ...out.choice,
    dryRun: out.options.dryRun,
    deadLinksIn: out.options.deadLinksIn?.map((d) => userPath(out.io, d)),
    recursive: out.options.recursive,
    onProgress: progressReporter(out),
  });
  return out.report(result, (r) => renderChange(r, out.style, out.detail), changeExitCode);
}
