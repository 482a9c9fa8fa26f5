import type { LinkRecord, State } from "../../src/state/state.js";

/**
 * A record as the state file's format 2 holds it, restated from its rule: a field is left out
 * when it holds its default (null; for `kind`, symlink; for `text`, the target, or null for a
 * hard link; for `takenOver`, anything but true).
 */
export function compactRecord(r: LinkRecord): Record<string, unknown> {
  const isDefault = (key: string, value: unknown) =>
    key === "kind"
      ? value === "symlink"
      : key === "text"
        ? value === (r.kind === "hardlink" ? null : r.target)
        : key === "takenOver"
          ? value !== true
          : value === null;
  return Object.fromEntries(Object.entries(r).filter(([key, value]) => !isDefault(key, value)));
}

/** The text linkman writes for a state: JSON of it, each record compact, and a newline. */
export const stateText = (state: State): string =>
  `${JSON.stringify({ ...state, links: state.links.map(compactRecord) })}\n`;
