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
 * shows none of them, and placing each as it was read cost ~8% of such a no-op's CPU. Its
 * fields are its own enumerable getters, in `placeOfEntry`'s order, so a library user who
 * reads, spreads, structuredClones or JSON.stringifies it gets the place `placeOfEntry` gives
 * (getters on the prototype gave `{}` to all but JSON).
 */
class LazyEntryPlace implements EntryPlace {
  declare readonly file: string;
  declare readonly line: number;
  declare readonly column: number;
  declare readonly lineText: string | undefined;
  declare readonly length: number | undefined;
  declare readonly path: string;
  #source: SourceDoc | undefined;
  readonly #at: number | string;
  #place: EntryPlace | undefined;

  constructor(source: SourceDoc, at: number | string) {
    this.#source = source;
    this.#at = at;
    // One defineProperty per field: defineProperties gathered the descriptors into new lists
    // each call (10,000 places: ~15 ms and 1.3 MB more, against ~4 ms this way).
    for (let i = 0; i < FIELDS.length; i++)
      Object.defineProperty(this, FIELDS[i]![0], FIELDS[i]![1]);
  }

  /** The place as a plain object: what JSON shows. */
  toJSON(): EntryPlace {
    if (!this.#place) {
      this.#place = placeOfEntry(this.#source!, this.#at);
      this.#source = undefined;
    }
    return this.#place;
  }

  /** What console.log and util.inspect show: the place's values, not six `[Getter]`s. */
  [Symbol.for("nodejs.util.inspect.custom")](): EntryPlace {
    return this.toJSON();
  }
}

/** The place's fields as getters, shared by every lazy place (made once). */
const FIELDS: readonly (readonly [string, PropertyDescriptor])[] = (
  ["file", "line", "column", "lineText", "length", "path"] as const
).map((key) => [
  key,
  {
    get(this: LazyEntryPlace) {
      return this.toJSON()[key];
    },
    enumerable: true,
  },
]);

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
