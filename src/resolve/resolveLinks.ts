import path from "node:path";
import type { Diagnostic, Result } from "../diagnostic.js";
import { fail, formatKeyPath, ok } from "../diagnostic.js";
import type { EntryType, FileSystem } from "../fs/fileSystem.js";
import { namesIn, statIfExists } from "../fs/fileSystem.js";
import type {
  EntryOptions,
  Manifest,
  ManifestEntry,
  ManifestFile,
  Rename,
  SourceRef,
} from "../manifest/manifest.js";
import { DEFAULT_OPTIONS, entryRef, hasOwnKeys, linkRef, targetRef } from "../manifest/manifest.js";
import { diagnosticAt } from "../manifest/source.js";
import { entriesOf } from "../manifest/read.js";
import { checkConditions, type Facts } from "./conditions.js";
import type { DesiredDirectory, DesiredLink, EntryPlace, TargetType } from "./desiredLink.js";
import { expandPath, type Lookup } from "./expand.js";
import {
  expandGlob,
  GlobRefused,
  mayBeGlob,
  GlobTooLarge,
  parseGlob,
  parseLinkGlob,
  walkGlob,
  type GlobMatch,
} from "./glob.js";
import { renameMatch } from "./rename.js";
import { pathKey, samePath } from "../platform.js";
import { findOverlaps } from "./overlaps.js";
import { entryPlace } from "./entryPlace.js";
import { showPath } from "../display.js";
import { findRepository, gitPath, splitAtGit } from "./git.js";
import { flat, hasOddName, isNormalAbsolute, isPlainRelative, resolvePath } from "../paths.js";

/** What resolving a manifest needs to know about this machine and run. */
export interface ResolveContext extends Facts {
  fs: FileSystem;
  homedir: string;
  /** Where the user is, so messages show paths as the plan does (without it, only `~` is shortened). */
  cwd?: string;
  /** Called at each file a glob target finds, for a progress indicator. */
  onFound?: (() => void) | undefined;
}

interface Scope {
  vars: ReadonlyMap<string, string>;
  defaults: Partial<EntryOptions>;
  /** Every manifest file: a glob never matches one. */
  manifests: readonly string[];
  /** The targets' types, shared by every file of the manifest. */
  types: TargetTypes;
}

/**
 * Turns a manifest into the links it wants, in manifest order (includes after the entries
 * of the file that includes them; glob matches sorted). Expands variables and `~`, applies
 * defaults, checks `when`, walks globs, and reports every unset variable, duplicate link and
 * link inside another entry's directory link, each with its line.
 */
export async function resolveLinks(
  manifest: Manifest,
  ctx: ResolveContext,
): Promise<Result<DesiredLink[]>> {
  const resolved = await resolveManifest(manifest, ctx);
  return resolved.ok ? ok(resolved.value.links) : resolved;
}

/** What a manifest wants: its links (as `resolveLinks` gives them) and its `directories`. */
export async function resolveManifest(
  manifest: Manifest,
  ctx: ResolveContext,
): Promise<Result<{ links: DesiredLink[]; directories: DesiredDirectory[] }>> {
  const links: DesiredLink[] = [];
  const directories: DesiredDirectory[] = [];
  const errors: Diagnostic[] = [];
  const root = {
    vars: new Map(),
    defaults: {},
    manifests: manifestFiles(manifest.root),
    types: new TargetTypes(ctx.fs),
  };
  await resolveFile(manifest.root, root, ctx, { links, directories }, errors);
  if (errors.length === 0) {
    await root.types.settle();
    const show = (p: string) => showPath(p, { homedir: ctx.homedir, cwd: ctx.cwd });
    const overlaps = findOverlaps(links, ctx.platform, show, directories);
    if (overlaps.errors.length > 0) return fail(overlaps.errors);
    return ok({ links: overlaps.links, directories });
  }
  return fail(errors);
}

async function resolveFile(
  file: ManifestFile,
  parent: Scope,
  ctx: ResolveContext,
  out: { links: DesiredLink[]; directories: DesiredDirectory[] },
  errors: Diagnostic[],
): Promise<void> {
  const at = (ref: SourceRef, message: string, hint?: string): Diagnostic =>
    diagnosticAt(file.source, ref.path, message, { key: ref.key, ...(hint ? { hint } : {}) });

  // Each variable sees the ones above it (and the including file's) and the environment.
  const vars = new Map(parent.vars);
  for (const v of file.vars) {
    const value = expandPath(v.value, lookupIn(vars, ctx.env), ctx.homedir);
    if (value.ok) vars.set(v.name, value.value);
    else errors.push(at(v.ref, value.error.message, unsetHint(value.error.variable)));
  }
  const lookup = lookupIn(vars, ctx.env);

  let base = file.dir;
  if (file.base) {
    const expanded = expandPath(file.base.value, lookup, ctx.homedir);
    if (expanded.ok) base = path.resolve(file.dir, expanded.value);
    else errors.push(at(file.base.ref, expanded.error.message, unsetHint(expanded.error.variable)));
  }

  const defaults = { ...parent.defaults, ...file.defaults };
  const { manifests, types } = parent;
  const baseMayBeGlob = mayBeGlob(base);
  // One scope for every entry of the file, and one options object for the entries that set none.
  const scope: EntryScope = {
    file,
    base,
    baseMayBeGlob,
    home: ctx.homedir !== "/" && isNormalAbsolute(ctx.homedir) ? ctx.homedir : undefined,
    baseSlash:
      baseMayBeGlob || !isNormalAbsolute(base) ? undefined : base === "/" ? base : `${base}/`,
    lookup,
    defaults,
    plainOptions: entryOptions(defaults, {}),
    ctx,
    at,
    manifests,
    types,
  };
  const entries = entriesOf(file);
  for (let i = 0; i < entries.count; i++) {
    const entry = entries.at(i);
    const plain = plainLink(entry, scope);
    if (plain) {
      out.links.push(plain);
      continue;
    }
    const resolved = await resolveEntry(entry, scope);
    if (resolved.ok) for (const link of resolved.value) out.links.push(link);
    else errors.push(...resolved.errors);
  }
  for (const dir of file.directories) {
    const place: EntryPlace = {
      ...file.source.placeOf(dir.ref.path),
      path: formatKeyPath([...file.source.prefix, ...dir.ref.path]),
    };
    const condition = await checkConditions(dir.when, ctx, ctx.fs);
    // As for links: a skipped directory's variables need not be set on this machine.
    const expanded = expandPath(dir.path, lookup, ctx.homedir, !condition.holds);
    if (!expanded.ok) {
      errors.push(at(dir.ref, expanded.error.message, unsetHint(expanded.error.variable)));
      continue;
    }
    out.directories.push({
      path: path.resolve(file.dir, expanded.value),
      place,
      ...(condition.holds ? {} : { skipped: { reason: "condition" as const, why: condition.why } }),
    });
  }
  for (const include of file.includes) {
    await resolveFile(include, { vars, defaults, manifests, types }, ctx, out, errors);
  }
}

interface EntryScope {
  file: ManifestFile;
  base: string;
  /** Whether a relative target joined to `base` may make a glob. */
  baseMayBeGlob: boolean;
  /** The home directory, where `~/NAME` is it and `/NAME` joined (absolute, normal, not `/`). */
  home: string | undefined;
  /** The base and its `/`, where a relative target of plain names is that and the names joined. */
  baseSlash: string | undefined;
  lookup: Lookup;
  defaults: Partial<EntryOptions>;
  /** The options of an entry that sets none (shared: options are never changed once made). */
  plainOptions: EntryOptions;
  ctx: ResolveContext;
  at: (ref: SourceRef, message: string, hint?: string) => Diagnostic;
  manifests: readonly string[];
  types: TargetTypes;
}

/**
 * The link of a plain entry (no `when`, no glob on either side, no `.git` in its link, no
 * `exclude` or `rename`, its variables set), made without an await, a closure or a copy: most
 * entries of a large manifest are such. Its target's type is set by `TargetTypes.settle`.
 * Undefined for any other entry, which `resolveEntry` resolves (and says what is wrong with).
 */
function plainLink(entry: ManifestEntry, scope: EntryScope): DesiredLink | undefined {
  if (entry.when || entry.exclude.length > 0 || entry.rename) return undefined;
  const { lookup, ctx } = scope;
  let linkPath = homePath(entry.link, scope.home);
  if (linkPath === undefined) {
    if (mayBeGlob(entry.link)) return undefined;
    const link = expandPath(entry.link, lookup, ctx.homedir);
    if (!link.ok) return undefined;
    linkPath = resolvePath(scope.file.dir, link.value);
  }
  let targetPath = plainTargetPath(entry.target, scope.baseSlash);
  if (targetPath === undefined) {
    const target = expandPath(entry.target, lookup, ctx.homedir);
    if (!target.ok || mayBeGlob(target.value)) return undefined;
    if (scope.baseMayBeGlob && !path.isAbsolute(target.value)) return undefined;
    targetPath = resolvePath(scope.base, target.value);
  }
  if (mayHoldGit(linkPath)) return undefined;
  const options = hasOwnKeys(entry.options)
    ? entryOptions(scope.defaults, entry.options)
    : scope.plainOptions;
  const desired: DesiredLink = {
    link: linkPath,
    target: targetPath,
    kind: options.kind,
    options,
    targetType: "missing",
    place: entryPlace(scope.file.source, entry),
  };
  scope.types.want(desired);
  return desired;
}

async function resolveEntry(
  entry: ManifestEntry,
  scope: EntryScope,
): Promise<Result<DesiredLink[]>> {
  const { file, base, lookup, ctx, at } = scope;
  const options = hasOwnKeys(entry.options)
    ? entryOptions(scope.defaults, entry.options)
    : scope.plainOptions;
  const where = entryPlace(file.source, entry);
  // Most entries have no `when`: no call (and no await) for them.
  const condition = entry.when ? await checkConditions(entry.when, ctx, ctx.fs) : HOLDS;

  // A skipped entry is not expanded strictly: `${APPDATA}` in a Windows-only entry must not
  // be an error on Linux.
  const lenient = !condition.holds;
  const link = expandPath(entry.link, lookup, ctx.homedir, lenient);
  const target = expandPath(entry.target, lookup, ctx.homedir, lenient);
  if (!link.ok || !target.ok) {
    const errors: Diagnostic[] = [];
    if (!link.ok)
      errors.push(at(linkRef(entry), link.error.message, unsetHint(link.error.variable)));
    if (!target.ok) {
      errors.push(at(targetRef(entry), target.error.message, unsetHint(target.error.variable)));
    }
    return fail(errors);
  }

  const written = path.resolve(file.dir, link.value);
  // A link below `.git` goes where git looks (a worktree's or submodule's `.git` is a file).
  const git =
    condition.holds && mayHoldGit(written) ? await gitLinkPath(ctx.fs, written) : { link: written };
  const linkPath = git.link;
  // A path without glob characters is no glob, joined or not (most explicit entries).
  const absolute = path.isAbsolute(target.value);
  const pattern =
    mayBeGlob(target.value) || (!absolute && mayBeGlob(base))
      ? parseGlob(absolute ? target.value : joinKeepingSlash(base, target.value))
      : undefined;
  const one = (targetPath: string, targetType: TargetType, linkAt = linkPath): DesiredLink => {
    const desired: DesiredLink = {
      link: linkAt,
      target: targetPath,
      kind: options.kind,
      options,
      targetType,
      place: where,
    };
    // Set, not spread: no empty object per link for the keys most links lack.
    if (git.workTree) desired.workTree = git.workTree;
    if (!condition.holds) desired.skipped = { reason: "condition", why: condition.why };
    return desired;
  };

  // Only a link with glob characters can fan out (no async call for the others).
  if (mayBeGlob(entry.link)) {
    const fannedOut = await resolveFanOut(entry, scope, link.value, target.value, one);
    if (fannedOut) return fannedOut;
  }

  if (!condition.holds) return ok([one(path.resolve(base, target.value), "missing")]);
  if (git.noRepository) {
    // Never a `.git` directory made up where there is no repository (a tarball, a Docker context).
    return ok([
      {
        ...one(path.resolve(base, target.value), "missing"),
        skipped: { reason: "condition", why: "not a git repository" },
      },
    ]);
  }

  if (!pattern) {
    const refused = globOnlyKey(entry, at, "or make `target` a glob such as `home/**`");
    if (refused) return refused;
    const desired = one(path.resolve(base, target.value), "missing");
    scope.types.want(desired);
    return ok([desired]);
  }

  if (options.kind === "hardlink" && pattern.directories) {
    return fail([
      at(
        targetRef(entry),
        "a pattern ending in / matches directories, and hard links are files only",
        "use `kind: symlink` or `kind: junction` for directories",
      ),
    ]);
  }
  // Two matches that rename to one link, or a rename out of the link directory, would
  // otherwise surface later as a bare duplicate or a link outside the entry.
  const renamed = (
    matches: readonly GlobMatch[],
    rename: Rename,
    link: (m: GlobMatch, relative: string) => DesiredLink,
  ): Result<DesiredLink[]> => {
    const seen = new Map<string, string>();
    const out: DesiredLink[] = [];
    const errors: Diagnostic[] = [];
    for (const m of matches) {
      const relative = renameMatch(m.relative, rename);
      if (relative === undefined) {
        errors.push(
          at(
            targetRef(entry),
            `the match ${m.relative} would be renamed out of the link directory`,
          ),
        );
        continue;
      }
      const key = pathKey(relative, ctx.platform);
      const earlier = seen.get(key);
      if (earlier !== undefined) {
        errors.push(
          at(
            entryRef(entry),
            `${earlier} and ${m.relative} both rename to ${relative}`,
            "keep one of the two files, or `exclude` one",
          ),
        );
        continue;
      }
      seen.set(key, m.relative);
      out.push(link(m, relative));
    }
    return errors.length > 0 ? fail(errors) : ok(out);
  };
  try {
    // The links of an entry whose link directory lies in its own glob's tree must not be
    // matched on the next run, or each run adds a level (`m/f`, `m/m/f`, …).
    const never = [...scope.manifests, linkPath];
    // A match's link as `path.join(linkPath, ...relative.split("/"))` gives it, but without
    // join's walk over every character where the link directory is absolute and normal (the
    // names of a relative path are plain): 10,000 matches made ~7 MB of garbage that way.
    // Flattened while young, as a plain entry's link is: the concatenation's parts (a nested
    // match's relative path among them) die at once instead of living to the overlap check.
    const normal = isNormalAbsolute(linkPath);
    const linkOf = (relative: string) =>
      normal ? flat(resolvePath(linkPath, relative)) : path.join(linkPath, ...relative.split("/"));
    const walk = <T>(make: (match: string, relative: string, type: GlobMatch["type"]) => T) =>
      walkGlob(ctx.fs, pattern, entry.exclude, ctx.platform, never, ctx.onFound, make);
    // Each match made into its link as the walk finds it (no match object kept for each).
    if (!entry.rename) return ok(await walk((m, relative, type) => one(m, type, linkOf(relative))));
    const matches = await walk((m, relative, type) => ({ path: m, relative, type }));
    return renamed(matches, entry.rename, (m, relative) => one(m.path, m.type, linkOf(relative)));
  } catch (error) {
    if (error instanceof GlobRefused) {
      const ref =
        error.exclude === undefined
          ? targetRef(entry)
          : { path: [...entryRef(entry).path, "exclude", error.exclude] };
      return fail([
        at(ref, error.message, "simplify the pattern: fewer alternatives, no nested repeats"),
      ]);
    }
    if (error instanceof GlobTooLarge) {
      return fail([
        at(
          targetRef(entry),
          error.message,
          "narrow it: a longer static part (home/** rather than /**), or `exclude`",
        ),
      ]);
    }
    const where = (error as { path?: string }).path ?? pattern.base;
    const code = (error as { code?: string }).code ?? String(error);
    return fail([at(targetRef(entry), `cannot walk the glob's directories: ${where}: ${code}`)]);
  }
}

/**
 * An entry whose `link` has glob characters in its directories: one link to the one target
 * in each existing directory that matches (a `*` in `packages/NAME/.editorconfig`), so a
 * directory made later is linked on the next apply. No match is a skip with reason
 * `no-match`, never a directory named `*`. Undefined for a plain link. A skipped entry still
 * lists its links, so switching profiles never prunes them.
 */
async function resolveFanOut(
  entry: ManifestEntry,
  scope: EntryScope,
  linkText: string,
  targetText: string,
  one: (target: string, type: TargetType, link: string) => DesiredLink,
): Promise<Result<DesiredLink[]> | undefined> {
  const { file, base, ctx, at } = scope;
  const fan = parseLinkGlob(entry.link, linkText, file.dir);
  if (fan === undefined) return undefined;
  const refused = (message: string, hint: string) => fail([at(linkRef(entry), message, hint)]);
  if (typeof fan === "string") {
    return refused(fan, "write the name out, as in `packages/*/.editorconfig`");
  }
  if (parseGlob(targetText)) {
    return refused(
      "`link` and `target` cannot both be globs: a link glob links one target into many directories, a target glob many targets into one directory",
      "keep the glob on one side, or write one entry per directory",
    );
  }
  const onlyForTargets = globOnlyKey(
    entry,
    at,
    "since a link glob takes every directory that matches",
  );
  if (onlyForTargets) return onlyForTargets;
  const target = path.resolve(base, targetText);
  const type = await targetTypeOf(ctx.fs, target);
  let directories: GlobMatch[];
  try {
    directories = await expandGlob(ctx.fs, fan.directories, [], ctx.platform, scope.manifests);
  } catch (error) {
    if (error instanceof GlobRefused || error instanceof GlobTooLarge) {
      return refused(error.message, "narrow the pattern: a longer static part, fewer alternatives");
    }
    const where = (error as { path?: string }).path ?? fan.directories.base;
    const code = (error as { code?: string }).code ?? String(error);
    return refused(
      `cannot walk the link glob's directories: ${where}: ${code}`,
      "check the permissions of the directories on the way",
    );
  }
  // A directory holding the target itself would link the target to itself: it is left out.
  const links = directories
    .map((d) => path.join(d.path, fan.name))
    .filter((l) => !samePath(l, target, ctx.platform));
  if (links.length > 0) return ok(links.map((l) => one(target, type, l)));
  const pattern = one(target, type, path.resolve(file.dir, linkText));
  if (pattern.skipped) return ok([pattern]);
  const why = `no directory matches ${path.dirname(linkText)} yet; each one made later gets the link on the next apply`;
  return ok([{ ...pattern, skipped: { reason: "no-match", why } }]);
}

/**
 * A link path with a `.git` segment, resolved the way git resolves it from the directory
 * holding that `.git` (searching upward, so a manifest in a subdirectory reaches the
 * repository's own git directory), with that repository's working tree; `noRepository`
 * when there is none.
 */
async function gitLinkPath(
  fs: FileSystem,
  link: string,
): Promise<{ link: string; workTree?: string; noRepository?: true }> {
  const split = splitAtGit(link);
  if (!split) return { link };
  const repo = await findRepository(fs, split.holder);
  if (!repo) return { link, noRepository: true };
  return { link: gitPath(repo, split.rest), workTree: repo.top };
}

/** What `checkConditions` answers for an entry without `when`. */
const HOLDS = { holds: true } as const;

/** Whether a path may have a `.git` segment (`splitAtGit` would find one). */
function mayHoldGit(link: string): boolean {
  return link.includes(".git");
}

/** Characters that make a link or target more than plain names: a variable, or a glob. */
const NOT_PLAIN = /[$*?[{(]/;

/**
 * A link written `~/` and plain names (no `$`, no glob, no empty, `.` or `..` name), as
 * expandPath then resolvePath give it, in one concatenation with `home` (the home directory
 * where it is absolute, normal and not `/`); undefined for any other text.
 */
function homePath(text: string, home: string | undefined): string | undefined {
  return home !== undefined &&
    text.charCodeAt(0) === TILDE &&
    text.charCodeAt(1) === SLASH &&
    !hasOddName(text) &&
    !NOT_PLAIN.test(text)
    ? flat(home + text.slice(1))
    : undefined;
}

/**
 * A target of plain names (no `$`, `~` or glob), as expandPath then resolvePath give it: an
 * absolute normal path itself, a relative one joined to `baseSlash` (the base and its `/`,
 * where the base is absolute, normal and no glob); undefined for any other text.
 */
function plainTargetPath(text: string, baseSlash: string | undefined): string | undefined {
  if (NOT_PLAIN.test(text)) return undefined;
  const c = text.charCodeAt(0);
  if (c === SLASH) return isNormalAbsolute(text) ? text : undefined;
  return baseSlash !== undefined && c !== TILDE && isPlainRelative(text)
    ? flat(baseSlash + text)
    : undefined;
}

const SLASH = 0x2f;
const TILDE = 0x7e;

/** The paths of a manifest file and every file it includes. */
function manifestFiles(file: ManifestFile): string[] {
  return [file.file, ...file.includes.flatMap(manifestFiles)];
}

/** `path.join`, but a trailing `/` (a directories-only glob) survives. */
function joinKeepingSlash(base: string, relative: string): string {
  const joined = path.join(base, relative);
  return /[/\\]$/.test(relative) && !/[/\\]$/.test(joined) ? joined + path.sep : joined;
}

/** The options of an entry: built-in defaults, then `defaults`, then the entry's own. */
function entryOptions(defaults: Partial<EntryOptions>, own: Partial<EntryOptions>): EntryOptions {
  const options = { ...DEFAULT_OPTIONS, ...defaults, ...own };
  // `relative: true` from defaults does not apply to kinds that have no relative form.
  if (options.kind !== "symlink" && own.relative === undefined) options.relative = false;
  return options;
}

async function targetTypeOf(fs: FileSystem, target: string): Promise<TargetType> {
  const stat = await statIfExists(fs, target).catch(() => undefined);
  if (!stat) return "missing";
  return stat.type === "file" || stat.type === "directory" ? stat.type : "other";
}

/** How many targets in one directory are stat'ed one by one; more, and the directory is listed instead. */
const LIST_AFTER = 8;

/** Names read per target before a listing is given up for a stat of each (a stat costs about as much as reading eight names). */
const LISTED_PER_TARGET = 8;

/**
 * The types of the targets of explicit entries, set once every entry is resolved: a
 * directory holding more than a few of them is listed once (10,000 explicit entries into one
 * package: one readdir instead of 10,000 stats). The listing answers only for a name it holds
 * exactly as a file or a directory; a symlink (to be followed), anything else, or a name it
 * lacks (another spelling on a case-insensitive disk) is stat'ed.
 */
class TargetTypes {
  private readonly wanted: DesiredLink[] = [];

  constructor(private readonly fs: FileSystem) {}

  /** Asks for the type of a link's target, set on it by `settle`. */
  want(link: DesiredLink): void {
    this.wanted.push(link);
  }

  /** Sets the type of every target asked for, directory by directory. */
  async settle(): Promise<void> {
    const byDirectory = new Map<string, DesiredLink[]>();
    // A target in the directory of the one before (most of them: a package's files come
    // together) joins its group without a dirname or a lookup of its own.
    let dir = "";
    let links: DesiredLink[] | undefined;
    for (let i = 0; i < this.wanted.length; i++) {
      const link = this.wanted[i] as DesiredLink;
      if (!(links && isNameIn(link.target, dir))) {
        dir = path.dirname(link.target);
        links = byDirectory.get(dir);
        if (!links) byDirectory.set(dir, (links = []));
      }
      links.push(link);
    }
    for (const [dir, links] of byDirectory) {
      const listing = links.length > LIST_AFTER ? await this.listing(dir, links.length) : undefined;
      for (let i = 0; i < links.length; i++) {
        const link = links[i] as DesiredLink;
        const listed = listing?.get(path.basename(link.target));
        link.targetType =
          listed === "file" || listed === "directory"
            ? listed
            : await targetTypeOf(this.fs, link.target);
      }
    }
  }

  /**
   * A directory's names and their types; undefined when it cannot be read (or is gone), or
   * when it holds more than a few names per target wanted there: each is then stat'ed, as
   * a listing of a large directory for a few targets would cost more than their stats.
   */
  private async listing(
    dir: string,
    wanted: number,
  ): Promise<ReadonlyMap<string, EntryType> | undefined> {
    return namesIn(this.fs, dir, wanted * LISTED_PER_TARGET).catch(() => undefined);
  }
}

/** Whether `p` is one name in `dir` (path.dirname would give `dir`): POSIX paths only. */
function isNameIn(p: string, dir: string): boolean {
  return (
    path.sep === "/" &&
    dir.length > 1 &&
    p.length > dir.length + 1 &&
    p.charCodeAt(dir.length) === 0x2f &&
    p.startsWith(dir) &&
    p.indexOf("/", dir.length + 1) < 0
  );
}

function lookupIn(
  vars: ReadonlyMap<string, string>,
  env: Readonly<Record<string, string | undefined>>,
): Lookup {
  // Own keys only: `${constructor}` must not expand to the function every object inherits.
  return (name) => vars.get(name) ?? (Object.hasOwn(env, name) ? env[name] : undefined);
}

function unsetHint(variable: string | undefined): string | undefined {
  return variable
    ? `set ${variable} in the environment or under \`vars:\`, or give a fallback: \${${variable}:-default}`
    : undefined;
}

/** `exclude` or `rename` on an entry whose target is not a glob: an error at that key. */
function globOnlyKey(
  entry: ManifestEntry,
  at: EntryScope["at"],
  instead: string,
): Result<never> | undefined {
  for (const key of ["exclude", "rename"] as const) {
    if (key === "exclude" ? entry.exclude.length === 0 : !entry.rename) continue;
    return fail([
      at(
        { path: [...entryRef(entry).path, key], key: true },
        `\`${key}\` only applies to a glob target`,
        `remove \`${key}\`, ${instead}`,
      ),
    ]);
  }
  return undefined;
}
