import type { LinkKind } from "../manifest/manifest.js";
import { pathKey } from "../platform.js";

/** One link linkman made (or was about to make when it last ran): what removing or restoring it needs. */
export interface LinkRecord {
  /** Absolute path of the link. */
  link: string;
  kind: LinkKind;
  /** Absolute path of the target. */
  target: string;
  /** For a symlink or junction: the text linkman stored; for a wrapper: `sha256:` and its bytes' digest. */
  text: string | null;
  /** For a hard link: the file's identity when linkman made it. */
  dev: string | null;
  ino: string | null;
  /** The link that was at the path before linkman replaced it, to put back on `unlink --restore`. */
  previous: string | null;
  /** Where what was in the way was moved, to put back on `unlink --restore`. */
  backup: string | null;
  /** When linkman made it (ISO 8601). */
  createdAt: string;
  /** Set when linkman found the link already as declared (made by Stow, dotbot or by hand) and took it over. */
  takenOver?: boolean;
}

/** What linkman knows it made for one manifest. */
export interface State {
  /** The state file's format: 2 leaves out what a record holds by default; 1 is still read. */
  version: 2;
  /** Absolute path of the manifest the links belong to. */
  manifest: string;
  links: LinkRecord[];
  /** Directories linkman created for links (mkdirs), removed by `unlink` when empty. */
  directories: string[];
  /**
   * While a run applies: the token naming its temporaries. Still here at the next run means
   * that run was killed, and its leftovers beside these links are swept.
   */
  applying?: string;
}

/** The state of a manifest linkman has never applied. */
export function emptyState(manifest: string): State {
  return { version: 2, manifest, links: [], directories: [] };
}

/** Maps already made, by records array: a run asks for the same state's map several times. */
const byLinkOf = new WeakMap<readonly LinkRecord[], ReadonlyMap<string, LinkRecord>>();

/**
 * The records by link path, for looking many up (a search per link would be quadratic). A
 * state's records are never changed in place (each change makes a new array), so the map of
 * one array is made once.
 */
export function recordsByLink(state: State): ReadonlyMap<string, LinkRecord> {
  let byLink = byLinkOf.get(state.links);
  if (!byLink) {
    // A loop, not new Map(links.map(...)): no pair array per record (10,000 of them).
    const map = new Map<string, LinkRecord>();
    for (let i = 0; i < state.links.length; i++) map.set(state.links[i]!.link, state.links[i]!);
    byLink = map;
    byLinkOf.set(state.links, byLink);
  }
  return byLink;
}

/** The records of links that are not among `links` (compared as the platform compares paths). */
export function recordsNotIn(
  state: State,
  links: readonly string[],
  platform: string,
): LinkRecord[] {
  const listed = new Set(links.map((l) => pathKey(l, platform)));
  return state.links.filter((r) => !listed.has(pathKey(r.link, platform)));
}

/** Replaces the records of the given links (or adds them), keeping the order stable. */
export function withRecords(state: State, records: readonly LinkRecord[]): State {
  let kept = state.links;
  // A first apply has nothing to replace: no set of its 10,000 links to make (~20 ms cold).
  if (kept.length > 0) {
    const replaced = new Set(records.map((r) => r.link));
    kept = kept.filter((r) => !replaced.has(r.link));
  }
  return {
    ...state,
    links: [...kept, ...records].sort((a, b) => (a.link < b.link ? -1 : a.link > b.link ? 1 : 0)),
  };
}

/** Removes the records of the given links. */
export function withoutRecords(state: State, links: readonly string[]): State {
  const gone = new Set(links);
  return { ...state, links: state.links.filter((r) => !gone.has(r.link)) };
}
