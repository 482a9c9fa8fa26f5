import { ExitCode } from "../../exitCode.js";
import { recordsNotIn } from "../../state/state.js";
import type { Output } from "../output.js";
import { listedLinks, loadOrReport } from "../planning.js";
import { removeLinks } from "../removeLinks.js";

/** `linkman prune`: removes links linkman made for this manifest that it no longer lists. */
export async function pruneCommand(out: Output): Promise<ExitCode> {
  const loaded = await loadOrReport(out);
  if (!loaded) return ExitCode.invalid;
  return removeLinks(out, loaded.file, (state) =>
    recordsNotIn(state, listedLinks(loaded), out.io.platform),
  );
}
