import { ExitCode } from "../../exitCode.js";
import type { FileSystem } from "../../fs/fileSystem.js";
import { NodeFileSystem } from "../../fs/nodeFileSystem.js";
import { recordsNotIn } from "../../state/state.js";
import type { Output } from "../output.js";
import { listedLinks, loadOrReport } from "../planning.js";
import { removeLinks } from "../removeLinks.js";

/** `linkman prune`: removes links linkman made for this manifest that it no longer lists. */
export async function pruneCommand(
  out: Output,
  fs: FileSystem = new NodeFileSystem(),
): Promise<ExitCode> {
  const loaded = await loadOrReport(out, fs);
  if (!loaded) return ExitCode.invalid;
  return removeLinks(out, loaded.file, fs, (state) =>
    recordsNotIn(state, listedLinks(loaded), out.io.platform),
  );
}
