import type { SourceDoc, KeyPath } from "./source.js";
import type { WhenInput } from "./schema.js";

/** How a link is made: `mklink`, `mklink /H`, `mklink /J`, or a wrapper script that runs the target. */
export type LinkKind = "symlink" | "hardlink" | "junction" | "wrapper";

/** An entry's options with every value decided. */
export interface EntryOptions {
  kind: LinkKind;
  relative: boolean;
  mkdirs: boolean;
  onConflict: "fail" | "skip" | "backup" | "chain";
  ifMissing: "error" | "skip" | "link";
  fallback: "none" | "auto";
}

/** The options an entry has when neither it nor `defaults` says otherwise. */
export const DEFAULT_OPTIONS: Readonly<EntryOptions> = Object.freeze({
  kind: "symlink",
  relative: false,
  mkdirs: true,
  onConflict: "fail",
  ifMissing: "error",
  fallback: "none",
});

/** An entry's conditions, each list meaning "any of these". */
export interface Conditions {
  os?: string[];
  arch?: string[];
  host?: string[];
  profile?: string[];
  env?: Record<string, boolean | string>;
  /** Names of executables, one of which must be on PATH. */
  command?: string[];
}

/** Where a part of an entry is written: a key path, and whether the key itself is meant. */
export interface SourceRef {
  path: KeyPath;
  key?: boolean;
}

/** How a glob entry renames its matches: Stow's `dot-` rule, dotbot's `prefix`. */
export interface Rename {
  /** Every segment `dot-X` of a match's path becomes `.X` (X not empty, not starting with `.`). */
  dotPrefix?: boolean;
  /** Put before the name each match has in the link directory. */
  prefix?: string;
}

/** One entry of `links`, as written (nothing expanded yet). */
export interface ManifestEntry {
  link: string;
  target: string;
  /** The options this entry sets itself. */
  options: Partial<EntryOptions>;
  exclude: string[];
  /** How a glob entry renames its matches; undefined: they keep their names. */
  rename?: Rename;
  when?: Conditions;
  /**
   * Where the entry is in `links`: its index in a list, or its link in a map (the key). Its
   * places are derived from it (`entryRef`, `linkRef`, `targetRef`) only when asked for.
   */
  at: number | string;
}

/** Whether an object has an own enumerable key: an entry's options that set anything. */
export function hasOwnKeys(object: object): boolean {
  for (const key in object) if (Object.hasOwn(object, key)) return true;
  return false;
}

/** Where an entry is written: a list item, or a map's key. */
export function entryRef(entry: Pick<ManifestEntry, "at">): SourceRef {
  return typeof entry.at === "number"
    ? { path: ["links", entry.at] }
    : { path: ["links", entry.at], key: true };
}

/** Where an entry's `link` is written: its `link` key's value, or a map's key. */
export function linkRef(entry: ManifestEntry): SourceRef {
  return typeof entry.at === "number"
    ? { path: ["links", entry.at, "link"] }
    : { path: ["links", entry.at], key: true };
}

/** Where an entry's `target` is written: its `target` key's value, or a map's value. */
export function targetRef(entry: ManifestEntry): SourceRef {
  return {
    path: typeof entry.at === "number" ? ["links", entry.at, "target"] : ["links", entry.at],
  };
}

/** One item of `directories`, as written (nothing expanded yet). */
export interface ManifestDirectory {
  path: string;
  when?: Conditions;
  ref: SourceRef;
}

/** One include of a manifest, as written. */
export interface IncludeRef {
  /** The path as written, without the trailing `?`. */
  path: string;
  optional: boolean;
  ref: SourceRef;
}

/** One manifest file, validated, with the files it includes already read. */
export interface ManifestFile {
  /** Absolute path of the file. */
  file: string;
  /** The directory relative links (and, by default, targets) resolve from. */
  dir: string;
  source: SourceDoc;
  base?: { value: string; ref: SourceRef };
  vars: { name: string; value: string; ref: SourceRef }[];
  defaults: Partial<EntryOptions>;
  entries: ManifestEntry[];
  /** The directories that must exist. */
  directories: ManifestDirectory[];
  includes: ManifestFile[];
}

/** A manifest and everything it includes. */
export interface Manifest {
  /** Absolute path of the top manifest file. */
  file: string;
  root: ManifestFile;
}

/** Turns `os: linux` and `os: [linux]` into one shape. */
export function asList<T>(value: T | T[] | undefined): T[] | undefined {
  return value === undefined ? undefined : Array.isArray(value) ? value : [value];
}

/** An entry's `when` as lists, with env values that compare as strings. */
export function toConditions(when: WhenInput | undefined): Conditions | undefined {
  if (!when) return undefined;
  const env = when.env
    ? Object.fromEntries(
        Object.entries(when.env).map(([k, v]) => [k, typeof v === "number" ? String(v) : v]),
      )
    : undefined;
  return {
    ...(when.os ? { os: asList(when.os) } : {}),
    ...(when.arch ? { arch: asList(when.arch) } : {}),
    ...(when.host ? { host: asList(when.host) } : {}),
    ...(when.profile ? { profile: asList(when.profile) } : {}),
    ...(env ? { env } : {}),
    ...(when.command ? { command: asList(when.command) } : {}),
  };
}
