import path from "node:path";
import * as z from "zod";
import { lazy } from "../lazy.js";
import type { FileSystem } from "../fs/fileSystem.js";
import { errorCode, MAX_INPUT_BYTES } from "../fs/fileSystem.js";
import { writeFileAtomically } from "../fs/writeFileAtomically.js";
import { zodProblem } from "../diagnostic.js";
import { isNormalAbsolute } from "../paths.js";
import { isInside, pathKey, samePath } from "../platform.js";
import { sha256Hex } from "./sha256.js";
import { emptyState, type LinkRecord, type State } from "./state.js";

/** The most bytes of the manifest's path kept readable in a state file's name (it is ASCII). */
const READABLE_BYTES = 120;

/**
 * The state file for a manifest: `--state FILE` if given, else one file per manifest path
 * under `$XDG_STATE_HOME/linkman/` (an absolute XDG_STATE_HOME only, as XDG says), else
 * `~/.local/state/linkman/`. `manifest` must be the manifest's real path
 * (`realManifestPath`), so a manifest reached through a symlinked directory shares its state
 * and its lock. The path is compared as the platform compares paths, so on Windows and macOS
 * every spelling of it (letter case) shares one state. The name keeps at most the last
 * `READABLE_BYTES` of the path readable, then a hash of all of it, so the name with `.lock`
 * and a temporary's suffix stays far below the 255 bytes a name may have.
 */
export function statePathFor(
  manifest: string,
  options: {
    state?: string | undefined;
    env: Readonly<Record<string, string | undefined>>;
    homedir: string;
    cwd: string;
    platform: string;
  },
): string {
  if (options.state) return path.resolve(options.cwd, options.state);
  const xdg = options.env.XDG_STATE_HOME;
  const dir =
    xdg && path.isAbsolute(xdg)
      ? path.join(xdg, "linkman")
      : path.join(options.homedir, ".local", "state", "linkman");
  return path.join(dir, stateFileName(manifest, options.platform));
}

/**
 * The state file of a manifest inside a git repository: in that working tree's git
 * directory (`.git/linkman/`), named by the manifest's path from the working tree's top, so
 * it needs no writable home, moves with the clone and goes when the clone is deleted.
 */
export function repositoryStatePath(gitDir: string, relative: string, platform: string): string {
  return path.join(gitDir, "linkman", stateFileName(relative, platform));
}

/** A state file's name for a manifest path: its readable tail, then a hash of all of it. */
function stateFileName(manifest: string, platform: string): string {
  const hash = sha256Hex(pathKey(manifest, platform)).slice(0, 12);
  const readable = manifest
    .replace(/^[A-Za-z]:/, "")
    .split(/[/\\]+/)
    .filter(Boolean)
    .slice(-3)
    .join("-")
    // Every other UTF-16 unit becomes `_` (as before: existing names stay), so characters are bytes.
    .replace(/[^A-Za-z0-9._-]/g, "_")
    .slice(-READABLE_BYTES);
  return `${readable}-${hash}.json`;
}

/** The manifest's real path (every symlink resolved), or its resolved path if it has none. */
export async function realManifestPath(fs: FileSystem, manifest: string): Promise<string> {
  const resolved = path.resolve(manifest);
  return fs.realpath(resolved).catch(() => resolved);
}

/** A `..` segment, which could climb out of where a path points. */
const PARENT_SEGMENT = /(^|[\\/])\.\.([\\/]|$)/;
const DECIMAL = /^[0-9]{1,20}$/;

/**
 * Whether a path is one linkman records: absolute, no NUL, and no `..` segment (looked for
 * only in a path holding `..`: a regular expression run twice for each of 10,000 records).
 */
const isRecordedPath = (p: unknown): p is string =>
  typeof p === "string" &&
  path.isAbsolute(p) &&
  !p.includes("\0") &&
  !(p.includes("..") && PARENT_SEGMENT.test(p));
const isText = (t: unknown): t is string => typeof t === "string" && !t.includes("\0");

// Built on first use, like every schema here: a valid state is checked by hand, and zod only
// explains what fails (building and first running these was ~10 ms of a 100-link no-op).
const recordedPath = lazy(() =>
  z.string().refine(isRecordedPath, 'must be an absolute path without NUL or ".." segments'),
);
const text = lazy(() => z.string().refine(isText, "must not hold NUL"));
const decimal = lazy(() => z.string().regex(DECIMAL, "must be a decimal number"));

const recordSchema = lazy(() => recordSchemaOf(false));
const compactRecordSchema = lazy(() => recordSchemaOf(true));
const compactUndatedRecordSchema = lazy(() => recordSchemaOf(true, true));

/**
 * A record's schema; in a compact one (version 2) the fields that have a default may be left
 * out, and `createdAt` too when the file gives the time its records leave out (`undated`).
 */
function recordSchemaOf(compact: boolean, undated = false) {
  const orNull = <T extends z.ZodType>(s: T) => (compact ? s.nullish() : s.nullable());
  const kindSchema = z.enum(["symlink", "hardlink", "junction", "wrapper"]);
  return z.object({
    link: recordedPath,
    kind: compact ? kindSchema.optional() : kindSchema,
    target: recordedPath,
    text: orNull(text),
    dev: orNull(decimal),
    ino: orNull(decimal),
    previous: orNull(text),
    backup: orNull(recordedPath),
    createdAt: undated ? z.string().optional() : z.string(),
    takenOver: z.boolean().optional(),
  });
}

const KINDS: readonly unknown[] = ["symlink", "hardlink", "junction", "wrapper"];
const isDecimal = (v: unknown): v is string => typeof v === "string" && DECIMAL.test(v);
const nullOr = <T>(value: unknown, check: (v: unknown) => v is T): value is T | null =>
  value === null || check(value);

/** A record's keys in the order linkman writes them (`takenOver` only when set). */
const RECORD_KEYS = [
  "link",
  "kind",
  "target",
  "text",
  "dev",
  "ino",
  "previous",
  "backup",
  "createdAt",
  "takenOver",
] as const;

/**
 * Whether an object's own enumerable keys are exactly `RECORD_KEYS` in that order (the last
 * one optional): then it is the record the schema's parse would copy, and it is used as it is.
 */
function hasRecordKeys(item: object): boolean {
  let i = 0;
  for (const key in item) {
    if (!Object.hasOwn(item, key) || key !== RECORD_KEYS[i]) return false;
    i++;
  }
  return i === RECORD_KEYS.length || i === RECORD_KEYS.length - 1;
}

/**
 * A record that passes `recordSchema` with exactly its keys (as the schema's parse would
 * give), or undefined. Checks a state of 10,000 records without a parse per record, and
 * without a copy of a record that holds only the schema's keys in linkman's order (what it
 * writes); the schema still explains each record this turns away.
 */
function checkedRecord(item: unknown): LinkRecord | undefined {
  if (typeof item !== "object" || item === null) return undefined;
  const fields = item as Record<keyof LinkRecord, unknown>;
  if (!validFields(fields, false, fields.createdAt)) return undefined;
  // Valid: each field is what LinkRecord says.
  const r = item as LinkRecord;
  if (hasRecordKeys(r)) return r;
  return {
    link: r.link,
    kind: r.kind,
    target: r.target,
    text: r.text,
    dev: r.dev,
    ino: r.ino,
    previous: r.previous,
    backup: r.backup,
    createdAt: r.createdAt,
    ...(r.takenOver === undefined ? {} : { takenOver: r.takenOver }),
  };
}

/**
 * A record's link text when a compact record leaves it out: a hard link has none, every other
 * kind stores the target (and a record that leaves out its kind is a symlink).
 */
const defaultText = (kind: LinkRecord["kind"], target: string) =>
  kind === "hardlink" ? null : target;

/** A field a compact record may leave out (or hold as null): its default is null. */
const absentOr = <T>(
  value: unknown,
  check: (v: unknown) => v is T,
): value is T | null | undefined => value === undefined || value === null || check(value);

/**
 * Whether a record's fields are what `recordSchemaOf(compact)` accepts, `time` being its
 * `createdAt` (for a compact record that leaves it out, the file's): the schema's check by
 * hand, so that 10,000 records need no parse each. A compact record may leave out its kind
 * and any field whose default is null.
 */
function validFields(
  r: Record<keyof LinkRecord, unknown>,
  compact: boolean,
  time: unknown,
): boolean {
  // Chosen, not a closure made per call: this runs for each of 10,000 records.
  const may = compact ? absentOr : nullOr;
  return (
    isRecordedPath(r.link) &&
    ((compact && r.kind === undefined) || KINDS.includes(r.kind)) &&
    isRecordedPath(r.target) &&
    may(r.text, isText) &&
    may(r.dev, isDecimal) &&
    may(r.ino, isDecimal) &&
    may(r.previous, isText) &&
    may(r.backup, isRecordedPath) &&
    typeof time === "string" &&
    (r.takenOver === undefined || typeof r.takenOver === "boolean")
  );
}

/**
 * A version 2 record that passes `compactRecordSchema`, as the whole record it stands for,
 * or undefined; `createdAt` is the file's time for records that leave theirs out. The text it
 * leaves out is the target string itself, and the time the file's string, not copies of them.
 */
function checkedCompactRecord(item: unknown, createdAt?: string): LinkRecord | undefined {
  if (typeof item !== "object" || item === null) return undefined;
  const r = item as Record<keyof LinkRecord, unknown>;
  const time = r.createdAt === undefined ? createdAt : r.createdAt;
  if (!validFields(r, true, time)) return undefined;
  return fullRecord(r as z.infer<typeof compactUndatedRecordSchema>, time as string);
}

/** The whole record a compact one stands for: each field left out holds its default. */
function fullRecord(
  r: z.infer<typeof compactUndatedRecordSchema>,
  createdAt: string | undefined,
): LinkRecord {
  const kind = r.kind ?? "symlink";
  const record: LinkRecord = {
    link: r.link,
    kind,
    target: r.target,
    text:
      r.text === undefined ? defaultText(kind, r.target) : r.text === r.target ? r.target : r.text,
    dev: r.dev ?? null,
    ino: r.ino ?? null,
    previous: r.previous ?? null,
    backup: r.backup ?? null,
    // Checked: a record leaves out its time only when the file gives one.
    createdAt: (r.createdAt ?? createdAt)!,
  };
  if (r.takenOver) record.takenOver = true;
  return record;
}

/** A record as version 2 writes it: without what `fullRecord` gives back by default. */
function compactRecord(r: LinkRecord, createdAt: string | undefined): Record<string, unknown> {
  const compact: Record<string, unknown> = { link: r.link };
  if (r.kind !== "symlink") compact.kind = r.kind;
  compact.target = r.target;
  if (r.text !== defaultText(r.kind, r.target)) compact.text = r.text;
  if (r.dev !== null) compact.dev = r.dev;
  if (r.ino !== null) compact.ino = r.ino;
  if (r.previous !== null) compact.previous = r.previous;
  if (r.backup !== null) compact.backup = r.backup;
  if (r.createdAt !== createdAt) compact.createdAt = r.createdAt;
  if (r.takenOver) compact.takenOver = true;
  return compact;
}

/** The whole file's shape; records, directories and the token are checked one by one. */
const stateSchema = lazy(() =>
  z.object({
    version: z.literal([1, 2]),
    manifest: recordedPath,
    createdAt: z.string().optional(),
    links: z.array(z.unknown()),
    directories: z.array(z.unknown()),
    applying: z.unknown().optional(),
  }),
);

/** The file's shape as `stateSchema`'s parse returns it, or undefined; the schema explains why. */
function checkedShape(json: unknown): z.infer<typeof stateSchema> | undefined {
  if (typeof json !== "object" || json === null || Array.isArray(json)) return undefined;
  const j = json as Record<string, unknown>;
  const version = j.version;
  if (
    (version !== 1 && version !== 2) ||
    !isRecordedPath(j.manifest) ||
    !Array.isArray(j.links) ||
    !Array.isArray(j.directories) ||
    (j.createdAt !== undefined && typeof j.createdAt !== "string")
  )
    return undefined;
  const shape: z.infer<typeof stateSchema> = {
    version,
    manifest: j.manifest,
    links: j.links,
    directories: j.directories,
  };
  if (j.createdAt !== undefined) shape.createdAt = j.createdAt;
  return "applying" in j ? { ...shape, applying: j.applying } : shape;
}

/** What `runToken` makes: the only token whose temporaries a later run sweeps. */
const TOKEN = /^[0-9a-f]{12}$/;

/**
 * Reading a state file: the state (empty when there is none yet) with a sentence for each
 * part that failed its check and was left out, or why the file cannot be trusted at all.
 */
export type StateRead =
  { ok: true; state: State; ignored: string[] } | { ok: false; problem: string; newer?: true };

/** A value from the file, shown safely (escaped, and short). */
const show = (value: unknown) => {
  const json = JSON.stringify(value) ?? String(value);
  return json.length > 120 ? `${json.slice(0, 117)}...` : json;
};

/** Where a state kept in a repository belongs: the working tree's top, and the manifest's path from it. */
export interface InRepository {
  top: string;
  relative: string;
}

/**
 * Reads a manifest's state. A missing file is an empty state; an unreadable file, or one
 * whose whole shape or manifest is wrong, is a problem, never a guess. A single record,
 * directory or token that fails its check is left out and named in `ignored`, so one
 * tampered record does not keep the others from being removed, and nothing it names is
 * touched. Whether the paths lie in the roots is for the caller to check.
 */
export async function readState(
  fs: FileSystem,
  file: string,
  manifest: string,
  platform: string,
  inRepository?: InRepository,
): Promise<StateRead> {
  let bytes: Uint8Array;
  try {
    bytes = await fs.readFile(file, MAX_INPUT_BYTES * 16);
  } catch (error) {
    if (errorCode(error) === "ENOENT")
      return { ok: true, state: emptyState(manifest), ignored: [] };
    return { ok: false, problem: `cannot be read (${errorCode(error) ?? String(error)})` };
  }
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(bytes));
  } catch (error) {
    return {
      ok: false,
      problem: `is not valid JSON (${error instanceof Error ? error.message : String(error)})`,
    };
  }
  const version = (json as { version?: unknown } | null)?.version;
  if (typeof version === "number" && Number.isInteger(version) && version > 2) {
    // Its shape is that release's to know: said as such, so it is not moved aside as broken.
    const problem = `was written by a newer linkman (state format ${version}; this one reads 1 and 2)`;
    return { ok: false, problem, newer: true };
  }
  let data = checkedShape(json);
  if (!data) {
    const parsed = stateSchema.safeParse(json);
    if (!parsed.success) {
      return {
        ok: false,
        problem: `does not have the shape linkman writes (${zodProblem(parsed.error)})`,
      };
    }
    data = parsed.data;
  }
  const ignored: string[] = [];
  let movedFrom: string | undefined;
  if (!samePath(data.manifest, manifest, platform)) {
    movedFrom = inRepository && topBefore(data.manifest, inRepository, platform);
    if (movedFrom === undefined)
      return { ok: false, problem: `belongs to another manifest (${data.manifest})` };
    ignored.push(
      `the repository moved from ${movedFrom} to ${inRepository!.top}; the links recorded in it are looked for in the new place`,
    );
  }
  // Each record kept replaces its item in the parsed array, and that array becomes the
  // records': no second array of 10,000, and each parsed compact record is garbage at once
  // rather than kept alive (and copied by each scavenge) until the loop ends.
  const items = data.links;
  let kept = 0;
  const repeated = repeatFinder(items as readonly LinkRecord[]);
  const compact = data.version === 2;
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    let record = compact ? checkedCompactRecord(item, data.createdAt) : checkedRecord(item);
    let problem: string | undefined;
    if (!record) {
      const schema = !compact
        ? recordSchema
        : data.createdAt === undefined
          ? compactRecordSchema
          : compactUndatedRecordSchema;
      const parsed = schema.safeParse(item);
      if (parsed.success) record = fullRecord(parsed.data, data.createdAt);
      else problem = zodProblem(parsed.error);
    }
    if (record) record = inNormalForm(record);
    if (record && !repeated(record.link, kept)) items[kept++] = record;
    else if (record) {
      // Only a hand-edited state has two: acted on twice, the second remove found nothing.
      ignored.push(
        `the record of ${show(record.link)} was ignored (a second record of the same link)`,
      );
    } else {
      const link = (item as { link?: unknown } | null)?.link;
      const which = typeof link === "string" ? `the record of ${show(link)}` : `record ${i + 1}`;
      ignored.push(`${which} was ignored (${problem})`);
    }
  }
  items.length = kept;
  // Now only the records kept.
  const links = items as LinkRecord[];
  const directories: string[] = [];
  for (const dir of data.directories) {
    if (isRecordedPath(dir)) {
      directories.push(dir);
      continue;
    }
    const checked = recordedPath.safeParse(dir);
    if (checked.success) directories.push(checked.data);
    else ignored.push(`the directory ${show(dir)} was ignored (${zodProblem(checked.error)})`);
  }
  // A version 1 file is written as version 2 at the next save.
  const state: State = { version: 2, manifest: data.manifest, links, directories };
  if (movedFrom !== undefined)
    Object.assign(state, moved(state, movedFrom, inRepository!.top, manifest, platform));
  if (data.applying !== undefined) {
    if (typeof data.applying === "string" && TOKEN.test(data.applying))
      state.applying = data.applying;
    else {
      ignored.push(
        `the interrupted run's token ${show(data.applying)} was ignored: it is not the 12 hexadecimal characters linkman writes, so no temporaries are swept for it`,
      );
    }
  }
  return { ok: true, state, ignored };
}

/**
 * `record` with its link written as `path.resolve` writes it, where it was written another way
 * (`//`, `/./`, a trailing separator: only a hand-edited state has one), so that every use of
 * the records (stale links, prune, unlink, a second record of a link) meets the link the
 * manifest names. linkman's own records are in that form already, told without a resolve.
 */
function inNormalForm(record: LinkRecord): LinkRecord {
  if (isNormalAbsolute(record.link)) return record;
  const link = path.resolve(record.link);
  return link === record.link ? record : { ...record, link };
}

/**
 * Whether a link is one of the first `count` of `kept` (the records kept so far), asked once
 * per record in order. linkman writes its records sorted, so no set is made while each sorts
 * after the one before.
 */
function repeatFinder(kept: readonly LinkRecord[]): (link: string, count: number) => boolean {
  let last: string | undefined;
  let seen: Set<string> | undefined;
  return (link, count) => {
    if (!seen) {
      if (last === undefined || last < link) {
        last = link;
        return false;
      }
      seen = new Set();
      for (let i = 0; i < count; i++) seen.add(kept[i]!.link);
    }
    if (seen.has(link)) return true;
    seen.add(link);
    return false;
  };
}

/**
 * The working tree's top a recorded manifest path had, when it is the same manifest in the
 * same repository (its path from the top unchanged): the clone was moved.
 */
function topBefore(recorded: string, repo: InRepository, platform: string): string | undefined {
  const tail = path.sep + repo.relative.split("/").join(path.sep);
  const key = pathKey(recorded, platform);
  if (!key.endsWith(pathKey(tail, platform))) return undefined;
  const top = recorded.slice(0, recorded.length - tail.length);
  return top && path.isAbsolute(top) ? top : undefined;
}

/**
 * The state of a moved clone: every recorded path below the old top moved below the new one.
 * A link's recorded text is left as it is: a relative symlink still reads the same, and an
 * absolute one still leads into the old place (so it is replaced, not trusted as leading here).
 * Whether the moved paths lie in the roots is checked as for any record.
 */
function moved(state: State, from: string, to: string, manifest: string, platform: string) {
  const move = (p: string) =>
    samePath(p, from, platform) || isInside(p, from, platform)
      ? path.join(to, path.relative(from, p))
      : p;
  return {
    manifest,
    links: state.links.map((r) => ({
      ...r,
      link: move(r.link),
      target: move(r.target),
      backup: r.backup === null ? null : move(r.backup),
    })),
    directories: state.directories.map(move),
  };
}

/** The records' JSON encoded, and the time the file gives for those that leave theirs out. */
interface EncodedRecords {
  createdAt: string | undefined;
  pieces: readonly Uint8Array[];
}

/**
 * The records' encoding, by records array. An apply writes the state twice, before its first
 * write and after its last, and when it went as recorded both hold the very same records
 * array (see `finalState`): its bytes are made once. A state's records array is never changed
 * in place (each change makes a new one), and the bytes go with the array.
 */
const encodedOf = new WeakMap<readonly LinkRecord[], EncodedRecords>();

/** How many records are encoded at a time: a piece of ~50 KB, well below V8's large objects. */
const RECORDS_PER_PIECE = 256;

/**
 * The time most records were made at (the first of them in the records when several are as
 * common), given once in the file and left out of those records: a run records every link it
 * makes with one time, so usually all of them. Read back, they share that one string.
 */
function commonCreatedAt(links: readonly LinkRecord[]): string | undefined {
  // Usually one run made them all: no count (a map lookup per record, ~3 ms of 10,000 cold).
  const first = links[0]?.createdAt;
  if (links.every((r) => r.createdAt === first)) return first;
  const counts = new Map<string, number>();
  for (const r of links) counts.set(r.createdAt, (counts.get(r.createdAt) ?? 0) + 1);
  let common: string | undefined;
  let most = 0;
  for (const [createdAt, n] of counts) if (n > most) [common, most] = [createdAt, n];
  return common;
}

/**
 * The text `JSON.stringify` gives for the compact records, encoded in pieces of
 * `RECORDS_PER_PIECE` records: each piece's text is short-lived, where the whole array's (a
 * 2 MB string built in parts, copied flat to be encoded, then copied into a 2 MB buffer)
 * touched three times the memory, and fresh memory is what costs here (a page fault per
 * 4 KB). A piece's `[` becomes the `,` between records, and its `]` is left out, except at
 * the two ends.
 */
function encodeRecords(links: readonly LinkRecord[]): EncodedRecords {
  const createdAt = commonCreatedAt(links);
  const compact = (r: LinkRecord) => compactRecord(r, createdAt);
  if (links.length <= RECORDS_PER_PIECE)
    return { createdAt, pieces: [Buffer.from(JSON.stringify(links.map(compact)), "utf8")] };
  const pieces: Uint8Array[] = [];
  for (let at = 0; at < links.length; at += RECORDS_PER_PIECE) {
    const last = at + RECORDS_PER_PIECE >= links.length;
    const piece = links.slice(at, at + RECORDS_PER_PIECE).map(compact);
    const bytes = Buffer.from(JSON.stringify(piece), "utf8");
    if (at > 0) bytes[0] = 0x2c; // ","
    pieces.push(last ? bytes : bytes.subarray(0, bytes.length - 1));
  }
  return { createdAt, pieces };
}

/** The records' encoding: made once per records array. */
function encodedRecords(links: readonly LinkRecord[]): EncodedRecords {
  let encoded = encodedOf.get(links);
  if (!encoded) {
    encoded = encodeRecords(links);
    encodedOf.set(links, encoded);
  }
  return encoded;
}

/**
 * Writes the state atomically, as compact JSON (at 10,000 links the indented text took
 * twice the CPU to make and write, and 38% more bytes to read back) of format version 2:
 * each record without its defaults, and without its time when it is the one the file gives
 * (a half of the bytes to write, read and parse, and no string per record for its time).
 * The text `JSON.stringify` gives for it, in pieces so the records' can be reused.
 */
export async function writeState(fs: FileSystem, file: string, state: State): Promise<void> {
  const json = JSON.stringify;
  const applying = state.applying === undefined ? "" : `,"applying":${json(state.applying)}`;
  const { createdAt, pieces } = encodedRecords(state.links);
  const time = createdAt === undefined ? "" : `,"createdAt":${json(createdAt)}`;
  await writeFileAtomically(fs, file, [
    Buffer.from(
      `{"version":${json(state.version)},"manifest":${json(state.manifest)}${time},"links":`,
    ),
    ...pieces,
    Buffer.from(`,"directories":${json(state.directories)}${applying}}\n`),
  ]);
}
