import { ExitCode } from "../../exitCode.js";
import { manifestJsonSchema } from "../../manifest/schema.js";
import { reportJsonSchemas } from "../../session/report.js";
import type { Output } from "../output.js";

/** The schemas `linkman schema NAME` prints: the manifest's (the default), and the JSON the commands print. */
const SCHEMAS = ["manifest", "plan", "apply", "status"] as const;

/**
 * `linkman schema [manifest|plan|apply|status]`: prints a JSON Schema, the one in
 * `schemas/`: the manifest's, or that of what `plan`, `apply` and `status` print with --json.
 */
export function schemaCommand(out: Output, args: readonly string[] = []): ExitCode {
  const [name = "manifest"] = args;
  if (!(SCHEMAS as readonly string[]).includes(name)) {
    out.error(`no schema named ${JSON.stringify(name)}: choose ${SCHEMAS.join(", ")}`);
    return ExitCode.invalid;
  }
  out.json(name === "manifest" ? manifestJsonSchema() : reportJsonSchemas()[`${name}.schema.json`]);
  return ExitCode.ok;
}
