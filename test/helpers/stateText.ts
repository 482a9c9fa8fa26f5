import type { LinkRecord, State } from "../../src/state/state.js";

/**
 * A record as the state file's format 2 holds it, restated from its rule: a field is left out
 * when it holds its default (null; for `kind`, symlink; for `text`, the target, or null for a
 * hard link; for `takenOver`, anything but true; for `createdAt`, the file's `createdAt`).
 */
export function compactRecord(r: LinkRecord, createdAt?: string): Record<string, unknown> {
  const isDefault = (key: string, value: unknown) =>
    key === "kind"
      ? value === "symlink"
      : key === "text"
        ? value === (r.kind === "hardlink" ? null : r.target)
        : key === "takenOver"
          ? value !== true
          : key === "createdAt"
            ? value === createdAt
            : value === null;
  return Object.fromEntries(Object.entries(r).filter(([key, value]) => !isDefault(key, value)));
}

/** The time the file gives: the most common among the records, the first such in their order. */
export function commonTime(links: readonly LinkRecord[]): string | undefined {
  const counts = new Map<string, number>();
  for (const r of links) counts.set(r.createdAt, (counts.get(r.createdAt) ?? 0) + 1);
  const most = Math.max(...counts.values());
  return [...counts].find(([, n]) => n === most)?.[0];
}

/** The text linkman writes for a state: JSON of it, each record compact, and a newline. */
export function stateText(state: State): string {
  const { version, manifest, links, ...rest } = state;
  const createdAt = commonTime(links);
  const time = createdAt === undefined ? {} : { createdAt };
  const compact = links.map((r) => compactRecord(r, createdAt));
  return `${JSON.stringify({ version, manifest, ...time, links: compact, ...rest })}\n`;
}
