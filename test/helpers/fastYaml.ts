import { expect } from "vitest";
import { readFastYaml } from "../../src/manifest/fastYaml.js";
import type { KeyPath, SourceDoc } from "../../src/manifest/source.js";
import { parseYamlSource } from "../../src/manifest/yamlSource.js";

export const FILE = "/dots/links.yaml";

/** Every key path into a plain value, the empty path first. */
export function keyPaths(value: unknown, at: KeyPath = []): KeyPath[] {
  const paths: KeyPath[] = [at];
  if (Array.isArray(value)) value.forEach((item, i) => paths.push(...keyPaths(item, [...at, i])));
  else if (value !== null && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) paths.push(...keyPaths(item, [...at, key]));
  }
  return paths;
}

/** The prototype of every object in a plain value, in order, so plain objects and lists are told apart. */
function prototypes(value: unknown): unknown[] {
  if (value === null || typeof value !== "object") return [typeof value];
  const own = Object.getPrototypeOf(value) as unknown;
  return [own, ...Object.values(value).flatMap(prototypes)];
}

/**
 * Reads `text` with both readers and checks that the fast one either declines or agrees with
 * the yaml library on the value and on the place of every key path (and of every key), and
 * that it declines whatever the library refuses. Returns the fast reader's answer.
 */
export function expectSameAsFull(text: string, prefix: KeyPath = []): SourceDoc | undefined {
  const fast = readFastYaml(FILE, text, prefix);
  const full = parseYamlSource(FILE, text, prefix);
  if (!fast) return undefined;
  expect(full.ok, `the yaml library refuses what the fast reader accepted:\n${text}`).toBe(true);
  if (!full.ok) return fast;
  // toEqual, not toStrictEqual: a key named `constructor` defeats the latter's type check.
  expect(fast.value).toEqual(full.value.value);
  expect(prototypes(fast.value)).toEqual(prototypes(full.value.value));
  expect(fast.prefix).toEqual(full.value.prefix);
  for (const path of keyPaths(full.value.value)) {
    // Paths that lead nowhere too: a missing key, an item past the end, a key into a list.
    for (const probe of [path, [...path, "missing"], [...path, 99], [...path, "0"]]) {
      expect(fast.placeOf(probe), `placeOf ${JSON.stringify(probe)} in\n${text}`).toEqual(
        full.value.placeOf(probe),
      );
      expect(
        fast.placeOf(probe, { key: true }),
        `placeOf ${JSON.stringify(probe)} (key) in\n${text}`,
      ).toEqual(full.value.placeOf(probe, { key: true }));
    }
  }
  return fast;
}
