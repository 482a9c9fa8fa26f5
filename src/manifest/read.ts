import path from "node:path";
import type { Diagnostic, Result } from "../diagnostic.js";
import { fail, ok } from "../diagnostic.js";
import type { FileSystem } from "../fs/fileSystem.js";
import { errorCode } from "../fs/fileSystem.js";
import type {
  EntryOptions,
  IncludeRef,
  Manifest,
  ManifestEntry,
  ManifestFile,
} from "./manifest.js";
import { asList, toConditions } from "./manifest.js";
import type { ManifestInput } from "./schema.js";
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
}

/**
 * Reads, parses and validates a manifest and every file it includes. All problems in all
 * files come back together, each with its file, line and column.
 */
export async function readManifest(file: string, ctx: ReadContext): Promise<Result<Manifest>> {
  const absolute = path.resolve(file);
  const read = await readManifestFile(absolute, ctx, [absolute]);
  return read.ok ? ok({ file: absolute, root: read.value }) : read;
}

async function readManifestFile(
  file: string,
  ctx: ReadContext,
  chain: string[],
): Promise<Result<ManifestFile>> {
  const text = await readText(file, ctx.fs);
  if (!text.ok) return text;
  const prefix = path.basename(file) === "package.json" ? ["linkman"] : [];
  const parsed = parseSource(file, text.value, prefix);
  if (!parsed.ok) return parsed;
  const src = parsed.value;
  const valid = validateManifest(src);
  if (!valid.ok) return valid;

  const input = valid.value;
  const errors: Diagnostic[] = [];
  const entries = toEntries(input);
  for (const entry of entries) errors.push(...checkEntry(src, entry));

  const dir = path.dirname(file);
  const includes: ManifestFile[] = [];
  for (const include of toIncludes(input)) {
    const included = await readInclude(src, dir, include, ctx, chain);
    if (!included.ok) errors.push(...included.errors);
    else if (included.value) includes.push(included.value);
  }
  if (errors.length > 0) return fail(errors);

  return ok({
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
    entries,
    includes,
  });
}

/** A manifest file's text: bounded in size, valid UTF-8, without a byte-order mark. */
async function readText(file: string, fs: FileSystem): Promise<Result<string>> {
  const at = { file, path: "" };
  try {
    const stat = await fs.stat(file);
    if (stat.type === "directory") {
      return fail([{ ...at, message: "is a directory, not a manifest file" }]);
    }
    if (stat.type !== "file") {
      // A device or a pipe (/dev/zero, /dev/stdin) could be read forever.
      return fail([
        { ...at, message: "is not a regular file, so linkman does not read it as a manifest" },
      ]);
    }
    if (stat.size > MAX_MANIFEST_BYTES) {
      return fail([
        {
          ...at,
          message: `the manifest is ${formatSize(stat.size)}; linkman reads manifests up to ${formatSize(MAX_MANIFEST_BYTES)}`,
          hint: "is this the right file? A manifest lists links, so it is rarely larger than a few kilobytes",
        },
      ]);
    }
    const bytes = await fs.readFile(file, MAX_MANIFEST_BYTES);
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
  } catch (error) {
    const code = errorCode(error);
    const why =
      code === "ENOENT"
        ? "no such file"
        : code === "EACCES" || code === "EPERM"
          ? "permission denied"
          : `cannot be read (${code ?? String(error)})`;
    return fail([{ ...at, message: why }]);
  }
}

function formatSize(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MiB` : `${bytes} bytes`;
}

function toEntries(input: ManifestInput): ManifestEntry[] {
  const links = input.links;
  if (links === undefined) return [];
  if (Array.isArray(links)) {
    return links.map((e, i) => {
      const { link, target, exclude, when, ...options } = e;
      const conditions = toConditions(when);
      return {
        link,
        target,
        options: options as Partial<EntryOptions>,
        exclude: asList(exclude) ?? [],
        ...(conditions ? { when: conditions } : {}),
        refs: {
          entry: { path: ["links", i] },
          link: { path: ["links", i, "link"] },
          target: { path: ["links", i, "target"] },
        },
      };
    });
  }
  return Object.entries(links).map(([link, target]) => ({
    link,
    target,
    options: {},
    exclude: [],
    refs: {
      entry: { path: ["links", link], key: true },
      link: { path: ["links", link], key: true },
      target: { path: ["links", link] },
    },
  }));
}

/** Checks one entry needs beyond its shape: combinations that cannot be made. */
function checkEntry(src: SourceDoc, entry: ManifestEntry): Diagnostic[] {
  const { kind, relative } = entry.options;
  if (relative === true && (kind === "hardlink" || kind === "junction")) {
    const what = kind === "hardlink" ? "hard links" : "junctions";
    return [
      diagnosticAt(src, [...entry.refs.entry.path, "relative"], `${what} have no relative form`, {
        key: true,
        hint: "remove `relative: true`, or use `kind: symlink`",
      }),
    ];
  }
  return [];
}

function toIncludes(input: ManifestInput): IncludeRef[] {
  return (input.include ?? []).map((raw, i) => ({
    path: raw.endsWith("?") ? raw.slice(0, -1) : raw,
    optional: raw.endsWith("?"),
    ref: { path: ["include", i] },
  }));
}

async function readInclude(
  src: SourceDoc,
  dir: string,
  include: IncludeRef,
  ctx: ReadContext,
  chain: string[],
): Promise<Result<ManifestFile | undefined>> {
  const at = (message: string, hint?: string) =>
    fail([diagnosticAt(src, include.ref.path, message, hint ? { hint } : {})]);
  const written = include.path;
  const expanded =
    written === "~" || written.startsWith("~/") || written.startsWith("~\\")
      ? path.join(ctx.homedir, written.slice(1))
      : written;
  const file = path.resolve(dir, expanded);
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
  try {
    await ctx.fs.stat(file);
  } catch (error) {
    if (errorCode(error) === "ENOENT" && include.optional) return ok(undefined);
    if (errorCode(error) === "ENOENT") {
      return at(
        `included file ${file} does not exist`,
        "end the path with ? (`" + written + "?`) if it is fine for the file to be missing",
      );
    }
  }
  return readManifestFile(file, ctx, [...chain, file]);
}
