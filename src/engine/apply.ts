import path from "node:path";
import { directoryAfterAll, ensureDirectoryBelow, levelsBelow } from "../fs/ensureDirectory.js";
import type { FileSystem } from "../fs/fileSystem.js";
import { errorCode, lstatIfExists, statIfExists } from "../fs/fileSystem.js";
import type { Action, ActionOf, ActionResult, AppliedAction, MakeAction, Plan } from "./action.js";
import { changesDisk, describeFound, isBlocked, sameFound } from "./action.js";
import { isInside, renameCannotReplace, samePath } from "../platform.js";
import { describeFailure } from "./failure.js";
import { Observer } from "./observe.js";
import { removeLink } from "./removeLink.js";
import {
  checkInsideRoots,
  OutsideRoots,
  reachedAsWritten,
  realInsideRoots,
  type Root,
} from "./roots.js";
import { runToken, temporaryName } from "./temporaries.js";
import { adoptOne } from "./adopt.js";
import { ChangedSincePlan } from "./changedSincePlan.js";
import { fileDigest } from "./wrapper.js";

/** The outcome of `applyPlan`. */
export interface ApplyResult {
  manifest: string;
  /** True when nothing was applied because the plan holds a conflict or an error. */
  refused: boolean;
  actions: AppliedAction[];
  /** How many actions failed while applying. */
  failed: number;
  /** Directories created for links (mkdirs), outermost first. */
  createdDirectories: string[];
}

/** What applying needs: a filesystem that writes, and the run's choices. */
export interface ApplyContext {
  fs: FileSystem;
  platform: string;
  /** `--skip-conflicts`: apply the rest of a plan that holds conflicts or errors. */
  skipConflicts?: boolean;
  /**
   * The directories links may be made under. Every write is preceded by a check, made
   * right then and never cached, that the directory it goes into still really lies inside
   * one of them, so a directory swapped for a symlink since the plan cannot lead a write
   * elsewhere.
   */
  roots: readonly Root[];
  /** Called after each action with how many are done, for a progress indicator. */
  onProgress?: (done: number, total: number) => void;
  /**
   * Names this run's temporaries (default: a new random one). Record it before applying,
   * and a run that is killed can have its leftovers swept by the next (`sweepTemporaries`).
   */
  token?: string;
}

// Copied into each action with Object.assign: V8 (Node 20) clones objects of many shapes by
// spread on a slow path, measured at 10,000 actions as most of a no-op's report.
const unchanged: ActionResult = {
  result: "unchanged",
  error: null,
  movedTo: null,
  fallback: null,
  identity: null,
};
/** The result of most actions done: one object, copied into each action like `unchanged`. */
const doneResult: ActionResult = { ...unchanged, result: "done" };

/**
 * An action with the result `unchanged`. A skip, a conflict or an error (act.skip's fields, in
 * its order) is written out as one literal: a no-op copies one per link, and Object.assign
 * grew each copy's property store field by field (10,000 links: 4.4 MB allocated).
 */
function unchangedCopy(a: Action): AppliedAction {
  if (a.op !== "skip" && a.op !== "conflict" && a.op !== "error") {
    return Object.assign({}, a, unchanged);
  }
  return {
    op: a.op,
    rule: a.rule,
    kind: a.kind,
    link: a.link,
    target: a.target,
    found: a.found,
    options: a.options,
    place: a.place,
    reason: a.reason,
    backup: a.backup,
    message: a.message,
    hint: a.hint,
    result: "unchanged",
    error: null,
    movedTo: null,
    fallback: null,
    identity: null,
  } as AppliedAction;
}

/**
 * A create done, with nothing to note: act.create's fields in its order, then the result's,
 * as one literal (Object.assign grew each of 10,000 copies' property store field by field).
 */
function doneCopy(a: ActionOf<"create">): AppliedAction {
  return {
    op: a.op,
    rule: a.rule,
    kind: a.kind,
    link: a.link,
    target: a.target,
    found: a.found,
    options: a.options,
    place: a.place,
    reason: a.reason,
    backup: a.backup,
    message: a.message,
    hint: a.hint,
    recipe: a.recipe,
    result: "done",
    error: null,
    movedTo: null,
    fallback: null,
    identity: null,
  };
}

/**
 * Carries out a plan's create, replace and remove actions, in order. A plan with a
 * conflict or an error is refused whole unless `skipConflicts`. A failing operation is
 * recorded with its path and cause and the rest go on; running the same plan again
 * converges.
 */
export async function applyPlan(plan: Plan, ctx: ApplyContext): Promise<ApplyResult> {
  if (isBlocked(plan) && !ctx.skipConflicts) return refusedResult(plan);
  const applier = new Applier(ctx, path.dirname(plan.manifest));
  const actions: AppliedAction[] = [];
  let failed = 0;
  for (let i = 0; i < plan.actions.length; i++) {
    const action = plan.actions[i]!;
    ctx.onProgress?.(actions.length, plan.actions.length);
    if (!changesDisk(action)) {
      actions.push(unchangedCopy(action));
      continue;
    }
    try {
      if (action.op === "create" && action.kind !== "wrapper") {
        const result = await applier.create(action);
        actions.push(result === doneResult ? doneCopy(action) : Object.assign({}, action, result));
      } else actions.push(Object.assign({}, action, await applier.perform(action)));
    } catch (error) {
      failed++;
      if (error instanceof ChangedSincePlan || error instanceof OutsideRoots) {
        actions.push({ ...action, ...unchanged, result: "conflict", error: error.message });
        continue;
      }
      const failure = describeFailure(error, action, ctx.platform);
      actions.push({
        ...action,
        ...unchanged,
        result: "failed",
        error: failure.error,
        hint: failure.hint ?? action.hint,
      });
    }
  }
  ctx.onProgress?.(actions.length, plan.actions.length);
  return {
    manifest: plan.manifest,
    refused: false,
    actions,
    failed,
    createdDirectories: applier.createdDirectories,
  };
}

/** The result of a plan that was not applied because it holds a conflict or an error: nothing changed. */
export function refusedResult(plan: Plan): ApplyResult {
  return {
    manifest: plan.manifest,
    refused: true,
    actions: plan.actions.map(unchangedCopy),
    failed: 0,
    createdDirectories: [],
  };
}

/**
 * `refusedResult` with `refused: false`, for a plan made for this one run and not used after
 * (a session's no-op): its actions are given the result `unchanged` in place, in the same
 * field order a copy has, rather than copied. At 10,000 links the copies were 1.6 MB that
 * lived to the report (~330 page faults a run).
 */
export function unchangedResult(plan: Plan): ApplyResult {
  const actions = plan.actions as AppliedAction[];
  for (let i = 0; i < actions.length; i++) Object.assign(actions[i]!, unchanged);
  return {
    manifest: plan.manifest,
    refused: false,
    actions,
    failed: 0,
    createdDirectories: [],
  };
}

/** Carries out single actions, remembering which directories exist and which it made. */
class Applier {
  /** Directories this run made or found (each still resolved right before a write into it). */
  private readonly directories = new Set<string>();
  /** Directories this run made. */
  private readonly made = new Set<string>();
  private readonly observer: Observer;
  private readonly token: string;
  readonly createdDirectories: string[] = [];

  constructor(
    private readonly ctx: ApplyContext,
    /** The manifest's directory: only a directory link into it is ever unfolded. */
    private readonly repository: string,
  ) {
    this.observer = new Observer(ctx.fs, ctx.platform);
    this.token = ctx.token ?? runToken();
  }

  /**
   * Makes a link where the plan found nothing (not a wrapper): most of a fresh apply, so where
   * its directory is known it awaits only its realpath and its link (an await allocates ~270
   * bytes: perform's way took five a link, and a call to `reach` each cost 10,000 links ~20 ms).
   */
  async create(action: ActionOf<"create">): Promise<ActionResult> {
    const { fs, platform, roots } = this.ctx;
    const dir = path.dirname(action.link);
    // Right before the write, uncached: the directory still lies in the roots, resolved at once
    // where the plan found something in it or this run made or found it; else `reach`.
    let real: string | undefined;
    if (action.found.type !== "missing" || this.directories.has(dir)) {
      try {
        real = await fs.realpath(dir);
      } catch {
        // Missing after all (or not a directory): looked at by reach.
      }
    }
    if (real === undefined) await this.reach(dir, action.options.mkdirs);
    else realInsideRoots(dir, dir, real, roots, platform);
    let fallback: ActionResult["fallback"];
    try {
      fallback = (await this.makeLink(action, action.link)) ?? null;
    } catch (error) {
      // symlink(2) and link(2) never overwrite: something appeared there since the plan.
      const now = errorCode(error) === "EEXIST" && (await this.observer.found(action.link));
      if (now && now.type !== "missing") {
        throw new ChangedSincePlan(action.link, `${describeFound(now)} appeared there`);
      }
      throw error;
    }
    return this.done(action, fallback);
  }

  /**
   * Right before a write into `dir`, uncached (SPEC rule 8): the nearest existing directory on
   * its way is resolved and must lie in the roots; with `make`, each missing level below it is
   * made, then resolved and checked before anything is made in it. `dir` itself is looked at by
   * stat (callers resolve it first where it likely exists), and so is the way up (a realpath
   * that fails costs an exception), except where this run knows better: a directory it made or
   * found is resolved at once (that is the look; gone since, it is looked at by stat), and a
   * level inside a directory it made is taken as missing (an mkdir finding it made meanwhile
   * says EEXIST).
   * One loop: each async step more allocates ~0.5 KB, and a fresh apply into new directories
   * took 21 of them a link.
   */
  private async reach(dir: string, make: boolean): Promise<void> {
    const { fs, roots, platform } = this.ctx;
    const missing: string[] = [];
    let existing = dir;
    let real: string | undefined;
    for (;;) {
      if (existing !== dir && this.directories.has(existing)) {
        try {
          real = await fs.realpath(existing);
          break;
        } catch {
          // Gone since, or not a directory: looked at below.
        }
      }
      const parent = path.dirname(existing);
      if (parent === existing) break;
      if (!this.made.has(parent) && (await statIfExists(fs, existing))?.type === "directory") break;
      missing.push(existing);
      existing = parent;
    }
    real ??= await fs.realpath(existing);
    realInsideRoots(dir, existing, real, roots, platform);
    this.directories.add(existing);
    if (make && missing.length > 0) await this.makeLevels(missing);
  }

  /**
   * Makes `levels` (each the parent of the one before it; the last one's parent exists and was
   * just checked), outermost first, each checked in the roots before anything is made in it.
   */
  private async makeLevels(levels: readonly string[]): Promise<void> {
    const { fs, roots, platform } = this.ctx;
    for (let i = levels.length - 1; i >= 0; i--) {
      const level = levels[i] as string;
      let made = false;
      try {
        await fs.mkdir(level);
        this.made.add(level);
        made = true;
      } catch (error) {
        await directoryAfterAll(fs, level, error);
      }
      const real = await fs.realpath(level);
      // Recorded (so unlink and prune may remove it) only where it lies as written: made
      // through a symlink, its path may later lead to a directory linkman did not make.
      if (made && reachedAsWritten(level, real, roots, platform))
        this.createdDirectories.push(level);
      // Another process may swap a level just made for a symlink out of the roots.
      realInsideRoots(level, level, real, roots, platform);
      this.directories.add(level);
    }
  }

  async perform(
    action: ActionOf<"create" | "replace" | "adopt" | "mkdir" | "remove" | "unfold">,
  ): Promise<ActionResult> {
    if (action.op === "create" && action.kind !== "wrapper") return this.create(action);
    const { fs, platform, roots } = this.ctx;
    const dir = path.dirname(action.link);
    // Right before the write, uncached: the directory still lies in the roots, and the
    // path still holds what the plan saw there. Where nothing was found at the link path,
    // its directory may be missing too, unless this run made or found it already.
    const likely = action.found.type !== "missing" || this.directories.has(dir);
    const existing = await checkInsideRoots(fs, dir, roots, platform, likely);
    if (existing === dir) this.directories.add(dir);
    if (
      action.op === "remove" &&
      action.rule === "dead-link" &&
      (await statIfExists(fs, action.link))
    ) {
      throw new ChangedSincePlan(action.link, "its target appeared, so the link is alive again");
    }
    if (action.op === "remove") return this.remove(action);
    if (action.op === "unfold") return this.unfold(action);
    if (action.op === "mkdir") {
      await this.expectUnchanged(action);
      await this.ensureDirectory(action.link);
      return doneResult;
    }
    if (action.op === "adopt") {
      const targetDir = path.dirname(action.target);
      const found = await checkInsideRoots(fs, targetDir, roots, platform);
      await this.expectUnchanged(action);
      // The target's missing directories, each checked as made (see ensureDirectory).
      await ensureDirectoryBelow(fs, found, targetDir, (d) =>
        checkInsideRoots(fs, d, roots, platform),
      );
      await adoptOne(fs, action, this.token);
      return this.done(action, null);
    }
    if (action.options.mkdirs && !this.directories.has(dir))
      await this.ensureDirectory(dir, existing);
    if (action.op === "create" && action.kind === "wrapper") {
      // Written beside, then renamed into place: a killed run leaves a whole wrapper or none.
      const temporary = temporaryName(action.link, this.token);
      await this.makeLink(action, temporary);
      try {
        await this.expectUnchanged(action);
        await this.ctx.fs.rename(temporary, action.link);
      } catch (error) {
        await this.ctx.fs.unlink(temporary).catch(() => undefined);
        throw error;
      }
      return this.done(action, null);
    }

    // Replace: the new link is made beside the old thing under a temporary name, then
    // renamed over it, so the path always holds either the old thing or the new link.
    const temporary = temporaryName(action.link, this.token);
    const fallback = (await this.makeLink(action, temporary)) ?? null;
    try {
      if (!action.backup) {
        await this.expectUnchanged(action);
        await this.renameOver(temporary, action.link);
        return this.done(action, fallback);
      }
      const movedTo = await this.swapWithBackup(action, temporary, action.backup);
      return this.done(action, fallback, movedTo);
    } catch (error) {
      await this.removeLink(temporary).catch(() => undefined);
      throw error;
    }
  }

  /** Throws ChangedSincePlan unless a wrapper's path holds, byte for byte, what the plan found. */
  private async expectSameBytes(action: Action): Promise<void> {
    const found = action.found;
    if (found.type !== "file" || found.digest === undefined) return;
    if ((await fileDigest(this.ctx.fs, action.link)) !== found.digest)
      throw new ChangedSincePlan(action.link, "the file there was edited since the plan");
  }

  /** Throws ChangedSincePlan unless the path holds exactly what the plan found (link text, or file identity, size and time). */
  private async expectUnchanged(action: Action): Promise<void> {
    const now = await this.observer.found(action.link, action.kind === "wrapper");
    if (!sameFound(now, action.found)) {
      throw new ChangedSincePlan(
        action.link,
        `the plan found ${describeFound(action.found, { detail: true })} there, but now there is ${describeFound(now, { detail: true })}`,
      );
    }
  }

  /**
   * Renames the new link over the old one: atomic on POSIX. Windows cannot rename over a
   * directory symlink or a junction, so there the old link is renamed aside first, the new
   * one put in its place, and the old one removed; if the new one cannot be put in place,
   * the old one is renamed back.
   */
  private async renameOver(temporary: string, link: string): Promise<void> {
    const { fs, platform } = this.ctx;
    try {
      await fs.rename(temporary, link);
      await this.dropSecondName(temporary, link);
      return;
    } catch (error) {
      if (!renameCannotReplace(platform, errorCode(error))) throw error;
    }
    const aside = temporaryName(link, this.token, "old");
    await fs.rename(link, aside);
    try {
      await fs.rename(temporary, link);
    } catch (error) {
      await fs.rename(aside, link).catch(() => undefined);
      throw error;
    }
    await this.removeLink(aside).catch(() => undefined); // only a stray link could be left
  }

  /**
   * rename(2) between two names of one file succeeds and changes nothing: both names stay.
   * The temporary is then only a second name of the file at the link path, and goes.
   */
  private async dropSecondName(temporary: string, link: string): Promise<void> {
    const left = await lstatIfExists(this.ctx.fs, temporary);
    if (!left) return;
    const atLink = await this.ctx.fs.lstat(link);
    if (left.dev === atLink.dev && left.ino === atLink.ino) await this.ctx.fs.unlink(temporary);
  }

  private removeLink(p: string): Promise<void> {
    return removeLink(this.ctx.fs, this.ctx.platform, p);
  }

  private done(
    action: Action,
    fallback: ActionResult["fallback"],
    movedTo: string | null = null,
  ): ActionResult | Promise<ActionResult> {
    const hardLink = action.kind === "hardlink" || fallback === "hardlink";
    // Most creates: no fallback, nothing to note, so no promise to wait for (10,000 of them).
    if (!hardLink && fallback === null && movedTo === null) return doneResult;
    const result: ActionResult = { ...unchanged, result: "done", fallback, movedTo };
    return hardLink
      ? this.identity(action.link).then((identity) => ({ ...result, identity }))
      : result;
  }

  /**
   * Moves what is in the way to a backup and puts the new link in its place. A file gets
   * a second name first (a hard link never overwrites), so it is never without a name;
   * a directory is renamed aside, and renamed back if the link cannot take its place.
   */
  private async swapWithBackup(
    action: MakeAction,
    temporary: string,
    planned: string,
  ): Promise<string> {
    const { fs } = this.ctx;
    await this.expectUnchanged(action);
    if (action.found.type !== "directory") {
      const backup = await this.linkToFreeName(action.link, planned, action.rule === "chain");
      if (backup) {
        // The backup must name the very file the link path holds, right before the rename;
        // if it does not, the backup may be the only name left of what was there: it stays.
        const [atLink, atBackup] = await Promise.all([fs.lstat(action.link), fs.lstat(backup)]);
        if (atLink.dev !== atBackup.dev || atLink.ino !== atBackup.ino) {
          throw new ChangedSincePlan(
            action.link,
            `the file there was replaced (the one that was there is kept at ${backup})`,
          );
        }
        try {
          await fs.rename(temporary, action.link);
        } catch (error) {
          // Drop the backup name only while the file still has its own.
          const still = await lstatIfExists(fs, action.link).catch(() => undefined);
          if (still && still.dev === atBackup.dev && still.ino === atBackup.ino)
            await fs.unlink(backup).catch(() => undefined);
          throw error;
        }
        return backup;
      }
    }
    const backup = await this.freeName(action.link, planned);
    if (action.rule === "chain" && backup !== planned)
      throw new ChangedSincePlan(action.link, `${planned} appeared there`);
    await fs.rename(action.link, backup);
    try {
      await fs.rename(temporary, action.link);
    } catch (error) {
      await fs.rename(backup, action.link).catch(() => undefined);
      throw error;
    }
    return backup;
  }

  /** Gives the file at `link` a second name, the first free backup name; undefined where hard links are not supported. */
  private async linkToFreeName(
    link: string,
    planned: string,
    chained = false,
  ): Promise<string | undefined> {
    for (let attempt = 0; attempt < 100; attempt++) {
      const name = attempt === 0 ? planned : await this.observer.freeBackup(link);
      try {
        await this.ctx.fs.link(link, name);
        return name;
      } catch (error) {
        const code = errorCode(error);
        // A chained hook is run by that name only: no other name will do.
        if (code === "EEXIST" && chained) {
          const [atLink, atName] = await Promise.all([
            this.ctx.fs.lstat(link),
            this.ctx.fs.lstat(name),
          ]);
          if (atLink.dev === atName.dev && atLink.ino === atName.ino) return name; // a killed run's
          throw new ChangedSincePlan(link, `${name} appeared there`);
        }
        if (code === "EEXIST") continue;
        if (code === "EPERM" || code === "ENOTSUP" || code === "EOPNOTSUPP" || code === "EMLINK") {
          return undefined;
        }
        throw error;
      }
    }
    throw Object.assign(new Error(`no free backup name beside ${link}`), {
      code: "EEXIST",
      path: link,
    });
  }

  private async freeName(link: string, planned: string): Promise<string> {
    return (await lstatIfExists(this.ctx.fs, planned)) ? this.observer.freeBackup(link) : planned;
  }

  /**
   * Makes the link at `at`; with `fallback: auto`, a junction or hard link where a symlink is
   * refused (the kind made instead is returned). Without a fallback, the call's own promise is
   * returned, not awaited here: one await less per link.
   */
  private makeLink(action: MakeAction, at: string): Promise<ActionResult["fallback"] | void> {
    const { fs } = this.ctx;
    const recipe = action.recipe;
    if (action.kind === "wrapper") return fs.writeNewFile(at, recipe.text, 0o755);
    if (action.kind === "hardlink") return fs.link(recipe.text, at);
    const made = fs.symlink(recipe.text, at, recipe.type ?? "file");
    return action.kind === "symlink" && action.options.fallback === "auto"
      ? made.catch((error: unknown) => this.fallBack(action, at, error))
      : made;
  }

  /** Where a symlink was refused (EPERM: Windows without the privilege), a junction for a directory, a hard link for a file. */
  private async fallBack(
    action: MakeAction,
    at: string,
    error: unknown,
  ): Promise<ActionResult["fallback"]> {
    if (errorCode(error) !== "EPERM") throw error;
    if (action.recipe.type === "dir") {
      await this.ctx.fs.symlink(action.target, at, "junction");
      return "junction";
    }
    await this.ctx.fs.link(action.target, at);
    return "hardlink";
  }

  /**
   * Removes a link linkman made, if it is still exactly what the plan found (a hard link
   * only while its target is another name of the same file: the last name of a file is
   * never removed), then puts back what the plan asks for: the backup, or the earlier link.
   */
  private async remove(action: ActionOf<"remove">): Promise<ActionResult> {
    const { fs } = this.ctx;
    await this.expectUnchanged(action);
    if (action.kind === "hardlink" && action.found.type !== "missing")
      await this.expectAnotherName(action);
    const restore = action.restore;
    if (action.found.type === "file" && action.kind !== "hardlink") {
      // What is at the link path is the backup, already put back under its old name (a run
      // killed before the backup name went): only that second name is dropped.
      const [atLink, atBackup] = await Promise.all([
        fs.lstat(action.link),
        restore?.backup ? lstatIfExists(fs, restore.backup) : undefined,
      ]);
      const putBack =
        restore?.backup && atBackup?.dev === atLink.dev && atBackup.ino === atLink.ino;
      if (putBack) {
        await fs.unlink(restore.backup as string);
        return { ...unchanged, result: "done", movedTo: restore.backup };
      }
      // A wrapper is the one file linkman removes: only while it holds the bytes it wrote.
      if (action.kind !== "wrapper") throw new ChangedSincePlan(action.link, "a file is there");
      await this.expectSameBytes(action);
    }
    if (action.found.type !== "missing") await this.removeLink(action.link);
    if (restore?.backup) {
      await this.putBack(restore.backup, action.link);
    } else if (restore?.previous) {
      const resolved = path.resolve(path.dirname(action.link), restore.previous);
      const type = (await statIfExists(fs, resolved))?.type === "directory" ? "dir" : "file";
      await fs.symlink(restore.previous, action.link, type);
    }
    return { ...unchanged, result: "done", movedTo: restore?.backup ?? null };
  }

  /**
   * Replaces a directory link into the repository (Stow folding) by a real, empty directory,
   * for the links below it that come next in the plan. Only a link is replaced, only while
   * it is still the one the plan saw and still leads into the repository; it is renamed
   * aside (never lost) until the directory exists, and put back if that cannot be made.
   */
  private async unfold(action: ActionOf<"unfold">): Promise<ActionResult> {
    const { fs, platform } = this.ctx;
    await this.expectUnchanged(action);
    const [leadsTo, repository] = await Promise.all([
      fs.realpath(action.link),
      fs.realpath(this.repository),
    ]);
    if (!isInside(leadsTo, repository, platform) && !samePath(leadsTo, repository, platform)) {
      throw new ChangedSincePlan(action.link, `it now leads to ${leadsTo}, outside the repository`);
    }
    const aside = temporaryName(action.link, this.token, "old");
    await fs.rename(action.link, aside);
    try {
      await fs.mkdir(action.link);
    } catch (error) {
      await fs.rename(aside, action.link).catch(() => undefined);
      throw error;
    }
    this.createdDirectories.push(action.link);
    this.directories.add(action.link);
    await this.removeLink(aside).catch(() => undefined); // only a stray link could be left
    return this.done(action, null);
  }

  /**
   * Puts a backup back at the link path, never over anything that appeared there: a file
   * gets its old name back as a second name first (link(2) never overwrites), then loses
   * the backup name; a directory is renamed (which fails on anything but an empty one).
   */
  private async putBack(backup: string, link: string): Promise<void> {
    const { fs } = this.ctx;
    const stat = await fs.lstat(backup);
    if (stat.type === "directory") return fs.rename(backup, link);
    try {
      await fs.link(backup, link);
    } catch (error) {
      const code = errorCode(error);
      if (code === "EEXIST") throw new ChangedSincePlan(link, "something appeared there");
      if (code !== "EPERM" && code !== "ENOTSUP" && code !== "EOPNOTSUPP") throw error;
      // No hard links here: look, then rename (the window is the one between the two).
      if (await lstatIfExists(fs, link))
        throw new ChangedSincePlan(link, "something appeared there");
      return fs.rename(backup, link);
    }
    await fs.unlink(backup);
  }

  /** Throws ChangedSincePlan unless the hard link's target is, right now, another name of the file at the link path. */
  private async expectAnotherName(action: Action): Promise<void> {
    const { fs, platform } = this.ctx;
    const [atLink, atTarget] = await Promise.all([
      fs.lstat(action.link),
      statIfExists(fs, action.target),
    ]);
    const another =
      atTarget !== undefined &&
      atTarget.dev === atLink.dev &&
      atTarget.ino === atLink.ino &&
      atTarget.nlink >= 2 &&
      !samePath(await fs.realpath(action.link), await fs.realpath(action.target), platform);
    if (!another) {
      throw new ChangedSincePlan(
        action.link,
        "the target is no longer another name of this file (removing it could lose its data)",
      );
    }
  }

  private async identity(link: string): Promise<ActionResult["identity"]> {
    const stat = await this.ctx.fs.lstat(link);
    return { dev: String(stat.dev), ino: String(stat.ino) };
  }

  /**
   * Creates a directory and its missing parents, remembering what exists and what it made;
   * below `existing`, a directory on the way just found to exist and checked, without looking first.
   */
  private async ensureDirectory(dir: string, existing?: string): Promise<void> {
    if (this.directories.has(dir)) return;
    if (existing === undefined) return this.reach(dir, true);
    await this.makeLevels(levelsBelow(existing, dir));
  }
}
