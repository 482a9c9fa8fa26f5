import {
  isAlias,
  isMap,
  isNode,
  isPair,
  isScalar,
  isSeq,
  parseDocument,
  visit,
  type Document,
  type Node as YamlNode,
} from "yaml";
import type { Result } from "../diagnostic.js";
import { fail, ok } from "../diagnostic.js";
import { printable } from "../display.js";
import { locator } from "./lines.js";
import type { KeyPath, Located, SourceDoc } from "./source.js";

/** At most this many aliases are expanded, so an alias bomb ("billion laughs") cannot exhaust memory. */
const MAX_ALIAS_COUNT = 1000;

/**
 * Parses manifest text (YAML, or JSON, which is YAML) with the yaml library, keeping every position. Duplicate keys
 * are errors, never last-wins. `prefix` selects a part of the file, such as `["linkman"]`
 * in package.json; key paths stay relative to it but messages name the full path.
 * `onDuplicateKey` makes the last of repeated keys win instead, and is told each one (for
 * importing other tools' files, which their YAML readers read that way).
 */
export function parseYamlSource(
  file: string,
  text: string,
  prefix: KeyPath = [],
  onDuplicateKey?: (repeated: Located, earlier: Located) => void,
): Result<SourceDoc> {
  // Duplicate keys are found below in one pass: the library's own check compares every key
  // with every earlier one, which is quadratic in a map of thousands of links.
  const doc = parseDocument(text, {
    uniqueKeys: false,
    merge: true,
    prettyErrors: false,
    strict: true,
  });
  const locate = locator(file, text);

  const problems = [
    ...[...doc.errors, ...doc.warnings].map((e) => ({
      ...locate(e.pos[0], e.pos[1]),
      path: "",
      message: yamlMessage(e.code, e.message),
    })),
    ...duplicateKeys(doc)
      .filter(([repeated, earlier]) => {
        onDuplicateKey?.(locate(...repeated), locate(...earlier));
        return !onDuplicateKey;
      })
      .map(([[start, end], earlier, key]) => {
        const here = locate(start, end);
        const first = locate(...earlier).line;
        return {
          ...here,
          path: "",
          message: `\`${printable(key)}\` is set twice in the same map: first at line ${first}, again at line ${here.line}`,
          hint: "YAML keys must be unique and linkman never takes the last one silently; remove one of them",
        };
      }),
  ];
  if (problems.length > 0) return fail(problems);
  // Only the manifest's own part of the file: a package.json's other keys are not linkman's.
  let part: unknown = doc.contents;
  for (const key of prefix) part = childPair(doc, part, key)?.value;
  const badKeys = keyProblems(doc, part).map(({ range, message, hint }) => ({
    ...locate(range[0], range[1]),
    path: "",
    message,
    hint,
  }));
  if (badKeys.length > 0) return fail(badKeys);

  let whole: unknown;
  try {
    whole = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    return fail([
      {
        file,
        line: 1,
        column: 1,
        path: "",
        message: `cannot read the YAML: ${error instanceof Error ? error.message : String(error)}`,
        hint: "YAML aliases (*name) may be expanded at most 1000 times in a manifest",
      },
    ]);
  }

  let value = whole;
  for (const key of prefix) value = (value as Record<string, unknown> | undefined)?.[key];

  const placeOf = (path: KeyPath, options: { key?: boolean } = {}): Located => {
    const full = [...prefix, ...path];
    let node: unknown = doc.contents;
    let best: [number, number] | undefined = rangeOf(node);
    for (let i = 0; i < full.length; i++) {
      const pair = childPair(doc, node, full[i] as string | number);
      if (!pair) break;
      const isLast = i === full.length - 1;
      if (isLast && options.key && pair.key) {
        best = rangeOf(pair.key) ?? best;
        break;
      }
      node = pair.value;
      best = rangeOf(node) ?? rangeOf(pair.key) ?? best;
    }
    return best ? locate(best[0], best[1]) : { ...locate(0), line: 1, column: 1 };
  };

  return ok({ file, prefix, value, placeOf });
}

interface ChildPair {
  key: unknown;
  value: unknown;
}

/** The text a map key compares by: a scalar's value, or another node's source form. */
function keyText(key: unknown): string {
  if (isScalar(key)) return String(key.value);
  try {
    return String(key);
  } catch {
    // A map key whose text cannot be made (a merge key with nothing to merge inside it) equals
    // no other key; keyProblems refuses it at its line.
    return `\u0000${String(rangeOf(key))}`;
  }
}

type Range = [number, number];

/** The range of every key that repeats an earlier key of the same map, with the earlier one's, and the key. */
function duplicateKeys(doc: Document): [Range, Range, string][] {
  const found: [Range, Range, string][] = [];
  visit(doc, {
    Map(_, map) {
      const seen = new Map<string, [number, number] | undefined>();
      for (const pair of map.items) {
        const text = keyText(pair.key);
        const range = rangeOf(pair.key);
        const earlier = seen.get(text);
        if (range && earlier) found.push([range, earlier, text]);
        seen.set(text, range);
      }
    },
  });
  return found;
}

/**
 * Keys that would not survive the step to plain JavaScript objects as written: a map or a
 * list as a key (the yaml library turns it into text, with a warning), an empty key (YAML
 * reads `~` and `null` as nothing), and `__proto__` (an object's prototype, not a key, so
 * zod's records drop it). Each is refused at its line instead.
 */
function keyProblems(
  doc: Document,
  part: unknown,
): { range: [number, number]; message: string; hint?: string }[] {
  const found: { range: [number, number]; message: string; hint?: string }[] = [];
  if (!isNode(part)) return found;
  visit(part, {
    Pair(_, pair, path) {
      const key = isAlias(pair.key) ? pair.key.resolve(doc) : pair.key;
      const parent = path[path.length - 1];
      const range = rangeOf(pair.key) ?? rangeOf(pair.value) ?? rangeOf(parent);
      if (!range) return;
      if (!isScalar(key)) {
        found.push({
          range,
          message: "a key must be a plain string, not a map or a list",
          hint: "write the key as text; quote it if it holds [ ] { } or : characters",
        });
      } else if (key.value === null || key.value === undefined) {
        found.push({
          range,
          message:
            "a key must be a plain string, not an empty value (YAML reads `~` and `null` as nothing)",
          hint: 'quote it: `"~": …` is your home directory',
        });
      } else if (String(key.value) === "__proto__") {
        found.push({
          range,
          message: "`__proto__` cannot be a key: JavaScript gives that name a special meaning",
          hint: "use another name; a link named __proto__ can be written `./__proto__`",
        });
      }
    },
  });
  return found;
}

/** Each map's pairs by key, built once per map, so finding many keys is not quadratic. */
const pairIndex = new WeakMap<object, Map<string, ChildPair>>();

/** The key and value nodes of one step down a YAML tree, following aliases. */
function childPair(doc: Document, node: unknown, key: string | number): ChildPair | undefined {
  const resolved = isAlias(node) ? node.resolve(doc) : node;
  if (isMap(resolved)) {
    let index = pairIndex.get(resolved);
    if (!index) {
      index = new Map();
      for (const pair of resolved.items) {
        // The last of repeated keys, the one whose value toJS keeps.
        if (isPair(pair)) index.set(keyText(pair.key), { key: pair.key, value: pair.value });
      }
      pairIndex.set(resolved, index);
    }
    return index.get(String(key));
  }
  if (isSeq(resolved) && typeof key === "number") {
    const item = resolved.items[key];
    return item === undefined ? undefined : { key: undefined, value: item };
  }
  return undefined;
}

function rangeOf(node: unknown): [number, number] | undefined {
  const range = (node as YamlNode | null | undefined)?.range;
  return range ? [range[0], range[1]] : undefined;
}

/** YAML's messages, reworded where the library's own words are terse. */
function yamlMessage(code: string, message: string): string {
  const first = message.split("\n")[0] ?? message;
  if (/Maximum call stack size exceeded/.test(first)) return "the YAML nests too deeply to be read";
  switch (code) {
    case "TAB_AS_INDENT":
      return "a tab is used for indentation; YAML indents with spaces";
    case "MULTIPLE_DOCS":
      return "the file holds more than one YAML document (---); a manifest is one document";
    default:
      return `invalid YAML: ${first.replace(/ at line \d+, column \d+.*$/, "")}`;
  }
}
