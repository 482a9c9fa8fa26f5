import path from "node:path";
import { ExitCode } from "../../exitCode.js";
import { errorCode } from "../../fs/fileSystem.js";
import { LOCAL_SETTINGS_NAME } from "../../manifest/local.js";
import { SCHEMA_COPY_NAME, SCHEMA_COPY_REF, writeSchemaCopy } from "../../manifest/schemaCopy.js";
import type { Output } from "../output.js";
import { starterManifest } from "../starter.js";

/**
 * `linkman init`: writes a commented starter `links.yaml` (or `-c FILE`), never over a
 * file, and the schema copy beside it that the starter's `$schema` line names.
 */
export async function initCommand(out: Output): Promise<ExitCode> {
  const { fs } = out.io;
  const file = path.resolve(out.io.cwd, out.options.config ?? "links.yaml");
  try {
    await fs.writeNewFile(file, starterManifest(SCHEMA_COPY_REF));
  } catch (error) {
    const code = errorCode(error);
    if (code === "EEXIST") {
      out.error(`${out.showPath(file)} already exists; linkman init never overwrites a file`);
      out.info("edit it, or pass another path with -c FILE");
    } else {
      out.error(`cannot write ${out.showPath(file)}: ${code ?? String(error)}`);
    }
    return ExitCode.failure;
  }
  const schema = path.join(path.dirname(file), SCHEMA_COPY_NAME);
  try {
    await writeSchemaCopy(fs, schema);
  } catch (error) {
    out.error(`cannot write ${out.showPath(schema)}: ${errorCode(error) ?? String(error)}`);
    return ExitCode.failure;
  }
  out.info(
    `Wrote ${out.showPath(file)} and ${out.showPath(schema)} (commit both: editors complete and check the manifest from it).`,
  );
  out.info(
    `A machine's own profiles go in ${LOCAL_SETTINGS_NAME} beside it (add that to .gitignore).`,
  );
  out.info("Next: edit it, then run `linkman validate` and `linkman plan`.");
  return ExitCode.ok;
}
