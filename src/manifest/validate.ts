import type * as z from "zod";
import type { Diagnostic } from "../diagnostic.js";
import { diagnosticAt, type KeyPath, type SourceDoc } from "./source.js";
import { checkedManifest } from "./check.js";
import { knownKeysAt, manifestSchema, type ManifestInput } from "./schema.js";
import { unknownKeyHint, unknownValueHint } from "./suggest.js";

/**
 * Checks a parsed manifest against the schema; every problem, each at its line. A valid
 * manifest is checked by hand; zod's parse runs only to explain one that is not.
 */
export function validateManifest(
  src: SourceDoc,
): { ok: true; value: ManifestInput } | { ok: false; errors: Diagnostic[] } {
  if (src.value === undefined || src.value === null) {
    return {
      ok: false,
      errors: [
        diagnosticAt(src, [], "the manifest is empty", {
          hint: "start with `version: 1` and a `links:` list; `linkman init` writes a commented starter",
        }),
      ],
    };
  }
  const checked = checkedManifest(src.value);
  if (checked) return { ok: true, value: checked };
  const parsed = manifestSchema.safeParse(src.value);
  if (parsed.success) return { ok: true, value: parsed.data };
  return {
    ok: false,
    errors: typeFirst(parsed.error.issues).flatMap((issue) => explain(src, issue, [])),
  };
}

/**
 * The issues without the length checks of a value of the wrong type: zod checks the length
 * of a list given for a string too (`link: []`), and "must list at least one value" beside
 * "expected a string, found a list" points the wrong way.
 */
function typeFirst(issues: readonly z.core.$ZodIssue[]): readonly z.core.$ZodIssue[] {
  const key = (i: z.core.$ZodIssue) => JSON.stringify(i.path);
  const wrongType = new Set(issues.filter((i) => i.code === "invalid_type").map(key));
  if (wrongType.size === 0) return issues;
  return issues.filter((i) => i.code !== "too_small" || !wrongType.has(key(i)));
}

/** Turns one zod issue into diagnostics; `base` is the path of an enclosing union. */
function explain(src: SourceDoc, issue: z.core.$ZodIssue, base: KeyPath): Diagnostic[] {
  const path = [...base, ...(issue.path as (string | number)[])];
  const found = valueAt(src.value, path);
  const missing =
    found === undefined && (issue.code === "invalid_type" || issue.code === "invalid_value");
  if (missing) {
    const key = String(path[path.length - 1]);
    return [
      diagnosticAt(src, path.slice(0, -1), `missing required key \`${key}\``, {
        hint: requiredHint(key),
      }),
    ];
  }
  switch (issue.code) {
    case "unrecognized_keys": {
      const known = knownKeysAt(path);
      return issue.keys.map((key) =>
        diagnosticAt(src, [...path, key], `unknown key \`${key}\``, {
          key: true,
          hint:
            unknownKeyHint(key, known) ??
            (known.length ? `expected one of: ${known.join(", ")}` : undefined),
        }),
      );
    }
    case "invalid_type":
      return [
        diagnosticAt(src, path, `expected ${typeName(issue.expected)}, found ${describe(found)}`),
      ];
    case "invalid_value": {
      const allowed = issue.values.map((v) => String(v));
      const shown = allowed.length === 1 ? `${allowed[0]}` : `one of ${allowed.join(", ")}`;
      const hint =
        path.length === 1 && path[0] === "version"
          ? "this linkman reads manifest version 1"
          : typeof found === "string"
            ? unknownValueHint(found, allowed)
            : undefined;
      return [diagnosticAt(src, path, `expected ${shown}, found ${describe(found)}`, { hint })];
    }
    case "too_small":
      return [
        diagnosticAt(
          src,
          path,
          Array.isArray(found) ? "must list at least one value" : "must not be empty",
        ),
      ];
    case "invalid_key": {
      const key = String(path[path.length - 1]);
      // A variable's name: under vars, or one `when.env` asks about.
      if (path[0] === "vars" || path[path.length - 2] === "env") {
        return [
          diagnosticAt(src, path, `\`${key}\` is not a valid variable name`, {
            key: true,
            hint: "names are letters, digits and _, and do not start with a digit",
          }),
        ];
      }
      const why = issue.issues[0]?.message ?? "is not a valid key";
      return [diagnosticAt(src, path, `the key ${describe(key)} ${why}`, { key: true })];
    }
    case "invalid_union":
      return explainUnion(src, issue, path, found);
    default:
      return [diagnosticAt(src, path, issue.message)];
  }
}

/**
 * A union failed. If some branch has the right shape (its issues lie deeper than the
 * union itself), that branch's issues are the useful ones; otherwise the value had the
 * wrong type for every branch, and the message lists what would have been accepted.
 */
function explainUnion(
  src: SourceDoc,
  issue: z.core.$ZodIssueInvalidUnion,
  path: KeyPath,
  found: unknown,
): Diagnostic[] {
  const shallow = (i: z.core.$ZodIssue) => i.code === "invalid_type" && i.path.length === 0;
  // Of the branches with the right shape, the one that got furthest into the value: for a
  // list of names (`os: [linux, plan9]`), the list's item, not the single name's "found a list".
  const depth = (errors: z.core.$ZodIssue[]) => Math.max(...errors.map((i) => i.path.length));
  let branch: z.core.$ZodIssue[] | undefined;
  for (const errors of issue.errors) {
    if (errors.length === 0 || errors.some(shallow)) continue;
    if (!branch || depth(errors) > depth(branch)) branch = errors;
  }
  if (branch) return typeFirst(branch).flatMap((i) => explain(src, i, path));
  const expected = issue.errors
    .flat()
    .filter(shallow)
    .map((i) => typeName((i as z.core.$ZodIssueInvalidType).expected));
  const list = [...new Set(expected)];
  const shown = list.length > 1 ? `${list.slice(0, -1).join(", ")} or ${list.at(-1)}` : list[0];
  return [
    diagnosticAt(src, path, `expected ${shown ?? "another value"}, found ${describe(found)}`),
  ];
}

function requiredHint(key: string): string | undefined {
  if (key === "version") return "add `version: 1` at the top of the manifest";
  if (key === "link") return "each entry needs `link:` (where the link goes) and `target:`";
  if (key === "target") return "each entry needs `target:` (what the link points to) and `link:`";
  return undefined;
}

function typeName(expected: string): string {
  switch (expected) {
    case "string":
      return "a string";
    case "array":
      return "a list";
    case "object":
    case "record":
      return "a map";
    case "boolean":
      return "true or false";
    case "number":
      return "a number";
    default:
      return expected;
  }
}

/** How a found value is named in a message. */
export function describe(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "an empty value (null)";
  if (typeof value === "string") {
    const short = value.length > 60 ? `${value.slice(0, 57)}...` : value;
    return value === "" ? "an empty string" : JSON.stringify(short);
  }
  if (typeof value === "boolean") return String(value);
  if (typeof value === "number") return `the number ${value}`;
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a map";
  return typeof value;
}

function valueAt(value: unknown, path: KeyPath): unknown {
  let v = value;
  for (const key of path) {
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<string | number, unknown>)[key];
  }
  return v;
}
