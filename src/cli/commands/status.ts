import { hasDrift, statusOf } from "../../engine/status.js";
import { ExitCode } from "../../exitCode.js";
import { NodeFileSystem } from "../../fs/nodeFileSystem.js";
import type { Output } from "../output.js";
import { planFromManifest } from "../planning.js";
import { foundJson, statusLines, statusSummary } from "../views/planView.js";

/** `linkman status`: each entry ok, missing, wrong, conflict or broken; exit 1 on any drift. */
export async function statusCommand(out: Output): Promise<ExitCode> {
  const plan = await planFromManifest(out, new NodeFileSystem());
  if (!plan) return ExitCode.invalid;
  const statuses = statusOf(plan);
  if (out.options.json) {
    out.json({
      version: 1,
      manifest: plan.manifest,
      links: statuses.map(({ state, action }) => ({
        state,
        kind: action.kind,
        link: action.link,
        target: action.target,
        found: foundJson(action.found),
        message: action.message,
      })),
    });
  } else {
    const shown = out.options.quiet
      ? statuses.filter((s) => s.state !== "ok" && s.state !== "skipped")
      : statuses;
    for (const line of statusLines(shown, out.style)) out.out(line);
    if (!out.options.quiet) out.out(statusSummary(statuses));
  }
  return hasDrift(statuses) ? ExitCode.failure : ExitCode.ok;
}
