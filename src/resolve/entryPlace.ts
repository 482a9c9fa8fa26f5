import { formatKeyPath } from "../diagnostic.js";
import { entryRef, type ManifestEntry } from "../manifest/manifest.js";
import type { SourceDoc } from "../manifest/source.js";
import type { EntryPlace } from "./desiredLink.js";

/**
 * Where an entry is written: worked out when first read where the manifest's reader keeps no
 * syntax tree alive (`SourceDoc.light`), else right away (a large document's tree is not kept
 * for it).
 */
export function entryPlace(source: SourceDoc, entry: ManifestEntry): EntryPlace {
  return source.light ? new LazyEntryPlace(source, entry.at) : placeOfEntry(source, entry.at);
}

/**
 * An entry's place, worked out on first use and then kept: a plan of 10,000 up-to-date links
 * shows none of them, and placing each as it was read cost ~8% of such a no-op's CPU. Read
 * through its fields it is the place `placeOfEntry` gives, and JSON.stringify writes that
 * same object (`toJSON`), field for field and in order.
 */
class LazyEntryPlace implements EntryPlace {
  #source: SourceDoc | undefined;
  readonly #at: number | string;
  #place: EntryPlace | undefined;

  constructor(source: SourceDoc, at: number | string) {
    this.#source = source;
    this.#at = at;
  }

  get file(): string {
    return this.toJSON().file;
  }
  get line(): number {
    return this.toJSON().line;
  }
  get column(): number {
    return this.toJSON().column;
  }
  get lineText(): string | undefined {
    return this.toJSON().lineText;
  }
  get length(): number | undefined {
    return this.toJSON().length;
  }
  get path(): string {
    return this.toJSON().path;
  }

  /**
   * The place as a plain object: what JSON shows, and what to spread or clone (the place itself
   * has no own fields).
   */
  toJSON(): EntryPlace {
    if (!this.#place) {
      this.#place = placeOfEntry(this.#source!, this.#at);
      this.#source = undefined;
    }
    return this.#place;
  }
}

/** A place as a plain object (its own fields, for a spread into a diagnostic). */
export function plainPlace(place: EntryPlace): EntryPlace {
  return place instanceof LazyEntryPlace ? place.toJSON() : place;
}

/** Where the entry recorded as `at` (its index in a list, its key in a map) is written. */
function placeOfEntry(source: SourceDoc, at: number | string): EntryPlace {
  const ref = entryRef({ at });
  const where = source.placeOf(ref.path, ref);
  return {
    file: where.file,
    line: where.line,
    column: where.column,
    lineText: where.lineText,
    length: where.length,
    path: formatKeyPath(source.prefix.length > 0 ? [...source.prefix, ...ref.path] : ref.path),
  };
}
