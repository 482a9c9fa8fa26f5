import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkedManifest } from "../src/manifest/check.js";
import { ARCHES, manifestSchema, PLATFORMS } from "../src/manifest/schema.js";
import { parseSource } from "../src/manifest/source.js";

const root = path.resolve(import.meta.dirname, "..");

/** A key left out of a generated object (undefined is a value the generator also writes). */
const ABSENT = Symbol("absent");

/** Values of the wrong type or shape for almost any key, edge cases of the right type among them. */
const junk = fc.constantFrom<unknown>(
  null,
  undefined,
  0,
  1,
  -0,
  1.5,
  NaN,
  Infinity,
  -Infinity,
  true,
  false,
  "",
  "\u0000",
  "x",
  [],
  ["x"],
  [undefined],
  {},
  { x: 1 },
  new Date(0),
);

/** Text a path may be, and text a command's name or a prefix may be (no / or \). */
const pathText = fc.oneof(
  fc.constantFrom("~/.vimrc", "vim/vimrc", "${CONFIG}/nvim", "home/**", "C:\\x", "/", "\\"),
  fc.constantFrom(" ", "__proto__", "constructor", "toString", "1", "é", "💥", "x".repeat(300)),
  fc.string({ minLength: 1, maxLength: 6 }),
);
const nameText = fc.oneof(
  fc.constantFrom("nvim", "work-*", ".", "__proto__", "hasOwnProperty", "é"),
  fc.stringMatching(/^[^/\\\0]{1,6}$/),
);
/** Text no key of the schema takes everywhere: empty, NUL, separators, anything at all. */
const edgeText = fc.oneof(
  fc.constantFrom("", "\u0000", "a\u0000b", "a/b", "a\\b", "1A", "a-b", "$A"),
  fc.string({ unit: "binary", maxLength: 4 }),
);
const varName = fc.constantFrom("HOME", "_x", "A1", "CONFIG", "a_b_C", "__proto__");

/** How an object's pairs become a value; zod tells these forms apart. */
type Form = "plain" | "nullPrototype" | "inherited" | "hidden" | "instance" | "array" | "symbol";

class Instance {}

/** An own, enumerable property, `__proto__` included (assignment would set the prototype). */
function put(o: object, key: PropertyKey, value: unknown, enumerable = true): void {
  Object.defineProperty(o, key, { value, enumerable, writable: true, configurable: true });
}

/** The object of these pairs in one form. */
function materialise(pairs: readonly (readonly [string, unknown])[], form: Form): unknown {
  if (form === "array") return pairs.map(([, v]) => v);
  if (form === "inherited") {
    // The first half comes from the prototype: zod's objects read keys with `in` and `for…in`.
    const half = Math.floor(pairs.length / 2);
    const proto = {};
    pairs.slice(0, half).forEach(([k, v]) => put(proto, k, v));
    const o = Object.create(proto) as object;
    pairs.slice(half).forEach(([k, v]) => put(o, k, v));
    return o;
  }
  const o =
    form === "nullPrototype"
      ? (Object.create(null) as object)
      : form === "instance"
        ? new Instance()
        : {};
  for (const [k, v] of pairs) put(o, k, v);
  if (form === "symbol") put(o, Symbol("s"), "x");
  if (form === "hidden") put(o, "hidden", "x", false);
  return o;
}

/**
 * Manifests with every key and value form the schema allows, where each choice goes wrong
 * with weight `noise` against 100 (a wrong type, an unknown key, a bad enum value, a missing
 * key, edge text, an array for a map): with a low noise most manifests are valid or have one
 * fault, with a high one most have several.
 */
function manifestArb(noise: number) {
  const either = (good: fc.Arbitrary<unknown>, bad: fc.Arbitrary<unknown>) =>
    fc.oneof({ weight: 100, arbitrary: good }, { weight: noise, arbitrary: bad });
  const pick = (good: fc.Arbitrary<unknown>) => either(good, junk);
  const paths = either(pathText, edgeText);
  const names = either(nameText, fc.oneof(edgeText, pathText));
  const vars = either(varName, fc.oneof(edgeText, pathText));
  const oneOf = (values: readonly unknown[]) =>
    either(fc.constantFrom(...values), fc.constantFrom("", "Symlink", "LINUX", "other", 1, null));
  /** One value or a list of them; the empty list is a fault. */
  const oneOrMany = (item: fc.Arbitrary<unknown>) =>
    either(fc.oneof(item, fc.array(item, { minLength: 1, maxLength: 3 })), fc.constant([]));
  const form = either(
    fc.constantFrom<Form>("plain", "plain", "plain", "nullPrototype", "inherited", "hidden"),
    fc.constantFrom<Form>("instance", "array", "symbol"),
  ) as fc.Arbitrary<Form>;
  const extraKey = either(
    fc.constant(undefined),
    fc.tuple(
      fc.constantFrom("extra", "Link", "__proto__", "constructor", "toString", "", "links"),
      junk,
    ),
  ) as fc.Arbitrary<readonly [string, unknown] | undefined>;

  /** A closed object: required keys nearly always there, optional ones half the time. */
  const object = (fields: Record<string, fc.Arbitrary<unknown>>, required: string[] = []) => {
    const keys = Object.keys(fields);
    const values = keys.map((key) =>
      required.includes(key)
        ? either(pick(fields[key]!), fc.constant(ABSENT))
        : fc.option(pick(fields[key]!), { nil: ABSENT as unknown }),
    );
    return fc.tuple(fc.tuple(...values), extraKey, form).map(([vs, extra, f]) => {
      const pairs: (readonly [string, unknown])[] = [];
      keys.forEach((k, i) => vs[i] !== ABSENT && pairs.push([k, vs[i]]));
      if (extra) pairs.push(extra);
      return materialise(pairs, f);
    });
  };
  /** A map of any keys to values. */
  const recordOf = (key: fc.Arbitrary<unknown>, value: fc.Arbitrary<unknown>) =>
    fc
      .tuple(fc.array(fc.tuple(key as fc.Arbitrary<string>, pick(value)), { maxLength: 4 }), form)
      .map(([pairs, f]) => materialise(pairs, f));

  const options = {
    kind: oneOf(["symlink", "hardlink", "junction", "wrapper"]),
    relative: fc.boolean(),
    mkdirs: fc.boolean(),
    onConflict: oneOf(["fail", "skip", "backup", "chain"]),
    ifMissing: oneOf(["error", "skip", "link"]),
    fallback: oneOf(["none", "auto"]),
  };
  const when = object({
    os: oneOrMany(oneOf(PLATFORMS)),
    arch: oneOrMany(oneOf(ARCHES)),
    host: oneOrMany(paths),
    profile: oneOrMany(paths),
    env: recordOf(
      vars,
      fc.oneof(fc.boolean(), paths, fc.integer(), either(fc.double(), fc.constant(NaN))),
    ),
    command: oneOrMany(names),
  });
  const entry = object(
    {
      link: paths,
      target: paths,
      ...options,
      exclude: oneOrMany(paths),
      rename: object({ dotPrefix: fc.boolean(), prefix: names }),
      when,
    },
    ["link", "target"],
  );
  return object(
    {
      $schema: fc.oneof(paths, edgeText),
      version: either(fc.constant(1), fc.constantFrom(2, "1", 1.5)),
      base: paths,
      vars: recordOf(vars, fc.oneof(paths, fc.constant(""))),
      defaults: object(options),
      include: fc.array(paths, { maxLength: 3 }),
      links: fc.oneof(fc.array(entry, { maxLength: 4 }), recordOf(paths, paths)),
      directories: fc.array(fc.oneof(paths, object({ path: paths, when }, ["path"])), {
        maxLength: 3,
      }),
    },
    ["version"],
  );
}
const manifest = fc.oneof(manifestArb(1), manifestArb(3), manifestArb(20));
/** The data with its keys in order and undefined values shown, for an exact comparison. */
const exact = (value: unknown) =>
  JSON.stringify(value, (_, v: unknown) => (v === undefined ? "(undefined)" : v));

/** Asserts that the hand check and zod give the same answer for one value; says which it was. */
function sameAnswer(value: unknown): boolean {
  const parsed = manifestSchema.safeParse(value);
  const checked = checkedManifest(value);
  expect(checked !== undefined, "the hand check accepts exactly when zod does").toBe(
    parsed.success,
  );
  if (parsed.success) {
    expect(checked).toStrictEqual(parsed.data);
    expect(exact(checked)).toBe(exact(parsed.data));
  }
  return parsed.success;
}

describe("the hand check of a manifest", () => {
  it("accepts exactly the manifests zod accepts, and returns the data zod's parse returns", () => {
    const answers = { valid: 0, invalid: 0 };
    fc.assert(
      fc.property(manifest, (value) => {
        answers[sameAnswer(value) ? "valid" : "invalid"]++;
      }),
      { numRuns: 3000 },
    );
    // The generator reaches both answers often, or the property would say little.
    expect(answers.valid).toBeGreaterThan(300);
    expect(answers.invalid).toBeGreaterThan(300);
  });

  it("gives zod's answer for values that are no manifest at all", () => {
    for (const value of [undefined, null, 1, "version: 1", [], [{ version: 1 }], new Date(0)])
      expect(sameAnswer(value)).toBe(false);
  });

  it("keeps an optional key that is present with an undefined value, as zod does", () => {
    expect(sameAnswer({ version: 1, base: undefined, links: [] })).toBe(true);
    expect(checkedManifest({ version: 1, base: undefined })).toHaveProperty("base");
  });

  it("drops an own __proto__ key of a map of links, as zod's record does", () => {
    const links = { "~/.vimrc": "vim/vimrc" };
    put(links, "__proto__", "x");
    expect(sameAnswer({ version: 1, links })).toBe(true);
    expect(Object.keys(checkedManifest({ version: 1, links })!.links!)).toEqual(["~/.vimrc"]);
  });

  it("refuses an own __proto__ key of an entry, as zod's strict object does", () => {
    const entry = { link: "~/.vimrc", target: "vim/vimrc" };
    put(entry, "__proto__", {});
    expect(sameAnswer({ version: 1, links: [entry] })).toBe(false);
  });
});

/** Every manifest the repository ships, and the malformed ones the tests use. */
const files = [
  "links.example.yaml",
  "examples/dotfiles/links.yaml",
  "examples/dotfiles/local.yaml.example",
  "examples/repo-onboarding/links.yaml",
  ...readdirSync(path.join(root, "test/fixtures/malformed")).map(
    (name) => `test/fixtures/malformed/${name}`,
  ),
];

describe("the manifests in the repository", () => {
  it.each(files)("%s gets the same answer from the hand check and from zod", async (file) => {
    const parsed = await parseSource(file, readFileSync(path.join(root, file), "utf8"));
    if (!parsed.ok) {
      // Not YAML a manifest could be: nothing of it reaches validation.
      expect(file).toMatch(/^test\//);
      return;
    }
    const valid = sameAnswer(parsed.value.value);
    if (!file.startsWith("test/")) expect(valid).toBe(true);
  });
});
