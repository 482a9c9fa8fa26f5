import type { Diagnostic, Place, Result } from "../diagnostic.js";
import { formatKeyPath, ok } from "../diagnostic.js";
import { readFastYaml } from "./fastYaml.js";

/** A key path into a manifest, such as `["links", 2, "target"]`. */
export type KeyPath = readonly (string | number)[];

/** A parsed manifest file that can say where any key path is. */
export interface SourceDoc {
  file: string;
  /** The part of the file that is the manifest, such as `["linkman"]` in package.json. */
  prefix: KeyPath;
  /** The manifest's value as plain data. */
  value: unknown;
  /** Where the key path's value (or with `key`, its key) is, as precisely as the file allows. */
  placeOf(path: KeyPath, options?: { key?: boolean }): Located;
  /**
   * Set when `placeOf` keeps no syntax tree alive (the fast reader's offsets): places can then
   * be worked out when first shown rather than for every entry as it is read.
   */
  light?: true;
}

/** A place with the source line's text and the length of what it points at. */
export type Located = Place & { lineText: string; length: number };

/**
 * Parses manifest text (YAML, or JSON, which is YAML) keeping every position. Duplicate keys
 * are errors, never last-wins. `prefix` selects a part of the file, such as `["linkman"]`
 * in package.json; key paths stay relative to it but messages name the full path.
 * `onDuplicateKey` makes the last of repeated keys win instead, and is told each one (for
 * importing other tools' files, which their YAML readers read that way). A file in the
 * common subset of YAML is read by linkman's own fast reader; anything else, and every
 * error, by the yaml library.
 */
export async function parseSource(
  file: string,
  text: string,
  prefix: KeyPath = [],
  onDuplicateKey?: (repeated: Located, earlier: Located) => void,
): Promise<Result<SourceDoc>> {
  // The fast reader declines every duplicate key, so onDuplicateKey is never owed a call here.
  const fast = readFastYaml(file, text, prefix);
  if (fast) return ok(fast);
  // Loaded only now: a run whose manifests are all in the subset never loads the yaml library.
  const { parseYamlSource } = await import("./yamlSource.js");
  return parseYamlSource(file, text, prefix, onDuplicateKey);
}

/** A diagnostic placed at a key path of a source document. */
export function diagnosticAt(
  src: SourceDoc,
  path: KeyPath,
  message: string,
  options: { key?: boolean; hint?: string } = {},
): Diagnostic {
  const where = src.placeOf(path, { key: options.key });
  return {
    ...where,
    path: formatKeyPath([...src.prefix, ...path]),
    message,
    ...(options.hint ? { hint: options.hint } : {}),
  };
}
