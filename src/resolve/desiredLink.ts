import type { Place } from "../diagnostic.js";
import type { EntryOptions, LinkKind } from "../manifest/manifest.js";

/** What is at a target: a file, a directory, nothing, or something else (a socket, a device). */
export type TargetType = "file" | "directory" | "missing" | "other";

/** Where an entry is written: its place, key path and source line (for a code frame). */
export interface EntryPlace extends Place {
  path: string;
  lineText?: string;
  length?: number;
}

/** One link the manifest wants: the first of linkman's three words (desired, found, action). */
export interface DesiredLink {
  /** Absolute path of the link. */
  link: string;
  /** Absolute path of the target. */
  target: string;
  kind: LinkKind;
  options: EntryOptions;
  /** What the target is, as seen when the manifest was resolved. */
  targetType: TargetType;
  /** Where the entry is written. */
  place: EntryPlace;
  /** The working tree whose git directory the link path was resolved into (`.git/hooks/…`). */
  workTree?: string;
  /**
   * Set when the entry is skipped: its `when` does not hold (reason `condition`), or its link
   * glob matches no directory (reason `no-match`, the link being the pattern as written).
   */
  skipped?: { reason: "condition" | "no-match"; why: string };
}

/** One directory the manifest's `directories` wants to exist. */
export interface DesiredDirectory {
  /** Absolute path of the directory. */
  path: string;
  /** Where it is written. */
  place: EntryPlace;
  /** Set when its `when` does not hold: it is skipped with reason `condition`. */
  skipped?: { reason: "condition"; why: string };
}
