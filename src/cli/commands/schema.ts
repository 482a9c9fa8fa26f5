import { ExitCode } from "../../exitCode.js";
import { manifestJsonSchema } from "../../manifest/schema.js";
import type { Output } from "../output.js";

/** `linkman schema`: prints the manifest's JSON Schema, the one in `schemas/`. */
export function schemaCommand(out: Output): ExitCode {
  out.json(manifestJsonSchema());
  return ExitCode.ok;
}
