import path from "node:path";
import { ensureDirectory, nearestExistingDirectory } from "../fs/ensureDirectory.js";
import type { FileSystem } from "../fs/fileSystem.js";
import { errorCode, lstatIfExists, statIfExists } from "../fs/fileSystem.js";
import type { Action, Found, Plan } from "./action.js";
import { isBlocked } from "./action.js";
import type { Root } from "./decide.js";
import { isInside, renameCannotReplace, samePath } from "../platform.js";
import { describeFailure } from "./failure.js";
import { Observer } from "./observe.js";
import { removeLink } from "./removeLink.js";
import { runToken, temporaryName } from "./temporaries.js";
import { adoptOne } from "./adopt.js";

/** What happened to one action when the plan was applied. */
export interface ActionResult {
  result: "done" | "failed" | "unchanged";
  /** For a failure: the path and the cause. */
  error: string | null;
  /** For a failure: what to do about it. */
  hint: string | null;
  /** Where what was in the way was really moved (it may differ from the plan's if that name got taken). */
  movedTo: string | null;
  /** With `fallback: auto`: the kind made instead of a refused symlink. */
  fallback: "junction" | "hardlink" | null;
  /** For a hard link made: the file's device and inode, so it can be recognised later. */
  identity: { dev: string; ino: string } | null;
}

/** An action of the plan with what happened to it. */
export type AppliedAction = Action & ActionResult;

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
   * The directories links may be made under. When given, every write is preceded by a
   * check that the directory it goes into still really lies inside one of them, so a
   * directory swapped for a symlink since the plan cannot lead a write elsewhere.
   */
  roots?: readonly Root[];
  /** Called after each action with how many are done, for a progress indicator. */
  onProgress?: (done: number, total: number) => void;
  /**
   * Names this run's temporaries (default: a new random one). Record it before applying,
   * and a run that is killed can have its leftovers swept by the next (`sweepTemporaries`).
   */
  token?: string;
}

const unchanged: ActionResult = {
  result: "unchanged",
  error: null,
  hint: null,
  movedTo: null,
  fallback: null,
  identity: null,
};

/**
 * Carries out a plan's create, replace and remove actions, in order. A plan with a
 * conflict or an error is refused whole unless `skipConflicts`. A failing operation is
 * recorded with its path and cause and the rest go on; running the same plan again
 * converges.
 */
export async function applyPlan(plan: Plan, ctx: ApplyContext): Promise<ApplyResult> {
  if (isBlocked(plan) && !ctx.skipConflicts) return refusedResult(plan);
  const applier = new Applier(ctx);
  const actions: AppliedAction[] = [];
  for (const action of plan.actions) {
    ctx.onProgress?.(actions.length, plan.actions.length);
    if (action.op !== "create" && action.op !== "replace" && action.op !== "remove") {
      actions.push({ ...action, ...unchanged });
      continue;
    }
    try {
      actions.push({ ...action, ...(await applier.perform(action)) });
    } catch (error) {
      const failure = describeFailure(error, action, ctx.platform);
      actions.push({ ...action, ...unchanged, result: "failed", ...failure });
    }
  }
  ctx.onProgress?.(actions.length, plan.actions.length);
  return {
    manifest: plan.manifest,
    refused: false,
    actions,
    failed: actions.filter((a) => a.result === "failed").length,
    createdDirectories: applier.createdDirectories,
  };
}

/** The result of a plan that was not applied because it holds a conflict or an error: nothing changed. */
export function refusedResult(plan: Plan): ApplyResult {
  return {
    manifest: plan.manifest,
    refused: true,
    actions: plan.actions.map((a) => ({ ...a, ...unchanged })),
    failed: 0,
    createdDirectories: [],
  };
}

/** Carries out single actions, remembering which directories exist and which it made. */
class Applier {
  private readonly directories = new Set<string>();
  private readonly observer: Observer;
  private readonly token: string;
  readonly createdDirectories: string[] = [];

  constructor(private readonly ctx: ApplyContext) {
    this.observer = new Observer(ctx.fs, ctx.platform);
    this.token = ctx.token ?? runToken();
  }

  async perform(action: Action): Promise<ActionResult> {
    await this.guard(path.dirname(action.link));
    if (action.op === "remove") return this.remove(action);
    if (action.rule === "adopt") {
      await adoptOne(this.ctx.fs, action, this.token);
      return this.done(action, null);
    }
    if (action.options.mkdirs) await this.ensureDirectory(path.dirname(action.link));
    if (action.op === "create") return this.done(action, await this.makeLink(action, action.link));

    // Replace: the new link is made beside the old thing under a temporary name, then
    // renamed over it, so the path always holds either the old thing or the new link.
    const temporary = temporaryName(action.link, this.token);
    const fallback = await this.makeLink(action, temporary);
    try {
      if (!action.backup) {
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

  private removeLink(p: string): Promise<void> {
    return removeLink(this.ctx.fs, this.ctx.platform, p);
  }

  private async done(
    action: Action,
    fallback: ActionResult["fallback"],
    movedTo: string | null = null,
  ): Promise<ActionResult> {
    const hardLink = action.kind === "hardlink" || fallback === "hardlink";
    return {
      ...unchanged,
      result: "done",
      fallback,
      movedTo,
      identity: hardLink ? await this.identity(action.link) : null,
    };
  }

  /**
   * Moves what is in the way to a backup and puts the new link in its place. A file gets
   * a second name first (a hard link never overwrites), so it is never without a name;
   * a directory is renamed aside, and renamed back if the link cannot take its place.
   */
  private async swapWithBackup(
    action: Action,
    temporary: string,
    planned: string,
  ): Promise<string> {
    const { fs } = this.ctx;
    const current = await lstatIfExists(fs, action.link);
    if (current && current.type !== "directory") {
      const backup = await this.linkToFreeName(action.link, planned);
      if (backup) {
        try {
          await fs.rename(temporary, action.link);
        } catch (error) {
          await fs.unlink(backup).catch(() => undefined); // the file still has its own name
          throw error;
        }
        return backup;
      }
    }
    const backup = await this.freeName(action.link, planned);
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
  private async linkToFreeName(link: string, planned: string): Promise<string | undefined> {
    for (let attempt = 0; attempt < 100; attempt++) {
      const name = attempt === 0 ? planned : await this.observer.freeBackup(link);
      try {
        await this.ctx.fs.link(link, name);
        return name;
      } catch (error) {
        const code = errorCode(error);
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

  /** Makes the link at `at`; with `fallback: auto`, a junction or hard link where a symlink is refused. */
  private async makeLink(action: Action, at: string): Promise<ActionResult["fallback"]> {
    const { fs } = this.ctx;
    const recipe = action.recipe;
    if (!recipe) throw new Error(`internal: ${action.op} of ${action.link} has no recipe`);
    if (action.kind === "hardlink") {
      await fs.link(recipe.text, at);
      return null;
    }
    try {
      await fs.symlink(recipe.text, at, recipe.type ?? "file");
      return null;
    } catch (error) {
      const refused = errorCode(error) === "EPERM" && action.kind === "symlink";
      if (!refused || action.options.fallback !== "auto") throw error;
      if (recipe.type === "dir") {
        await fs.symlink(action.target, at, "junction");
        return "junction";
      }
      await fs.link(action.target, at);
      return "hardlink";
    }
  }

  /**
   * Removes a link linkman made, if it is still exactly what the plan found, then puts back
   * what `--restore` asks for: the backup, or the link that was there before.
   */
  private async remove(action: Action): Promise<ActionResult> {
    const { fs } = this.ctx;
    const now = await this.observer.found(action.link);
    if (!sameFound(now, action.found)) {
      throw Object.assign(new Error("it changed since the plan was made, so it was left alone"), {
        path: action.link,
      });
    }
    await this.removeLink(action.link);
    const restore = action.restore;
    if (restore?.backup) {
      await fs.rename(restore.backup, action.link);
    } else if (restore?.previous) {
      const resolved = path.resolve(path.dirname(action.link), restore.previous);
      const type = (await statIfExists(fs, resolved))?.type === "directory" ? "dir" : "file";
      await fs.symlink(restore.previous, action.link, type);
    }
    return { ...unchanged, result: "done", movedTo: restore?.backup ?? null };
  }

  private readonly guarded = new Map<string, Promise<void>>();

  /**
   * Refuses to write into a directory that really lies outside the roots. Checked once per
   * directory in a run, right before the first write into it.
   */
  private guard(dir: string): Promise<void> {
    let check = this.guarded.get(dir);
    if (!check) {
      check = this.checkInsideRoots(dir);
      this.guarded.set(dir, check);
    }
    return check;
  }

  private async checkInsideRoots(dir: string): Promise<void> {
    const roots = this.ctx.roots;
    if (!roots) return;
    const existing = await nearestExistingDirectory(this.ctx.fs, dir);
    const real = await this.ctx.fs.realpath(existing);
    const inside = roots.some(
      (r) => samePath(real, r.real, this.ctx.platform) || isInside(real, r.real, this.ctx.platform),
    );
    if (!inside) {
      throw Object.assign(
        new Error(
          `${existing} now leads to ${real}, outside your home and the manifest's directory (a directory was changed since the plan); nothing was written there`,
        ),
        { path: dir },
      );
    }
  }

  private async identity(link: string): Promise<ActionResult["identity"]> {
    const stat = await this.ctx.fs.lstat(link);
    return { dev: String(stat.dev), ino: String(stat.ino) };
  }

  /** Creates a directory and its missing parents, remembering what exists and what it made. */
  private async ensureDirectory(dir: string): Promise<void> {
    if (this.directories.has(dir)) return;
    this.createdDirectories.push(...(await ensureDirectory(this.ctx.fs, dir)));
    this.directories.add(dir);
  }
}

/** Whether two observations of a path show the same thing (the same link text, the same file). */
export function sameFound(a: Found, b: Found): boolean {
  if (
    (a.type === "symlink" || a.type === "junction") &&
    (b.type === "symlink" || b.type === "junction")
  ) {
    return a.type === b.type && a.linkTarget === b.linkTarget;
  }
  if (a.type === "file" && b.type === "file") {
    return a.dev === b.dev && a.ino === b.ino && a.size === b.size && a.mtimeMs === b.mtimeMs;
  }
  return a.type === b.type;
}
