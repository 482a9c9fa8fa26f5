import path from "node:path";
import { ExitCode } from "../../exitCode.js";
import { errorCode } from "../../fs/fileSystem.js";
import { manifestJsonSchema } from "../../manifest/schema.js";
import { SCHEMA_COPY_NAME, writeSchemaCopy } from "../../manifest/schemaCopy.js";
import { locateManifest } from "../../session/load.js";
import { reportJsonSchemas } from "../../session/report.js";
import type { Output } from "../output.js";

/** The schemas `linkman schema NAME` prints: the manifest's (the default), and the JSON the commands print. */
const SCHEMAS = ["manifest", "plan", "apply", "status"] as const;

/**
 * `linkman schema [manifest|plan|apply|status]`: prints a JSON Schema, the one in
 * `schemas/`: the manifest's, or that of what `plan`, `apply` and `status` print with --json.
 * With `--write`, writes (or refreshes) the manifest's schema copy beside the manifest.
 */
export async function schemaCommand(out: Output, args: readonly string[] = []): Promise<ExitCode> {
  const [name = "manifest"] = args;
  if (!(SCHEMAS as readonly string[]).includes(name)) {
    out.error(`no schema named ${JSON.stringify(name)}: choose ${SCHEMAS.join(", ")}`);
    return ExitCode.invalid;
  }
  if (out.options.write) {
    if (name !== "manifest") {
      out.error("--write writes the manifest's schema only");
      return ExitCode.invalid;
    }
    return writeCopy(out);
  }
  out.json(name === "manifest" ? manifestJsonSchema() : reportJsonSchemas()[`${name}.schema.json`]);
  return ExitCode.ok;
}

/** Writes the schema copy beside the manifest that -c, LINKMAN_CONFIG or the search finds. */
async function writeCopy(out: Output): Promise<ExitCode> {
  const found = await locateManifest(out.io, out.choice);
  if (!found.ok) {
    out.diagnostics(found.errors);
    return ExitCode.invalid;
  }
  const file = path.join(path.dirname(found.value.file), SCHEMA_COPY_NAME);
  try {
    const done = await writeSchemaCopy(out.io.fs, file);
    out.info(
      {
        written: `Wrote ${out.showPath(file)}.`,
        refreshed: `Refreshed ${out.showPath(file)} to this linkman's schema.`,
        current: `${out.showPath(file)} is already this linkman's schema.`,
      }[done],
    );
    return ExitCode.ok;
  } catch (error) {
    out.error(
      errorCode(error) === "ENOTSCHEMA"
        ? `${out.showPath(file)} is not a linkman schema; it was left as it is (move it, then run this again)`
        : `cannot write ${out.showPath(file)}: ${errorCode(error) ?? String(error)}`,
    );
    return ExitCode.failure;
  }
}
