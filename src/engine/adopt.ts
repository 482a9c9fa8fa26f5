import path from "node:path";
import { ensureDirectory } from "../fs/ensureDirectory.js";
import type { FileSystem } from "../fs/fileSystem.js";
import { errorCode, lstatIfExists } from "../fs/fileSystem.js";
import { isInside, pathKey } from "../platform.js";
import type { DesiredLink } from "../resolve/desiredLink.js";
import type { Action, ActionOf, Found } from "./action.js";
import { act } from "./action.js";
import { recipeFor, subjectOf, type DecideSettings } from "./decide.js";
import { inRoots, type Root } from "./roots.js";
import { mapLimit } from "./mapLimit.js";
import { Observer } from "./observe.js";
import { ChangedSincePlan } from "./changedSincePlan.js";
import { temporaryName } from "./temporaries.js";

/** What deciding an adoption needs besides the observation: the roots, and the repository targets may be moved into. */
export interface AdoptSettings extends DecideSettings {
  /** The manifest's directory: adopted files are only ever moved inside it. */
  repository: Root;
}

/** What is known about one candidate for adoption. */
export interface AdoptObservation {
  found: Found;
  targetFound: Found;
  linkReal: string;
  targetReal: string;
  linkDev: string;
  targetDev: string;
}

/**
 * Whether to adopt what is at a link path: a real file or directory there, and no target
 * yet. Never overwrites a target, never moves anything outside the manifest's directory.
 * Returns undefined for a link path with nothing to adopt (unless it was named).
 */
export function decideAdoption(
  desired: DesiredLink,
  seen: AdoptObservation,
  settings: AdoptSettings,
  named: boolean,
): Action | undefined {
  const { found } = seen;
  const subject = subjectOf(desired, found);
  const error = (message: string, hint: string | null = null) =>
    act.error(subject, "adopt-outside", message, hint);
  const kindError = (message: string, hint: string | null = null) =>
    act.error(subject, "adopt-kind", message, hint);

  if (desired.skipped)
    return named ? act.skip(subject, "condition", "condition", desired.skipped.why) : undefined;
  if (found.type !== "file" && found.type !== "directory") {
    return named
      ? act.skip(
          subject,
          "nothing-to-adopt",
          "up-to-date",
          "nothing to adopt: no file or directory is there",
        )
      : undefined;
  }
  if (!inRoots(desired.link, seen.linkReal, settings.roots, settings.platform)) {
    return error(
      "the link is outside your home directory and the manifest's directory",
      "pass --allow-outside DIR",
    );
  }
  if (seen.targetFound.type !== "missing") {
    const message = "the target already exists, and adopt never overwrites a target";
    const hint =
      "compare the two; `linkman apply --force` moves this one to a backup and links the target";
    // Named on the command line, this is a refusal of what was asked; otherwise a note.
    return named
      ? act.conflict(subject, "target-exists", message, hint)
      : act.skip(subject, "target-exists", "conflict", message, hint);
  }
  const { repository } = settings;
  if (
    !isInside(desired.target, repository.path, settings.platform) ||
    !isInside(seen.targetReal, repository.real, settings.platform)
  ) {
    return error(
      `the target is outside the manifest's directory ${repository.path}; adopt only moves things into it`,
    );
  }
  if (desired.kind === "wrapper") {
    return kindError(
      "adopt makes links, and this entry is a wrapper script",
      "move the hook into the repository yourself (git mv), then run `linkman apply`; or use `onConflict: chain` to keep it running beside the tracked one",
    );
  }
  if (desired.kind === "hardlink" && found.type === "directory") {
    return kindError(
      "a directory is there, and hard links are files only",
      "use `kind: symlink` for a directory",
    );
  }
  if (desired.kind === "junction" && found.type === "file") {
    return kindError(
      "a file is there, and junctions link directories only",
      "use `kind: symlink` for a file",
    );
  }
  if (desired.kind === "hardlink" && seen.linkDev !== seen.targetDev) {
    return kindError(
      "the target would be on another device, and a hard link must be on the same volume",
    );
  }
  return act.adopt(
    subject,
    recipeFor(desired, seen.linkReal, { type: found.type }),
    `moves the ${found.type} into the repository at ${desired.target}, then links it`,
  );
}

/** Plans adoptions for the manifest's links, or only for `only` (link paths) when given. */
export async function planAdoptions(
  links: readonly DesiredLink[],
  fs: FileSystem,
  settings: AdoptSettings,
  only: readonly string[] = [],
): Promise<Action[]> {
  const observer = new Observer(fs, settings.platform);
  const named = new Set(only.map((p) => pathKey(p, settings.platform)));
  const chosen = named.size
    ? links.filter((l) => named.has(pathKey(l.link, settings.platform)))
    : links;
  const decided = await mapLimit(chosen, 16, async (desired) => {
    const [found, targetFound, linkDir, targetDir] = await Promise.all([
      observer.found(desired.link),
      observer.found(desired.target),
      observer.directory(path.dirname(desired.link)),
      observer.directory(path.dirname(desired.target)),
    ]);
    const seen: AdoptObservation = {
      found,
      targetFound,
      linkReal: path.join(linkDir.real, path.basename(desired.link)),
      targetReal: path.join(targetDir.real, path.basename(desired.target)),
      linkDev: linkDir.dev,
      targetDev: targetDir.dev,
    };
    return decideAdoption(desired, seen, settings, named.size > 0);
  });
  return decided.filter((a): a is Action => a !== undefined);
}

/**
 * Moves what is at the link path to the target, then links it. A file first gets the
 * target as a second name (a hard link never overwrites), or across devices an exclusive
 * copy whose bytes are checked; then the new link is renamed over the original name, so
 * the file is never without a name. A directory is renamed into place and renamed back if
 * the link cannot be made. Across devices a directory is refused, not copied.
 */
export async function adoptOne(
  fs: FileSystem,
  action: ActionOf<"adopt">,
  token: string,
): Promise<void> {
  const { link, target, recipe } = action;
  await ensureDirectory(fs, path.dirname(target));
  if (action.found.type === "directory") {
    if (await lstatIfExists(fs, target))
      throw Object.assign(new Error("the target appeared meanwhile"), {
        code: "EEXIST",
        path: target,
      });
    try {
      await fs.rename(link, target);
    } catch (error) {
      if (errorCode(error) === "EXDEV") {
        throw Object.assign(
          new Error(
            "a directory cannot be moved across devices by linkman; move it yourself, then run `linkman apply`",
          ),
          { path: link },
        );
      }
      throw error;
    }
    try {
      await fs.symlink(recipe.text, link, recipe.type ?? "dir");
    } catch (error) {
      await fs.rename(target, link).catch(() => undefined);
      throw error;
    }
    return;
  }

  let sameFile = true;
  try {
    await fs.link(link, target);
  } catch (error) {
    if (errorCode(error) !== "EXDEV") throw error;
    sameFile = false;
    await fs.copyFile(link, target);
    const size = (await fs.lstat(link)).size;
    const [a, b] = await Promise.all([fs.readFile(link, size), fs.readFile(target, size)]);
    if (Buffer.compare(a, b) !== 0) {
      await fs.unlink(target).catch(() => undefined);
      throw Object.assign(
        new Error(
          `the copy at ${target} does not match the original; the original was left in place`,
        ),
        { path: link },
      );
    }
  }
  if (action.kind === "hardlink") {
    if (!sameFile)
      throw Object.assign(new Error("a hard link cannot span devices"), {
        code: "EXDEV",
        path: link,
      });
    return; // the file at the link path is already a hard link to the target
  }
  const temporary = temporaryName(link, token);
  try {
    await fs.symlink(recipe.text, temporary, recipe.type ?? "file");
    if (sameFile) {
      // The target must name the very file the link path holds, right before the rename:
      // an editor may have saved a new file there meanwhile (the adopted one stays at the target).
      const [atLink, atTarget] = await Promise.all([fs.lstat(link), fs.lstat(target)]);
      if (atLink.dev !== atTarget.dev || atLink.ino !== atTarget.ino) {
        throw new ChangedSincePlan(
          link,
          `the file there was replaced (the one that was there is now at ${target})`,
        );
      }
    }
    await fs.rename(temporary, link);
  } catch (error) {
    // Take back the name or copy made at the target, only while the original is still at
    // the link path (otherwise the target may be its last name).
    await fs.unlink(temporary).catch(() => undefined);
    const [atLink, atTarget] = await Promise.all([
      lstatIfExists(fs, link).catch(() => undefined),
      lstatIfExists(fs, target).catch(() => undefined),
    ]);
    const stillThere =
      atLink?.type === "file" &&
      (!sameFile || (atLink.dev === atTarget?.dev && atLink.ino === atTarget.ino));
    if (stillThere) await fs.unlink(target).catch(() => undefined);
    throw error;
  }
}
