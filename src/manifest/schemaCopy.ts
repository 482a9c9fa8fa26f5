import path from "node:path";
import type { FileSystem } from "../fs/fileSystem.js";
import { errorCode, isMissing, readTextFile } from "../fs/fileSystem.js";
import { MAX_MANIFEST_BYTES } from "./read.js";
import { manifestJsonSchema } from "./schema.js";

/**
 * The copy of the manifest's JSON Schema kept beside the manifest, committed with it, so
 * that an editor finds it from any clone on any machine, offline, and it matches the
 * linkman that wrote it (an absolute path or an npx cache does not travel; a URL needs a
 * network and may describe another version).
 */
export const SCHEMA_COPY_NAME = "linkman.schema.json";

/** The `$schema` reference a manifest beside its schema copy uses. */
export const SCHEMA_COPY_REF = `./${SCHEMA_COPY_NAME}`;

/** The schema as linkman writes it: the text of `schemas/linkman.schema.json`. */
export function schemaText(): string {
  return `${JSON.stringify(manifestJsonSchema(), null, 2)}\n`;
}

/** What writing the copy did: written anew, replaced an older copy, or nothing (already current). */
export type SchemaWrite = "written" | "refreshed" | "current";

/**
 * Writes this linkman's schema to `file`, or refreshes an older copy there: the new text is
 * written beside it, then renamed over it. A file there that is not a linkman schema is
 * never replaced.
 */
export async function writeSchemaCopy(fs: FileSystem, file: string): Promise<SchemaWrite> {
  const text = schemaText();
  let old: string;
  try {
    old = await readTextFile(fs, file, MAX_MANIFEST_BYTES);
  } catch (error) {
    if (!isMissing(error)) throw error;
    await fs.writeNewFile(file, text);
    return "written";
  }
  if (sameSchema(old, text)) return "current";
  if (!looksLikeOurSchema(old)) {
    throw Object.assign(new Error(`${file} is not a linkman schema; it was left as it is`), {
      code: "ENOTSCHEMA",
    });
  }
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  await fs.writeNewFile(temporary, text);
  await fs.rename(temporary, file);
  return "refreshed";
}

/**
 * What is wrong with the `$schema` line of a manifest, as a sentence, or undefined when it
 * resolves anywhere to this linkman's schema (or there is none: an editor may use the
 * catalog instead).
 */
export async function schemaLineProblem(
  fs: FileSystem,
  manifestFile: string,
): Promise<string | undefined> {
  let text: string;
  try {
    text = await readTextFile(fs, manifestFile, MAX_MANIFEST_BYTES);
  } catch {
    return undefined;
  }
  const ref = /^#\s*yaml-language-server:\s*\$schema=(\S+)/m.exec(text)?.[1];
  if (ref === undefined || /^[a-z][a-z0-9+.-]+:/i.test(ref)) return undefined;
  const fix = `write ${SCHEMA_COPY_REF} with \`linkman schema --write\` and use \`# yaml-language-server: $schema=${SCHEMA_COPY_REF}\``;
  if (path.isAbsolute(ref) || ref.startsWith("~")) {
    return `the $schema line names ${ref}, a path only this machine has; ${fix}`;
  }
  const file = path.resolve(path.dirname(manifestFile), ref);
  let copy: string;
  try {
    copy = await readTextFile(fs, file, MAX_MANIFEST_BYTES);
  } catch (error) {
    return `the $schema line names ${ref}, which ${isMissing(error) ? "does not exist" : `cannot be read (${errorCode(error) ?? String(error)})`}; ${fix}`;
  }
  if (!sameSchema(copy, schemaText())) {
    return `${ref} is stale: it is not this linkman's schema; refresh it with \`linkman schema --write\``;
  }
  return undefined;
}

/** Equal as JSON, so line endings or indentation changed by a checkout do not count. */
function sameSchema(a: string, b: string): boolean {
  try {
    return JSON.stringify(JSON.parse(a)) === JSON.stringify(JSON.parse(b));
  } catch {
    return false;
  }
}

/** Whether a file is a manifest schema some linkman wrote: JSON whose properties include `links` and `version`. */
function looksLikeOurSchema(text: string): boolean {
  try {
    const value = JSON.parse(text) as { properties?: Record<string, unknown> };
    return value.properties?.links !== undefined && value.properties.version !== undefined;
  } catch {
    return false;
  }
}
