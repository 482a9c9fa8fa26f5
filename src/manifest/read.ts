import path from "node:path";
import picomatch from "picomatch";
import type { Diagnostic, Result } from "../diagnostic.js";
import { fail, ok } from "../diagnostic.js";
import type { FileSystem } from "../fs/fileSystem.js";
import { errorCode } from "../fs/fileSystem.js";
import { expandGlob, GlobRefused, GlobTooLarge } from "../resolve/glob.js";
import type {
  EntryOptions,
  IncludeRef,
  Manifest,
  ManifestDirectory,
  ManifestEntry,
  ManifestFile,
} from "./manifest.js";
import { asList, hasOwnKeys, toConditions } from "./manifest.js";
import type { ManifestInput } from "./schema.js";
import { keysAsRead } from "./fastYaml.js";
import { diagnosticAt, parseSource, type SourceDoc } from "./source.js";
import { validateManifest } from "./validate.js";

/** A manifest larger than this is refused before it is parsed: no real manifest comes close. */
export const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

/** Includes nest at most this deep, so a chain of includes cannot run away. */
const MAX_INCLUDE_DEPTH = 32;

/** What reading a manifest needs from outside. */
export interface ReadContext {
  fs: FileSystem;
  /** The user's home, for `~` in include paths. */
  homedir: string;
  /** Whose rules include globs match names by (case); this machine's when not given. */
  platform?: string;
}

/**
 * Reads, parses and validates a manifest and every file it includes. All problems in all
 * files come back together, each with its file, line and column.
 */
export async function readManifest(file: string, ctx: ReadContext): Promise<Result<Manifest>> {
  const absolute = path.resolve(file);
  const read = await readBytes(absolute, ctx.fs);
  if (!("bytes" in read)) {
    const message = read.code === "ENOENT" ? "no such file" : read.message;
    return fail([{ file: absolute, path: "", message, ...(read.hint ? { hint: read.hint } : {}) }]);
  }
  const root = await readManifestFile(absolute, read.bytes, ctx, [absolute]);
  return root.ok ? ok({ file: absolute, root: root.value }) : root;
}

async function readManifestFile(
  file: string,
  bytes: Uint8Array,
  ctx: ReadContext,
  chain: string[],
): Promise<Result<ManifestFile>> {
  const text = decodeText(file, bytes);
  if (!text.ok) return text;
  const prefix = path.basename(file) === "package.json" ? ["linkman"] : [];
  const parsed = await parseSource(file, text.value, prefix);
  if (!parsed.ok) return parsed;
  const src = parsed.value;
  const valid = validateManifest(src);
  if (!valid.ok) return valid;

  const input = valid.value;
  const errors: Diagnostic[] = [];
  // A map's entries are made when asked for (entriesLater); they set no options, so only a
  // list's entries can hold a combination that cannot be made.
  const later = input.links !== undefined && !Array.isArray(input.links);
  const entries = later ? undefined : toEntries(input);
  for (let i = 0; entries && i < entries.length; i++) {
    const problem = checkEntry(src, entries[i] as ManifestEntry);
    if (problem) errors.push(problem);
  }

  const dir = path.dirname(file);
  const includes: ManifestFile[] = [];
  // A file that two includes name (two globs, say) is included once, where first named.
  const named = new Set<string>();
  for (const include of toIncludes(input)) {
    const files = await includedFiles(src, dir, include, ctx, chain);
    if (!files.ok) errors.push(...files.errors);
    for (const one of files.ok ? files.value : []) {
      if (named.has(one)) continue;
      named.add(one);
      const included = await readInclude(src, one, include, ctx, chain);
      if (!included.ok) errors.push(...included.errors);
      else if (included.value) includes.push(included.value);
    }
  }
  if (errors.length > 0) return fail(errors);

  const read: ManifestFile = {
    file,
    dir,
    source: src,
    ...(input.base !== undefined ? { base: { value: input.base, ref: { path: ["base"] } } } : {}),
    vars: Object.entries(input.vars ?? {}).map(([name, value]) => ({
      name,
      value,
      ref: { path: ["vars", name] },
    })),
    defaults: input.defaults ?? {},
    entries: entries ?? [],
    directories: toDirectories(input),
    includes,
  };
  if (!entries) entriesLater(read, input);
  return ok(read);
}

/** The `links` map of each file whose entries are made when first asked for, with its keys in order. */
const linksMaps = new WeakMap<
  ManifestFile,
  { keys: readonly string[]; links: Record<string, string>; get: () => ManifestEntry[] }
>();

/**
 * Makes a file's `entries` (from its `links` map) on first read, and meanwhile `entriesOf`
 * gives them to a resolve one at a time, each garbage once resolved (10,000 kept from the read
 * on were copied by every collection until the last was resolved). An own enumerable getter in
 * `entries`'s place, which becomes the array when first read or set.
 */
function entriesLater(file: ManifestFile, input: ManifestInput): void {
  const links = (input.links ?? {}) as Record<string, string>;
  let made: ManifestEntry[] | undefined;
  const settle = (value: ManifestEntry[]) => {
    made = value;
    linksMaps.delete(file);
    // A frozen or sealed file keeps the getter, which then gives this same array.
    if (Object.getOwnPropertyDescriptor(file, "entries")?.configurable)
      Object.defineProperty(file, "entries", {
        value,
        writable: true,
        enumerable: true,
        configurable: true,
      });
    return value;
  };
  const get = () => made ?? settle(toEntries(input));
  linksMaps.set(file, { keys: keysAsRead(links) ?? Object.keys(links), links, get });
  Object.defineProperty(file, "entries", {
    get,
    set: settle,
    enumerable: true,
    configurable: true,
  });
}

/**
 * A file's entries one at a time: `at(i)` is `file.entries[i]`, or where those are not made
 * yet, that entry made anew (garbage once resolved).
 */
export function entriesOf(file: ManifestFile): {
  count: number;
  at: (index: number) => ManifestEntry;
} {
  const map = linksMaps.get(file);
  // Made one at a time only while `entries` is still the getter (a script may define its own).
  if (!map || Object.getOwnPropertyDescriptor(file, "entries")?.get !== map.get) {
    const { entries } = file;
    return { count: entries.length, at: (i) => entries[i] as ManifestEntry };
  }
  const { keys, links } = map;
  return {
    count: keys.length,
    at: (i) => mapEntry(keys[i] as string, links[keys[i] as string] as string),
  };
}

/** Why a file could not be read as a manifest, in words for a message about it. */
interface Unreadable {
  code: string | undefined;
  /** Says what the file is, completing "FILE ..." or "the manifest ...". */
  message: string;
  hint?: string;
}

/**
 * A manifest file's bytes, read with the size bound in one call: the file system refuses
 * anything but a regular file (a FIFO, a device, a directory) without blocking, and stops
 * reading at the bound whatever size the file reports (`/proc` files report 0).
 */
async function readBytes(
  file: string,
  fs: FileSystem,
): Promise<{ bytes: Uint8Array } | Unreadable> {
  try {
    return { bytes: await fs.readFile(file, MAX_MANIFEST_BYTES) };
  } catch (error) {
    const code = errorCode(error);
    if (code === "EFBIG") {
      return {
        code,
        message: `is larger than ${formatSize(MAX_MANIFEST_BYTES)}; linkman reads manifests up to ${formatSize(MAX_MANIFEST_BYTES)}`,
        hint: "is this the right file? A manifest lists links, so it is rarely larger than a few kilobytes",
      };
    }
    if (code === "EISDIR" || code === "EINVAL") {
      // EINVAL is the refusal of a non-regular file, or a special file (in /proc) failing its read.
      const type = await fs.stat(file).then(
        (s) => s.type,
        () => undefined,
      );
      if (type === "directory") return { code, message: "is a directory, not a manifest file" };
      if (type !== "file") {
        return {
          code,
          message:
            "is not a regular file (a device, a pipe or a socket), so linkman does not read it as a manifest",
        };
      }
      if (code === "EINVAL") {
        return {
          code,
          message:
            "cannot be read as a manifest (EINVAL): it is a special file the system makes, such as one in /proc",
        };
      }
    }
    const why =
      code === "ENOENT"
        ? "does not exist"
        : code === "EACCES" || code === "EPERM"
          ? "cannot be read: permission denied"
          : `cannot be read (${code ?? String(error)})`;
    return { code, message: why };
  }
}

/** A manifest file's text: valid UTF-8, without NUL bytes or a byte-order mark. */
function decodeText(file: string, bytes: Uint8Array): Result<string> {
  const at = { file, path: "" };
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return fail([{ ...at, message: "the manifest is not valid UTF-8 text" }]);
  }
  if (text.includes("\u0000")) {
    const offset = text.indexOf("\u0000");
    const line = text.slice(0, offset).split("\n").length;
    return fail([{ ...at, line, column: 1, message: "the manifest contains a NUL byte" }]);
  }
  return ok(text.replace(/^\uFEFF/, ""));
}

function formatSize(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MiB` : `${bytes} bytes`;
}

/** The options of an entry that sets none, and its empty `exclude`: shared, never changed. */
const NO_OPTIONS: Partial<EntryOptions> = Object.freeze({});
const NO_EXCLUDE: string[] = Object.freeze([]) as unknown as string[];

function toEntries(input: ManifestInput): ManifestEntry[] {
  const links = input.links;
  if (links === undefined) return [];
  if (Array.isArray(links)) {
    return links.map((e, i) => {
      const { link, target, exclude, rename, when, ...options } = e;
      const conditions = toConditions(when);
      const entry: ManifestEntry = {
        link,
        target,
        options: hasOwnKeys(options) ? (options as Partial<EntryOptions>) : NO_OPTIONS,
        exclude: asList(exclude) ?? NO_EXCLUDE,
        at: i,
      };
      if (rename) entry.rename = rename;
      if (conditions) entry.when = conditions;
      return entry;
    });
  }
  // A map's entries are most of a large manifest: one small object each, nothing per entry shared.
  const keys = keysAsRead(links) ?? Object.keys(links);
  const entries = new Array<ManifestEntry>(keys.length);
  for (let i = 0; i < keys.length; i++) {
    const link = keys[i] as string;
    entries[i] = mapEntry(link, links[link] as string);
  }
  return entries;
}

/** The entry of a `links` map's pair: its defaults, no `exclude`, placed at its key. */
function mapEntry(link: string, target: string): ManifestEntry {
  return { link, target, options: NO_OPTIONS, exclude: NO_EXCLUDE, at: link };
}

/** A check one entry needs beyond its shape: a combination that cannot be made. */
function checkEntry(src: SourceDoc, entry: ManifestEntry): Diagnostic | undefined {
  const { kind, relative } = entry.options;
  if (relative === true && (kind === "hardlink" || kind === "junction")) {
    const what = kind === "hardlink" ? "hard links" : "junctions";
    return diagnosticAt(src, ["links", entry.at, "relative"], `${what} have no relative form`, {
      key: true,
      hint: "remove `relative: true`, or use `kind: symlink`",
    });
  }
  return undefined;
}

function toDirectories(input: ManifestInput): ManifestDirectory[] {
  return (input.directories ?? []).map((d, i) => {
    const conditions = typeof d === "string" ? undefined : toConditions(d.when);
    return {
      path: typeof d === "string" ? d : d.path,
      ...(conditions ? { when: conditions } : {}),
      ref: { path: ["directories", i] },
    };
  });
}

function toIncludes(input: ManifestInput): IncludeRef[] {
  return (input.include ?? []).map((raw, i) => ({
    path: raw.endsWith("?") ? raw.slice(0, -1) : raw,
    optional: raw.endsWith("?"),
    ref: { path: ["include", i] },
  }));
}

/**
 * The files an include names: its one path, or every file its glob matches (sorted; never
 * a manifest of the chain that includes it, so `**` over every `links.yaml` is no cycle). A glob that
 * matches nothing is an error unless written with a trailing `?`, as a missing file is.
 */
async function includedFiles(
  src: SourceDoc,
  dir: string,
  include: IncludeRef,
  ctx: ReadContext,
  chain: string[],
): Promise<Result<string[]>> {
  const at = (message: string, hint?: string) =>
    fail([diagnosticAt(src, include.ref.path, message, hint ? { hint } : {})]);
  const written = include.path;
  const expanded =
    written === "~" || written.startsWith("~/") || written.startsWith("~\\")
      ? path.join(ctx.homedir, written.slice(1))
      : written;
  const scan = picomatch.scan(expanded);
  if (!scan.isGlob) return ok([path.resolve(dir, expanded)]);
  const pattern = {
    base: path.resolve(dir, scan.base || "."),
    glob: scan.glob,
    directories: false,
  };
  const platform = ctx.platform ?? process.platform;
  try {
    const matches = await expandGlob(ctx.fs, pattern, [], platform, chain);
    if (matches.length > 0 || include.optional) return ok(matches.map((m) => m.path));
    return at(
      `no file matches the include ${written}`,
      "end the pattern with ? (`" + written + "?`) if it is fine for nothing to match",
    );
  } catch (error) {
    if (error instanceof GlobRefused || error instanceof GlobTooLarge) {
      return at(error.message, "narrow the pattern: a longer static part, fewer alternatives");
    }
    const where = (error as { path?: string }).path ?? pattern.base;
    return at(
      `cannot walk the include's directories: ${where}: ${errorCode(error) ?? String(error)}`,
    );
  }
}

async function readInclude(
  src: SourceDoc,
  file: string,
  include: IncludeRef,
  ctx: ReadContext,
  chain: string[],
): Promise<Result<ManifestFile | undefined>> {
  const at = (message: string, hint?: string) =>
    fail([diagnosticAt(src, include.ref.path, message, hint ? { hint } : {})]);
  const written = include.path;
  if (chain.includes(file)) {
    const cycle = [...chain.slice(chain.indexOf(file)), file].join(" → ");
    return at(
      `include cycle: ${cycle}`,
      "a manifest cannot include itself, directly or through others",
    );
  }
  if (chain.length >= MAX_INCLUDE_DEPTH) {
    return at(`includes nest more than ${MAX_INCLUDE_DEPTH} deep`);
  }
  const read = await readBytes(file, ctx.fs);
  if ("bytes" in read) {
    const included = await readManifestFile(file, read.bytes, ctx, [...chain, file]);
    // A manifest from a cloned repository may include any file it names (~/.aws/credentials):
    // what is wrong in a file outside the manifest's directory is counted, never quoted.
    const home = path.dirname(chain[0] ?? file);
    if (included.ok || isInsideDirectory(file, home)) return included;
    const n = included.errors.length;
    return at(
      `included file ${file} is not a valid manifest (${n === 1 ? "1 problem" : `${n} problems`}, not shown: it lies outside ${home})`,
      `if it is yours, check it with \`linkman validate -c ${file}\``,
    );
  }
  if (read.code === "ENOENT" && include.optional) return ok(undefined);
  // The include names the file, so that is where the problem is shown, and where to fix it.
  return at(
    `included file ${file} ${read.message}`,
    read.hint ??
      (read.code === "ENOENT"
        ? "end the path with ? (`" + written + "?`) if it is fine for the file to be missing"
        : `an include names another manifest: a YAML file of at most ${formatSize(MAX_MANIFEST_BYTES)}`),
  );
}

/** Whether a path lies inside a directory (as written). */
function isInsideDirectory(file: string, dir: string): boolean {
  const rel = path.relative(dir, file);
  return rel !== "" && !rel.startsWith("..") && !path.isAbsolute(rel);
}
