import path from "node:path";
import { createTwoFilesPatch } from "diff";
import type { Result } from "../diagnostic.js";
import { ok } from "../diagnostic.js";
import type { Action } from "../engine/action.js";
import { describeFound } from "../engine/action.js";
import { showPath } from "../display.js";
import { errorCode, type FileSystem } from "../fs/fileSystem.js";
import type { Context } from "./context.js";
import { loadManifest, type ManifestChoice } from "./load.js";
import { planManifest, type PlanChoice } from "./plan.js";
import type { StateChoice } from "./stateAccess.js";

/** Files larger than this are compared by size only: a diff of them would not be read. */
const MAX_DIFF_BYTES = 1024 * 1024;
/** How long one text diff may take before it is given up (Myers' worst case is quadratic). */
const DIFF_TIMEOUT_MS = 2000;
/** At most this many entries of a directory are compared. */
const MAX_ENTRIES = 10_000;

/** How what is at a link path differs from the target. */
export interface LinkDiff {
  /** Absolute paths of the link and the target. */
  link: string;
  target: string;
  /** The plan's op for the link: `conflict` or `replace`. */
  op: Action["op"];
  /** Whether what is there differs from the target. */
  differs: boolean;
  /** For two text files: a unified diff, `-` what is there now, `+` the target. */
  patch: string | null;
  /** Otherwise, in words: binary files, which entries of two directories differ, where a link points. */
  description: string | null;
}

/** What `diff` returns: each conflict's and replace's difference. */
export interface DiffReport {
  version: 1;
  manifest: string;
  diffs: LinkDiff[];
  /** How many of them differ. */
  different: number;
}

/** What `diff` is told: the manifest and, optionally, the link paths (or target directories) to look at. */
export interface DiffOptions extends ManifestChoice, StateChoice, PlanChoice {}

/**
 * `linkman diff [PATH…]`: for each conflict and replace of the plan, how what is at the link
 * path differs from the target. Nothing is written.
 */
export async function diff(ctx: Context, options: DiffOptions = {}): Promise<Result<DiffReport>> {
  const loaded = await loadManifest(ctx, options);
  if (!loaded.ok) return loaded;
  const planned = await planManifest(ctx, loaded.value, options);
  const wanted = planned.actions.filter(
    (a) => (a.op === "conflict" || a.op === "replace") && a.found.type !== "missing",
  );
  const diffs: LinkDiff[] = [];
  for (const action of wanted) diffs.push(await diffAction(ctx, action));
  return ok({
    version: 1,
    manifest: planned.manifest,
    diffs,
    different: diffs.filter((d) => d.differs).length,
  });
}

/** How what is at an action's link path differs from its target. */
export async function diffAction(ctx: Context, action: Action): Promise<LinkDiff> {
  const base = { link: action.link, target: action.target, op: action.op };
  const found = action.found;
  const target = await ctx.fs.lstatIfExists(action.target).catch(() => undefined);
  const said = (differs: boolean, description: string): LinkDiff => ({
    ...base,
    differs,
    patch: null,
    description,
  });
  if (found.type === "symlink" || found.type === "junction") {
    return said(true, `${describeFound(found)}; the link would point to ${action.target}`);
  }
  if (!target) return said(true, `${describeFound(found)} is there; the target does not exist`);
  if (found.type === "file" && target.type === "file") {
    return diffFiles(ctx, action, base);
  }
  if (found.type === "directory" && target.type === "directory") {
    const differ = await directoryDifferences(ctx.fs, action.link, action.target);
    return said(
      differ.length > 0,
      differ.length > 0 ? differ.join("\n") : "the directories hold the same entries",
    );
  }
  return said(true, `${describeFound(found)} is there; the target is a ${target.type}`);
}

/** Two files: a unified diff of their text, or for binary or large files, whether their bytes are the same. */
async function diffFiles(
  ctx: Context,
  action: Action,
  base: Pick<LinkDiff, "link" | "target" | "op">,
): Promise<LinkDiff> {
  const [now, wanted] = await Promise.all([
    readBounded(ctx.fs, action.link),
    readBounded(ctx.fs, action.target),
  ]);
  const said = (differs: boolean, description: string): LinkDiff => ({
    ...base,
    differs,
    patch: null,
    description,
  });
  if (typeof now === "string" || typeof wanted === "string") {
    return said(true, typeof now === "string" ? now : String(wanted));
  }
  const same = now.length === wanted.length && now.every((b, i) => b === wanted[i]);
  if (same) return said(false, "the file holds the same bytes as the target");
  if (isBinary(now) || isBinary(wanted)) {
    return said(true, `binary files differ (${now.length} bytes; the target ${wanted.length})`);
  }
  const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  const patch = createTwoFilesPatch(
    showPath(action.link, ctx),
    showPath(action.target, ctx),
    decode(now),
    decode(wanted),
    undefined,
    undefined,
    { context: 3, timeout: DIFF_TIMEOUT_MS, headerOptions: FILE_HEADERS },
  );
  if (patch === undefined) return said(true, "the files differ too much to show a diff in time");
  return { ...base, differs: true, patch, description: null };
}

/** `---`/`+++` headers only, as diff(1) writes them (no `Index:` line). */
const FILE_HEADERS = { includeIndex: false, includeUnderline: false, includeFileHeaders: true };

/** A file's bytes, or why they cannot be compared. */
async function readBounded(fs: FileSystem, file: string): Promise<Uint8Array | string> {
  try {
    return await fs.readFile(file, MAX_DIFF_BYTES);
  } catch (error) {
    const code = errorCode(error);
    return code === "EFBIG"
      ? `${file} is larger than ${MAX_DIFF_BYTES} bytes; not compared`
      : `cannot read ${file}: ${code ?? String(error)}`;
  }
}

/** A NUL byte in the first 8000 bytes: the test git and diff(1) use. */
function isBinary(bytes: Uint8Array): boolean {
  return bytes.subarray(0, 8000).includes(0);
}

/**
 * The entries of two directories that differ, one level deep: names only in one of them,
 * and names in both that are not the same kind or not the same bytes.
 */
async function directoryDifferences(
  fs: FileSystem,
  now: string,
  wanted: string,
): Promise<string[]> {
  const [a, b] = await Promise.all([fs.readdir(now), fs.readdir(wanted)]);
  const there = new Map(a.slice(0, MAX_ENTRIES).map((e) => [e.name, e.type]));
  const target = new Map(b.slice(0, MAX_ENTRIES).map((e) => [e.name, e.type]));
  const lines: string[] = [];
  for (const [name, type] of there) {
    const other = target.get(name);
    if (other === undefined) lines.push(`- ${name} (only in what is there)`);
    else if (other !== type) lines.push(`~ ${name} (a ${type} there, a ${other} in the target)`);
    else if (
      type === "file" &&
      !(await sameBytes(fs, path.join(now, name), path.join(wanted, name)))
    )
      lines.push(`~ ${name} (the files differ)`);
  }
  for (const name of target.keys()) {
    if (!there.has(name)) lines.push(`+ ${name} (only in the target)`);
  }
  return lines.sort((x, y) => x.slice(2).localeCompare(y.slice(2)));
}

async function sameBytes(fs: FileSystem, a: string, b: string): Promise<boolean> {
  const [x, y] = await Promise.all([readBounded(fs, a), readBounded(fs, b)]);
  if (typeof x === "string" || typeof y === "string") return false;
  return x.length === y.length && x.every((v, i) => v === y[i]);
}
