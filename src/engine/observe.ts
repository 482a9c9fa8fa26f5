import path from "node:path";
import type { FileSystem } from "../fs/fileSystem.js";
import { lstatIfExists, namesIn, statIfExists, type EntryType } from "../fs/fileSystem.js";
import { isInside, linkFromReadlink, samePath } from "../platform.js";
import type { DesiredLink } from "../resolve/desiredLink.js";
import type { Found, Observation, TargetInfo } from "./action.js";
import { chainedName, fileDigest } from "./wrapper.js";
import { inRealDirectory, joinName } from "../paths.js";

/** Where a directory really is, whether it exists, and the device of its nearest existing ancestor. */
export interface DirectoryFacts {
  real: string;
  exists: boolean;
  dev: string;
  /** The nearest path on the way that exists but is not a directory. */
  blockedBy?: string;
  /** An existing directory's size as stat gives it: how long a listing of it would be. */
  size?: number;
}

/**
 * Fewer links than this in one directory are looked at one by one: a listing's own cost (the
 * `dir/.` look, opening and reading the directory: ~40 µs, measured) is that of about four
 * lstats, and what fewer links would save is too little to measure.
 */
const LIST_AT_LEAST = 32;

/**
 * A directory is listed only while its size is at most this many bytes per link planned in
 * it (tmpfs counts 20 bytes an entry, ext4 about as many in 4 KB blocks): listing an entry
 * costs about a fifth of a link's lstat (~2 µs against ~10 µs, measured), so a home of
 * 20,000 other files is not listed for 40 links (listing it anyway cost 74 ms).
 */
const LISTED_BYTES_PER_LINK = 64;

/**
 * And a listing stops, unused, past this many names per link: a directory's size does not
 * always tell (an overlayfs directory, as a container's home, reports its upper layer's size
 * alone: 40 links in a home of 100,000 names cost +342 ms listed whole). Reading that many
 * costs about what the links' lstats would again.
 */
const LISTED_ENTRIES_PER_LINK = 8;

/**
 * A name whose absence from a listing means lstat would find nothing there too: not `.`,
 * `..` or empty, no separator or NUL, no surrogate (a lone one is written as U+FFFD, so
 * two texts would meet in one name), and at most 255 bytes however encoded; in a path
 * lstat accepts (under 4,096 bytes). Anything else is left to lstat, with its error.
 */
const EXACT_NAME = /^(?!\.\.?$)[^/\\\0\uD800-\uDFFF]{1,85}$/;

/**
 * Looks at the disk for one desired link without following the link path itself. A
 * `Observer` remembers what it learnt about directories, so many links in one directory
 * resolve its real path once.
 */
export class Observer {
  private readonly directories = new Map<string, Promise<DirectoryFacts>>();
  /** The directories whose lookup has finished, by path: read without awaiting a promise. */
  private readonly settled = new Map<string, DirectoryFacts>();
  /** Directories looked up (and listed where that pays) by `prepare`. */
  private readonly prepared = new Map<string, Promise<void>>();
  /** The names in each directory listed by `prepare`, and what each is. */
  private readonly listings = new Map<string, ReadonlyMap<string, EntryType>>();
  private readonly ancestors = new Map<
    string,
    Promise<"directory" | "into-repository" | "other">
  >();

  constructor(
    private readonly fs: FileSystem,
    private readonly platform: string,
    /** Paths where a symlink is likely: readlink is tried first there. */
    private readonly likelyLinks: { has(path: string): boolean } = new Set<string>(),
    /**
     * Where to look for folded directories: the repository's real path, and the roots (as
     * written) that bound the look upward. Without it nothing is taken for folded.
     */
    private readonly foldable?: {
      repository: { path: string; real: string };
      roots: readonly string[];
    },
  ) {}

  /**
   * What is at the target, and where the link would really be, given what is at the link
   * path (`linkFound` of its text, else `found`). Done without an await in the common case
   * (`settledObservation`); planLinks calls these inline, as an async call per link was a
   * suspended frame per link.
   */
  observe(desired: DesiredLink, found: Found): Observation | Promise<Observation> {
    return this.settledObservation(desired, found) ?? this.observeRest(desired, found);
  }

  /**
   * The common case finished without an await (a link up to date, or nothing there): the
   * target's type known, both directories looked up already, nothing in the way, nothing
   * folded. Else undefined, and observeRest looks further.
   */
  private settledObservation(desired: DesiredLink, found: Found): Observation | undefined {
    if (found.type !== "missing" && found.type !== "symlink" && found.type !== "junction")
      return undefined;
    if (!typeKnown(desired)) return undefined;
    const targetDirPath = path.dirname(desired.target);
    const linkDir = path.dirname(desired.link);
    const targetDir = this.settled.get(targetDirPath);
    const parent = this.settled.get(linkDir);
    if (!targetDir || !parent) return undefined;
    const target = knownTarget(desired, targetDirPath, targetDir);
    const linkReal = inRealDirectory(desired.link, linkDir, parent.real);
    if (samePath(linkReal, target.real, this.platform)) return undefined;
    return observation(found, target, linkReal, parent, false, `${desired.link}.linkman-backup`);
  }

  /** What observe finds where settledObservation cannot tell without a look. */
  private async observeRest(desired: DesiredLink, found: Found): Promise<Observation> {
    const linkDir = path.dirname(desired.link);
    const targetDir = path.dirname(desired.target);
    const known = typeKnown(desired)
      ? knownTarget(
          desired,
          targetDir,
          this.settled.get(targetDir) ?? (await this.directory(targetDir)),
        )
      : await this.target(desired);
    const parent = this.settled.get(linkDir) ?? (await this.directory(linkDir));
    // A file in the way may be the target under a second name: only then is its identity
    // needed for a symlink entry (a stat, where the common case needs none).
    const target =
      found.type === "file" && known.type === "file" && known.dev === "0"
        ? await this.identified(known, desired.target)
        : known;
    const sameBytes =
      desired.kind === "hardlink" &&
      found.type === "file" &&
      target.type === "file" &&
      !(found.dev === target.dev && found.ino === target.ino) &&
      (await this.sameBytes(desired.link, desired.target, found.size));
    // Only where the link path would, through a directory link, be the target itself: that
    // is what Stow's folding leaves (a user's own symlinked ~/.config is left as it is).
    const linkReal = inRealDirectory(desired.link, linkDir, parent.real);
    const folded =
      target.type !== "missing" && samePath(linkReal, target.real, this.platform)
        ? await this.foldedAbove(desired.link, parent.real)
        : undefined;
    if (folded) {
      // Decided as the disk will be once the directory link is a real, empty directory.
      const above = await this.directory(path.dirname(folded));
      return {
        found: { type: "missing" },
        target,
        linkReal: path.join(above.real, path.relative(path.dirname(folded), desired.link)),
        parentExists: path.dirname(desired.link) === folded,
        parentDev: above.dev,
        sameBytes: false,
        freeBackup: `${desired.link}.linkman-backup`,
        folded,
      };
    }
    const inTheWay = found.type === "file" || found.type === "directory" || found.type === "other";
    return observation(
      found,
      target,
      linkReal,
      parent,
      sameBytes,
      inTheWay ? await this.freeBackup(desired.link) : `${desired.link}.linkman-backup`,
      desired.options.onConflict === "chain" &&
        inTheWay &&
        (await this.chainedTaken(desired, found)),
    );
  }

  /** Whether something is at the chained-hook name beside a wrapper, other than a second name of the file at the link path (what a killed run leaves). */
  private async chainedTaken(desired: DesiredLink, found: Found): Promise<boolean> {
    const kept = await lstatIfExists(this.fs, chainedName(desired.link));
    if (!kept) return false;
    return !(
      found.type === "file" &&
      String(kept.dev) === found.dev &&
      String(kept.ino) === found.ino
    );
  }

  /** What is at a path, not following a final symlink; with `digest`, a file's bytes are hashed (a wrapper's path). */
  async found(p: string, digest = false, likely = this.likelyLinks.has(p)): Promise<Found> {
    if (likely) {
      let text: string | undefined;
      try {
        text = await this.fs.readlink(p);
      } catch {
        // Any failure (not a link, nothing there) is found out by lstat below.
      }
      if (text !== undefined) return this.linkFound(text);
    }
    const stat = await lstatIfExists(this.fs, p);
    if (!stat) return { type: "missing" };
    switch (stat.type) {
      case "symlink":
        return this.linkFound(await this.fs.readlink(p));
      case "file": {
        const file: Found = {
          type: "file",
          dev: String(stat.dev),
          ino: String(stat.ino),
          size: stat.size,
          mtimeMs: stat.mtimeMs,
        };
        const hash = digest ? await fileDigest(this.fs, p) : undefined;
        return hash === undefined ? file : { ...file, digest: hash };
      }
      case "directory":
        return { type: "directory" };
      default:
        return { type: "other" };
    }
  }

  /**
   * Gets ready to tell, for the `count` links of a plan in `dir`, whether nothing is there
   * without a call each (`listed`): looks the directory up, and lists it where many links
   * share it. Never fails: where the directory cannot be looked at, each link's own
   * look (`found`) reports why, as without this.
   */
  prepare(dir: string, count: number): Promise<void> {
    let ready = this.prepared.get(dir);
    if (!ready) {
      ready = this.lookUpAndList(dir, count);
      this.prepared.set(dir, ready);
    }
    return ready;
  }

  /**
   * Lists only on Linux, where lstat finds exactly the bytes of a name: elsewhere (darwin's
   * and Windows' case-insensitive, Unicode-normalising filesystems) a name missing from the
   * listing may still be found. A Linux directory that folds case (ext4's casefold, vfat,
   * cifs) does the same: there the plan says create where something is under another case
   * of the name, and apply's symlink(2) or link(2), which never overwrite, fail with EEXIST,
   * which Applier.create reports as a conflict (`… appeared there`): nothing is lost.
   */
  private async lookUpAndList(dir: string, count: number): Promise<void> {
    let facts: DirectoryFacts;
    try {
      facts = await this.directory(dir);
    } catch {
      return;
    }
    if (this.platform !== "linux" || !facts.exists || count < LIST_AT_LEAST) return;
    // A size of 0 is not listed: /proc (like other kernel filesystems that say 0) finds names
    // its listing leaves out (each thread's /proc/TID), so a listing would say nothing is there.
    // A btrfs directory says 0 only while empty, and is then looked at link by link, as before.
    const size = facts.size ?? 0;
    if (size === 0 || size > Math.max(4096, count * LISTED_BYTES_PER_LINK)) return;
    try {
      // Each link's lstat needs search permission in the directory, a listing only read
      // permission: `dir/.` is looked at first, so a directory that cannot be searched
      // leaves each link to its own lstat (and its EACCES).
      if (!(await lstatIfExists(this.fs, `${dir}/.`))) return;
      this.listings.set(dir, await namesIn(this.fs, dir, count * LISTED_ENTRIES_PER_LINK));
    } catch {
      // Unreadable: each link is looked at by itself.
    }
  }

  /**
   * What is known at `link` once `prepare(dirname)` is done: `missing` where nothing can be
   * there (its directory does not exist or is a file, or the directory's listing lacks the
   * name), `symlink` where the listing says a symlink is there (then `found` reads it first,
   * one call instead of two, as for a recorded link), else undefined.
   */
  listed(dir: string, link: string): "missing" | "symlink" | undefined {
    const facts = this.settled.get(dir);
    if (!facts || link.length > 1365) return undefined;
    const name = link.slice(dir.length + (dir.endsWith(path.sep) ? 0 : 1));
    if (!EXACT_NAME.test(name)) return undefined;
    if (!facts.exists) return "missing";
    const type = this.listings.get(dir)?.get(name);
    if (type === "symlink") return type;
    return type === undefined && this.listings.has(dir) ? "missing" : undefined;
  }

  /** What a link whose readlink gave `text` is found to be: a symlink, or on Windows perhaps a junction. */
  linkFound(text: string): Found {
    if (this.platform !== "win32") return { type: "symlink", linkTarget: text };
    const link = linkFromReadlink(text, this.platform);
    return { type: link.type, linkTarget: link.text };
  }

  private async target(desired: DesiredLink): Promise<TargetInfo> {
    const p = desired.target;
    // Resolving the manifest just looked at the target; only a hard link (or an entry whose
    // fallback may have made one) needs its identity.
    const known = desired.targetType === "file" || desired.targetType === "directory";
    const identity = desired.kind === "hardlink" || desired.options.fallback === "auto";
    const stat = known && !identity ? undefined : await statIfExists(this.fs, p);
    if (!known && !stat) return { type: "missing" };
    const type = known
      ? desired.targetType
      : stat?.type === "file" || stat?.type === "directory"
        ? stat.type
        : "other";
    if (type === "missing") return { type: "missing" };
    // Where the target's directory entry really is: its directory's real path (resolved once
    // per directory), plus its name. That is what a link path is compared with.
    const dir = await this.directory(path.dirname(p));
    return {
      type,
      dev: String(stat?.dev ?? 0n),
      ino: String(stat?.ino ?? 0n),
      nlink: stat?.nlink ?? 1,
      real: joinName(dir.real, path.basename(p)),
      // A hard link is made to the file itself: link(2) would copy a symlink, not follow it.
      resolved: desired.kind === "hardlink" ? await this.fs.realpath(p) : p,
    };
  }

  private async identified(
    known: Extract<TargetInfo, { dev: string }>,
    p: string,
  ): Promise<TargetInfo> {
    const stat = await statIfExists(this.fs, p);
    return stat
      ? { ...known, dev: String(stat.dev), ino: String(stat.ino), nlink: stat.nlink }
      : known;
  }

  /**
   * The directory link above `link` that leads into the repository (Stow folds a package's
   * directory into one such link), or undefined. Only where the link's directory really lies
   * in the repository though its path does not; the outermost link on the way below a root
   * is the one, and a link that leads elsewhere means nothing is folded.
   */
  private async foldedAbove(link: string, parentReal: string): Promise<string | undefined> {
    if (!this.foldable) return undefined;
    const { repository, roots } = this.foldable;
    const dir = path.dirname(link);
    const within = (p: string, d: string) =>
      samePath(p, d, this.platform) || isInside(p, d, this.platform);
    if (!within(parentReal, repository.real) || within(dir, repository.path)) return undefined;
    const root = roots
      .filter((r) => isInside(dir, r, this.platform))
      .sort((a, b) => b.length - a.length)[0];
    if (!root) return undefined;
    const steps = path.relative(root, dir).split(path.sep);
    let at = root;
    for (const step of steps) {
      at = path.join(at, step);
      const kind = await this.ancestorKind(at);
      if (kind === "into-repository") return at;
      if (kind !== "directory") return undefined;
    }
    return undefined;
  }

  private ancestorKind(dir: string): Promise<"directory" | "into-repository" | "other"> {
    let kind = this.ancestors.get(dir);
    if (!kind) {
      kind = this.lookUpAncestor(dir);
      this.ancestors.set(dir, kind);
    }
    return kind;
  }

  private async lookUpAncestor(dir: string): Promise<"directory" | "into-repository" | "other"> {
    const stat = await lstatIfExists(this.fs, dir);
    if (stat?.type === "directory") return "directory";
    if (stat?.type !== "symlink" || !this.foldable) return "other";
    const real = await this.fs.realpath(dir).catch(() => undefined);
    const repository = this.foldable.repository;
    return real !== undefined && isInside(real, repository.real, this.platform)
      ? "into-repository"
      : "other";
  }

  /** The real path of a directory that may not exist yet (its nearest existing ancestor's, plus the rest), and that ancestor's device. */
  directory(dir: string): Promise<DirectoryFacts> {
    let facts = this.directories.get(dir);
    if (!facts) {
      facts = this.lookUpDirectory(dir).then((found) => {
        this.settled.set(dir, found);
        return found;
      });
      this.directories.set(dir, facts);
    }
    return facts;
  }

  private async lookUpDirectory(dir: string): Promise<DirectoryFacts> {
    // Not a `stat` that throws: a fresh apply asks about many directories not made yet, and
    // each error thrown captured a stack.
    const stat = await statIfExists(this.fs, dir);
    if (stat?.type === "directory") {
      const real = await this.fs.realpath(dir);
      return { real, exists: true, dev: String(stat.dev), size: stat.size };
    }
    let blockedBy = stat ? dir : undefined;
    const parent = path.dirname(dir);
    if (parent === dir) return { real: dir, exists: false, dev: "0" };
    const above = await this.directory(parent);
    blockedBy ??= above.blockedBy;
    return {
      real: joinName(above.real, path.basename(dir)),
      exists: false,
      dev: above.dev,
      ...(blockedBy ? { blockedBy } : {}),
    };
  }

  private async sameBytes(a: string, b: string, size: number): Promise<boolean> {
    const other = await statIfExists(this.fs, b);
    if (!other || other.size !== size) return false;
    const [x, y] = await Promise.all([this.fs.readFile(a, size), this.fs.readFile(b, size)]);
    return Buffer.compare(x, y) === 0;
  }

  /** The first of `LINK.linkman-backup`, `LINK.linkman-backup-2`, … that does not exist. */
  async freeBackup(link: string): Promise<string> {
    for (let n = 1; ; n++) {
      const candidate = n === 1 ? `${link}.linkman-backup` : `${link}.linkman-backup-${n}`;
      if (!(await lstatIfExists(this.fs, candidate))) return candidate;
    }
  }
}

/** Whether resolving told the target's type and no identity is needed (no hard link can come of the entry): then no call is made for the target. */
function typeKnown(desired: DesiredLink): boolean {
  const type = desired.targetType;
  if (type !== "file" && type !== "directory") return false;
  return desired.kind !== "hardlink" && desired.options.fallback !== "auto";
}

/** The facts of a target whose type is known (`typeKnown`), from its directory's (`dir`, at `dirPath`): no call. */
function knownTarget(
  desired: DesiredLink,
  dirPath: string,
  dir: DirectoryFacts,
): Extract<TargetInfo, { real: string }> {
  const type = desired.targetType as "file" | "directory";
  const real = inRealDirectory(desired.target, dirPath, dir.real);
  return { type, dev: "0", ino: "0", nlink: 1, real, resolved: desired.target };
}

/**
 * What was found at a link path in `parent`, not folded: one literal of one shape, blockedBy
 * undefined when nothing blocks (a spread in the middle made an empty object and copied field
 * by field into a growing store, for every link).
 */
function observation(
  found: Found,
  target: TargetInfo,
  linkReal: string,
  parent: DirectoryFacts,
  sameBytes: boolean,
  freeBackup: string,
  chainedTaken = false,
): Observation {
  return {
    found,
    target,
    linkReal,
    parentExists: parent.exists,
    blockedBy: parent.blockedBy,
    parentDev: parent.dev,
    sameBytes,
    freeBackup,
    chainedTaken,
  };
}
