import { hasDrift, statusOf } from "../../engine/status.js";
import { foundJson } from "../../engine/planJson.js";
import { ExitCode } from "../../exitCode.js";
import { readState } from "../../state/stateFile.js";
import { recordsByLink, stillOurs, type State } from "../../state/state.js";
import type { Output } from "../output.js";
import { loadOrReport, planFor } from "../planning.js";
import { stateFileFor } from "../session.js";
import { statusLines, statusSummary } from "../views/planView.js";

/**
 * `linkman status`: each entry ok, missing, wrong, conflict or broken, and whether linkman
 * made the link (from its state); exit 1 on any drift.
 */
export async function statusCommand(out: Output): Promise<ExitCode> {
  const { fs } = out.io;
  const loaded = await loadOrReport(out);
  if (!loaded) return ExitCode.invalid;
  const plan = await planFor(out, loaded);
  const statuses = statusOf(plan);

  const file = stateFileFor(out, loaded.file);
  const read = await readState(fs, file, loaded.file, out.io.platform);
  if (!read.ok)
    out.info(
      `warning: the state file ${file} ${read.problem}; cannot tell which links linkman made`,
    );
  const state: State | undefined = read.ok ? read.state : undefined;
  const records = state ? recordsByLink(state) : new Map();
  const madeByLinkman = (link: string, found: Parameters<typeof stillOurs>[1]) => {
    const record = records.get(link);
    return record ? stillOurs(record, found) : false;
  };

  if (out.options.json) {
    out.json({
      version: 1,
      manifest: plan.manifest,
      links: statuses.map(({ state: linkState, action }) => ({
        state: linkState,
        kind: action.kind,
        link: action.link,
        target: action.target,
        found: foundJson(action.found),
        madeByLinkman: madeByLinkman(action.link, action.found),
        message: action.message,
      })),
    });
  } else {
    const shown = out.options.quiet
      ? statuses.filter((s) => s.state !== "ok" && s.state !== "skipped")
      : statuses;
    const lines = statusLines(shown, out.style);
    shown.forEach((s, i) => {
      const note =
        s.state === "ok" && state && !madeByLinkman(s.action.link, s.action.found)
          ? out.colors.dim(" (not made by linkman)")
          : "";
      out.out(`${lines[i] ?? ""}${note}`);
    });
    if (!out.options.quiet) out.out(statusSummary(statuses));
  }
  return hasDrift(statuses) ? ExitCode.failure : ExitCode.ok;
}
