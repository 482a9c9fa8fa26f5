import { keysAsRead } from "./fastYaml.js";
import { ARCHES, PLATFORMS, VARIABLE_NAME, type ManifestInput } from "./schema.js";

/**
 * The hand check of a manifest: for a value `manifestSchema` accepts, the same data its parse
 * returns (keys in the schema's order, arrays and objects copied, a map only where its copy would
 * differ, optional keys only where the value has them); for anything else undefined, and zod's parse explains why. It mirrors zod
 * 4's rules exactly (its objects read keys with `in`, its records skip an own `__proto__`),
 * so a 10,000-entry manifest is checked without zod's per-field payloads and issue arrays,
 * and a valid manifest never builds the schema. test/manifestCheck.test.ts holds both to the
 * same answer.
 */
export function checkedManifest(value: unknown): ManifestInput | undefined {
  return strict(value, MANIFEST) as ManifestInput | undefined;
}

/** A value as the schema would return it, or undefined when the schema refuses it. */
type Check = (value: unknown) => unknown;

/** A key of a closed object: its check, and whether it may be left out. */
type Field = readonly [key: string, check: Check, optional: boolean];

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** zod's test for a record's input: an object whose prototype, if any, looks like Object's. */
function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (!isObject(v)) return false;
  const ctor = (v as { constructor?: unknown }).constructor;
  if (typeof ctor !== "function") return true;
  const proto = (ctor as { prototype?: unknown }).prototype;
  return isObject(proto) && Object.prototype.hasOwnProperty.call(proto, "isPrototypeOf");
}

/** A closed object's keys, and the set of their names for the unknown-key test. */
interface Shape {
  fields: readonly Field[];
  names: ReadonlySet<string>;
}
const shape = (fields: readonly Field[]): Shape => ({
  fields,
  names: new Set(fields.map((f) => f[0])),
});

/** zod's strict object: every key known (as `for…in` sees them), known keys copied in shape order. */
function strict(input: unknown, { fields, names }: Shape): Record<string, unknown> | undefined {
  if (!isObject(input)) return undefined;
  for (const key in input) if (!names.has(key)) return undefined;
  const out: Record<string, unknown> = {};
  for (const [key, check, optional] of fields) {
    // zod reads a key as `in` does (inherited ones too), and keeps a present optional undefined.
    if (!(key in input)) {
      if (optional) continue;
      return undefined;
    }
    const v = input[key];
    if (v === undefined && optional) {
      out[key] = undefined;
      continue;
    }
    const checked = check(v);
    if (checked === undefined) return undefined;
    out[key] = checked;
  }
  return out;
}

/**
 * zod's record with a constrained (not enumerated) key: own enumerable keys, an own
 * `__proto__` dropped. The input itself when its copy would hold the same keys and values (a
 * 10,000-entry `links` map is not built twice); a copy otherwise.
 */
function record(
  input: unknown,
  keyOk: (key: string) => boolean,
  check: Check,
): Record<string, unknown> | undefined {
  if (!isPlainObject(input)) return undefined;
  // A large map straight from the fast reader: plain, and its keys, listed as read, are all it has.
  const asRead = keysAsRead(input);
  if (asRead && unchangedBy(input, asRead, keyOk, check)) return input;
  const keys = Reflect.ownKeys(input);
  // The copy starts at the first key where it would differ: until then every key was kept, a
  // string, with its value as it is. zod's copy is a plain object: an input with another
  // prototype (or none) is copied from the start.
  const copyBefore = (end: number) => {
    const copy: Record<string, unknown> = {};
    for (let j = 0; j < end; j++) copy[keys[j] as string] = input[keys[j] as string];
    return copy;
  };
  let out = Object.getPrototypeOf(input) === Object.prototype ? undefined : copyBefore(0);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string | symbol;
    if (key === "__proto__" || !Object.prototype.propertyIsEnumerable.call(input, key)) {
      out ??= copyBefore(i);
      continue;
    }
    if (typeof key !== "string" || !keyOk(key)) return undefined;
    const v = check(input[key]);
    if (v === undefined) return undefined;
    if (out === undefined && v !== input[key]) out = copyBefore(i);
    if (out !== undefined) out[key] = v;
  }
  return out ?? input;
}

/** Whether every key passes and every value's check returns it as it is. */
function unchangedBy(
  input: Record<string, unknown>,
  keys: readonly string[],
  keyOk: (key: string) => boolean,
  check: Check,
): boolean {
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    const v = input[key];
    if (!keyOk(key) || check(v) !== v) return false;
  }
  return true;
}

/** zod's array, copied; `min` items at least. */
function list(input: unknown, check: Check, min = 0): unknown[] | undefined {
  if (!Array.isArray(input) || input.length < min) return undefined;
  const out = new Array<unknown>(input.length);
  for (let i = 0; i < input.length; i++) {
    const v = check(input[i]);
    if (v === undefined) return undefined;
    out[i] = v;
  }
  return out;
}

const oneOrMany =
  (check: Check): Check =>
  (v) =>
    Array.isArray(v) ? list(v, check, 1) : check(v);
const oneOf = (values: readonly unknown[]): Check => {
  const set = new Set(values);
  return (v) => (set.has(v) ? v : undefined);
};
const string: Check = (v) => (typeof v === "string" ? v : undefined);
const nonEmpty: Check = (v) => (typeof v === "string" && v.length > 0 ? v : undefined);
const noNul: Check = (v) => (typeof v === "string" && !v.includes("\u0000") ? v : undefined);
/** `pathText` in schema.ts: not empty, no NUL. */
const pathText: Check = (v) => (nonEmpty(v) === undefined ? undefined : noNul(v));
const boolean: Check = (v) => (typeof v === "boolean" ? v : undefined);
/** One segment of a path: not empty, no `/` or `\`. */
const NAME = /^[^/\\]+$/;
const name =
  (inner: Check): Check =>
  (v) =>
    inner(v) !== undefined && NAME.test(v as string) ? v : undefined;
const isVariable = (key: string) => VARIABLE_NAME.test(key);
/** `env`'s values: zod's number refuses NaN and the infinities. */
const envValue: Check = (v) =>
  typeof v === "boolean" || typeof v === "string" || (typeof v === "number" && Number.isFinite(v))
    ? v
    : undefined;

const OPTION_FIELDS: readonly Field[] = [
  ["kind", oneOf(["symlink", "hardlink", "junction", "wrapper"]), true],
  ["relative", boolean, true],
  ["mkdirs", boolean, true],
  ["onConflict", oneOf(["fail", "skip", "backup", "chain"]), true],
  ["ifMissing", oneOf(["error", "skip", "link"]), true],
  ["fallback", oneOf(["none", "auto"]), true],
];
const OPTIONS = shape(OPTION_FIELDS);

const WHEN = shape([
  ["os", oneOrMany(oneOf(PLATFORMS)), true],
  ["arch", oneOrMany(oneOf(ARCHES)), true],
  ["host", oneOrMany(nonEmpty), true],
  ["profile", oneOrMany(nonEmpty), true],
  ["env", (v) => record(v, isVariable, envValue), true],
  ["command", oneOrMany(name(nonEmpty)), true],
]);
const when: Check = (v) => strict(v, WHEN);

const RENAME = shape([
  ["dotPrefix", boolean, true],
  ["prefix", name(pathText), true],
]);

const ENTRY = shape([
  ["link", pathText, false],
  ["target", pathText, false],
  ...OPTION_FIELDS,
  ["exclude", oneOrMany(pathText), true],
  ["rename", (v) => strict(v, RENAME), true],
  ["when", when, true],
]);
const entry: Check = (v) => strict(v, ENTRY);

const DIRECTORY = shape([
  ["path", pathText, false],
  ["when", when, true],
]);

const MANIFEST = shape([
  ["$schema", string, true],
  ["version", oneOf([1]), false],
  ["base", pathText, true],
  ["vars", (v) => record(v, isVariable, noNul), true],
  ["defaults", (v) => strict(v, OPTIONS), true],
  ["include", (v) => list(v, pathText), true],
  [
    "links",
    (v) =>
      Array.isArray(v) ? list(v, entry) : record(v, (k) => pathText(k) !== undefined, pathText),
    true,
  ],
  [
    "directories",
    (v) => list(v, (d) => (typeof d === "string" ? pathText(d) : strict(d, DIRECTORY))),
    true,
  ],
]);
