import { ExitCode } from "../../exitCode.js";
import { findManifest } from "../../manifest/find.js";
import type { Output } from "../output.js";
import { removeLinks } from "../removeLinks.js";

/**
 * `linkman unlink [--restore]`: removes every link linkman made for this manifest that is
 * still as it left it; `--restore` puts back the backups and previous links. The manifest
 * only has to be found, not valid: a broken manifest can still be unlinked.
 */
export async function unlinkCommand(out: Output): Promise<ExitCode> {
  const found = await findManifest({
    config: out.options.config,
    env: out.io.env,
    cwd: out.io.cwd,
  });
  if (!found.ok) {
    out.diagnostics(found.errors);
    return ExitCode.invalid;
  }
  return removeLinks(out, found.value.file, (state) => state.links);
}
