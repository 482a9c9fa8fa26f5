import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

// This module sits one directory below the package root both as source (src/) and as
// built output (dist/), so the same relative URLs find package.json and the schema.
const root = new URL("../", import.meta.url);

/** linkman's version, from its package.json. */
export function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL("package.json", root), "utf8")) as {
    version: string;
  };
  return pkg.version;
}

/** The absolute path of the manifest's JSON Schema shipped with linkman. */
export function schemaPath(): string {
  return fileURLToPath(new URL("schemas/linkman.schema.json", root));
}
