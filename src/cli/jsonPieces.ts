/** A report's list is written in pieces from this many elements on. */
export const LONG_LIST = 256;
/** Elements a piece: ~60 KB of text, a string and a Buffer that the young generation reuses. */
const PER_PIECE = 64;

/**
 * Gives `write` the text of `JSON.stringify(value, null, 2)` and a newline, byte for byte, with
 * a long list (a report's `actions`, a status's `links`) a few elements at a time. Written
 * whole, 10,000 actions are ~9 MB of string, flattened again by the newline's concatenation
 * and copied into a Buffer: ~7,000 page faults on this project's VM, and ~3 times the peak memory
 * the run needs otherwise.
 */
export function writeJson(
  value: unknown,
  write: (text: string) => void,
  longList = LONG_LIST,
): void {
  const key = listKey(value, longList);
  if (key === undefined) {
    write(`${JSON.stringify(value, null, 2)}\n`);
    return;
  }
  const record = value as Record<string, unknown>;
  const items = record[key] as readonly object[];
  // The rest of the value as JSON writes it, the list left empty: its slot is where the
  // list's text goes (a key one level in is the only text after a newline and two spaces).
  const head = JSON.stringify({ ...record, [key]: [] }, null, 2);
  const slot = `\n  ${JSON.stringify(key)}: []`;
  const at = head.indexOf(slot);
  write(`${head.slice(0, at)}\n  ${JSON.stringify(key)}: [\n`);
  for (let start = 0; start < items.length; start += PER_PIECE) {
    const end = Math.min(start + PER_PIECE, items.length);
    let piece = "";
    for (let i = start; i < end; i++) {
      // Two levels in: every line of the element four spaces further (JSON text holds no
      // newline but those between its lines).
      const text = JSON.stringify(items[i], null, 2).replaceAll("\n", "\n    ");
      piece += `    ${text}${i < items.length - 1 ? ",\n" : "\n"}`;
    }
    write(piece);
  }
  write(`  ]${head.slice(at + slot.length)}\n`);
}

/**
 * The key of `value`'s first list of at least `longList` elements, where writing it in pieces
 * gives JSON.stringify's very text: a plain object without toJSON, a plain array, and elements
 * that are objects or arrays without toJSON (JSON writes an undefined or a function as null
 * inside an array, and calls an element's toJSON with its index).
 */
function listKey(value: unknown, longList: number): string | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
  if (Object.getPrototypeOf(value) !== Object.prototype) return undefined;
  if ("toJSON" in value) return undefined;
  for (const [key, list] of Object.entries(value)) {
    if (!Array.isArray(list) || list.length < longList) continue;
    if (Object.getPrototypeOf(list) !== Array.prototype || "toJSON" in list) return undefined;
    for (let i = 0; i < list.length; i++) {
      const item: unknown = list[i];
      if (typeof item !== "object" || item === null || "toJSON" in item) return undefined;
    }
    return key;
  }
  return undefined;
}
