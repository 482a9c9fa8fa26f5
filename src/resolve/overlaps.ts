import path from "node:path";
import type { Diagnostic } from "../diagnostic.js";
import { pathKey, samePath } from "../platform.js";
import type { DesiredDirectory, DesiredLink, EntryPlace, TargetType } from "./desiredLink.js";
import { plainPlace } from "./entryPlace.js";

/**
 * Finds entries that fight over a path: two that resolve to the same link (fine only if
 * they agree on everything, and then one is kept), and a link inside another entry's
 * directory link. Entries skipped by `when` take no part. Paths are shown by `show`, as
 * the plan shows them.
 */
export function findOverlaps(
  links: DesiredLink[],
  platform: string,
  show: (p: string) => string,
  directories: readonly DesiredDirectory[] = [],
): { links: DesiredLink[]; errors: Diagnostic[] } {
  const errors: Diagnostic[] = [];
  const kept: DesiredLink[] = [];
  const byKey = new Map<string, DesiredLink>();
  // Indexed: run once per manifest, where for...of makes a result object per link.
  for (let i = 0; i < links.length; i++) {
    const link = links[i]!;
    if (link.skipped) {
      kept.push(link);
      continue;
    }
    const key = pathKey(link.link, platform);
    const earlier = byKey.get(key);
    if (!earlier) {
      byKey.set(key, link);
      kept.push(link);
    } else if (!sameLink(earlier, link, platform)) {
      errors.push({
        ...plainPlace(link.place),
        message: `${show(link.link)} is also the link of the entry at ${where(earlier, link)}, with a different ${difference(earlier, link, platform, show)}`,
        hint: "each link path may be declared once; remove one entry or make them agree",
      });
    }
  }
  // Only an entry that links a directory can have another link inside it.
  const directoryLinks = [...byKey.values()].some((l) => l.targetType === "directory");
  for (const link of directoryLinks ? byKey.values() : []) {
    for (let dir = path.dirname(link.link); dir !== path.dirname(dir); dir = path.dirname(dir)) {
      const outer = byKey.get(pathKey(dir, platform));
      if (outer && outer.targetType === "directory") {
        errors.push({
          ...plainPlace(link.place),
          message: `${show(link.link)} lies inside ${show(outer.link)}, which the entry at ${where(outer, link)} links to a directory`,
          hint: "link the directory whole, or link the files inside it, not both",
        });
        break;
      }
    }
  }
  // A listed directory where a link is wanted, or inside a link to what is not a directory:
  // one of them could never be made. Inside a directory link, it is made in the link's
  // target once the link is there (as dotbot's `create` after `link` makes it).
  for (const dir of directories) {
    if (dir.skipped) continue;
    const at = byKey.get(pathKey(dir.path, platform));
    if (at) {
      errors.push({
        ...plainPlace(dir.place),
        message: `${show(dir.path)} is listed under \`directories\` and is also the link of the entry at ${where(at, dir)}`,
        hint: "a path is either a directory linkman makes or a link; remove one of them",
      });
      continue;
    }
    for (let up = path.dirname(dir.path); up !== path.dirname(up); up = path.dirname(up)) {
      const outer = byKey.get(pathKey(up, platform));
      if (outer) {
        if (outer.targetType !== "directory") {
          errors.push({
            ...plainPlace(dir.place),
            message: `${show(dir.path)} lies inside ${show(outer.link)}, which the entry at ${where(outer, dir)} links to ${TARGET_WORDS[outer.targetType]}`,
            hint: "list a directory outside the link, or link that path to a directory",
          });
        }
        break;
      }
    }
  }
  // Keyed for linkKeysOf when every link is (none skipped): then the map holds them all.
  if (errors.length === 0 && byKey.size === kept.length) keyed.set(kept, { platform, byKey });
  return { links: kept, errors };
}

/** A link's target, in words, where a directory is needed. */
const TARGET_WORDS: Record<Exclude<TargetType, "directory">, string> = {
  file: "a file",
  missing: "a target that does not exist",
  other: "something that is not a directory",
};

/** Each links array findOverlaps returned with every link in its map, that map and the platform of its keys. */
const keyed = new WeakMap<
  readonly DesiredLink[],
  { platform: string; byKey: ReadonlyMap<string, DesiredLink> }
>();

/**
 * The keys (`pathKey`) of the links that findOverlaps returned as `links`, from the map it
 * made of them: a later question "is this path declared?" (each of the state's 10,000
 * records) needs no second set of 10,000 paths. Undefined for any other array, one that holds
 * a skipped link, or one whose length has changed since.
 */
export function linkKeysOf(
  links: readonly DesiredLink[],
  platform: string,
): { has(key: string): boolean } | undefined {
  const known = keyed.get(links);
  return known && known.platform === platform && known.byKey.size === links.length
    ? known.byKey
    : undefined;
}

/** Where `other` is written, as seen from the entry of `from`: a line, or a file and line. */
function where(other: { place: EntryPlace }, from: { place: EntryPlace }): string {
  const { file, line, column } = other.place;
  return file === from.place.file ? `line ${line}` : `${file}:${line}:${column}`;
}

function sameLink(a: DesiredLink, b: DesiredLink, platform: string): boolean {
  return (
    samePath(a.target, b.target, platform) &&
    JSON.stringify(a.options) === JSON.stringify(b.options)
  );
}

function difference(
  a: DesiredLink,
  b: DesiredLink,
  platform: string,
  show: (p: string) => string,
): string {
  if (!samePath(a.target, b.target, platform)) {
    return `target (${show(a.target)} vs ${show(b.target)})`;
  }
  const keys = Object.keys(a.options) as (keyof DesiredLink["options"])[];
  const key = keys.find((k) => a.options[k] !== b.options[k]);
  return key ? `${key} (${String(a.options[key])} vs ${String(b.options[key])})` : "setting";
}
