import path from "node:path";
import type { DesiredLink } from "../resolve/desiredLink.js";
import { isInside, maxHardLinks, nameProblem, samePath } from "../platform.js";
import type { LinkRecord } from "../state/state.js";
import { inRoots, type Root } from "./roots.js";
import type {
  Action,
  EntrySubject,
  Found,
  LinkRecipe,
  LinkRule,
  Observation,
  TargetInfo,
} from "./action.js";
import { act, describeFound } from "./action.js";
import { chainedName, digestOf, wrapperRecordText, wrapperScript } from "./wrapper.js";
import { isNormalAbsolute } from "../paths.js";

/** What `decide` needs besides the desired link and what was found. */
export interface DecideSettings {
  platform: string;
  /** Home, the manifest's directory, and each `--allow-outside DIR`. */
  roots: readonly Root[];
  /** `--force`: an entry whose policy is `fail` moves what is in the way to a backup. */
  force: boolean;
  /** The manifest, named in conflict hints with the command to run. */
  manifest?: string;
  /** The links linkman recorded making (trusted records of the state), by link path. */
  records?: ReadonlyMap<string, LinkRecord>;
}

/**
 * SPEC.md's table "what linkman finds at a link path, and the action", as one pure
 * function of the desired link, what was observed, and the run's settings.
 */
export function decide(desired: DesiredLink, seen: Observation, settings: DecideSettings): Action {
  const { found, target } = seen;
  const { kind, options } = desired;
  const subject = subjectOf(desired, found);

  if (desired.skipped) {
    const { reason, why } = desired.skipped;
    return act.skip(subject, reason, reason, why);
  }

  if (options.onConflict === "chain" && kind !== "wrapper") {
    return act.error(
      subject,
      "chain-wrappers-only",
      `onConflict: chain keeps a hook and runs it before the target, which only a wrapper can do, not a ${kind}`,
      "use `kind: wrapper` for this entry, or another onConflict (fail, skip, backup)",
    );
  }

  const badName = nameProblem(desired.link, settings.platform);
  if (badName) {
    return act.error(
      subject,
      "windows-name",
      `cannot make this link: ${badName}`,
      "choose another name for the link, or limit the entry to other systems with `when: { os: [linux, darwin] }`",
    );
  }

  if (!inRoots(desired.link, seen.linkReal, settings.roots, settings.platform)) {
    const real = samePath(desired.link, seen.linkReal, settings.platform)
      ? ""
      : ` (through a symlinked directory it is really ${seen.linkReal})`;
    return act.error(
      subject,
      "outside-roots",
      `the link is outside your home directory and the manifest's directory${real}`,
      "linkman only makes links there unless you pass --allow-outside DIR",
    );
  }

  if (seen.blockedBy && found.type === "missing") {
    return act.error(
      subject,
      "not-a-directory",
      `cannot make the link: ${seen.blockedBy} is a file, not a directory`,
      path.basename(seen.blockedBy) === ".git"
        ? "this .git is not a repository linkman can read; check its `gitdir:` line"
        : "move that file aside, or link somewhere else",
    );
  }

  if (target.type === "missing") {
    if (options.ifMissing === "link" && kind === "symlink") {
      // A symlink may point at a target that comes later; it is made as a file symlink.
      const recipe = recipeFor(desired, seen.linkReal, { type: "file" });
      if (found.type === "missing") {
        return seen.parentExists || options.mkdirs
          ? act.create(subject, "nothing-there", recipe)
          : act.error(
              subject,
              "no-parent",
              `the directory ${path.dirname(desired.link)} does not exist`,
            );
      }
      if (found.type !== "symlink" && found.type !== "junction")
        return inTheWay(subject, seen, desired, settings, recipe);
      const wanted = [desired.link, seen.linkReal].map((l) =>
        path.resolve(path.dirname(l), found.linkTarget),
      );
      return wanted.some((w) => samePath(w, desired.target, settings.platform))
        ? act.skip(subject, "desired-link", "up-to-date")
        : act.replace(
            subject,
            "link-elsewhere",
            recipe,
            `replaces a ${found.type} to ${found.linkTarget}`,
          );
    }
    if (options.ifMissing === "link") {
      return act.error(
        subject,
        "missing-target",
        `the target does not exist, and only a symlink can point at a missing target, not a ${kind}`,
        "create the target, or use `kind: symlink`",
      );
    }
    return options.ifMissing === "skip"
      ? act.skip(subject, "missing-target", "missing-target", "the target does not exist")
      : act.error(
          subject,
          "missing-target",
          "the target does not exist",
          found.type === "file" || found.type === "directory"
            ? `run \`linkman adopt\` to move what is at the link path into the repository as the target, then link it`
            : "create it, fix the path, or set `ifMissing: skip` to skip this entry until it exists",
        );
  }

  const kindProblem = checkKind(desired, seen, target, settings.platform);
  if (kindProblem)
    return act.error(subject, kindProblem.rule, kindProblem.message, kindProblem.hint);

  if (samePath(seen.linkReal, target.real, settings.platform)) {
    return act.error(
      subject,
      "link-is-target",
      "the link path is the target itself" +
        (samePath(desired.link, desired.target, settings.platform)
          ? ""
          : ` (both are ${target.real})`),
      "a link cannot point at itself; check `link` and `target`, and any symlinked directory on the way",
    );
  }
  if (isInside(target.real, seen.linkReal, settings.platform)) {
    return act.error(
      subject,
      "target-inside-link",
      "the target lies inside the link path, which would move it out of the way",
      "link a path outside the repository, or link the files inside it instead",
    );
  }

  // The recipe is made only by an action that makes a link: an up-to-date link needs none.
  switch (found.type) {
    case "missing":
      if (!seen.parentExists && !options.mkdirs) {
        return act.error(
          subject,
          "no-parent",
          `the directory ${path.dirname(desired.link)} does not exist`,
          "create it, or set `mkdirs: true` to let linkman create it",
        );
      }
      return act.create(
        subject,
        "nothing-there",
        recipeFor(desired, seen.linkReal, target),
        seen.folded ? `in ${seen.folded}, once that directory link is unfolded` : null,
      );
    case "symlink":
    case "junction":
      // A wrapper replaces any link there, even one to its own target.
      if (
        kind !== "hardlink" &&
        kind !== "wrapper" &&
        pointsAt(found.linkTarget, desired, seen, target, settings)
      ) {
        return act.skip(subject, "desired-link", "up-to-date");
      }
      return act.replace(
        subject,
        "link-elsewhere",
        recipeFor(desired, seen.linkReal, target),
        `replaces a ${found.type} to ${found.linkTarget}`,
      );
    case "file":
      if (kind === "wrapper") {
        const wrapper = wrapperThere(
          subject,
          found,
          desired,
          settings,
          recipeFor(desired, seen.linkReal, target),
        );
        if (wrapper) return wrapper;
      }
      // Where symlinks were refused, fallback: auto made a hard link to the target: that is
      // the link this entry gets on this machine, not something in the way.
      if (
        kind === "symlink" &&
        options.fallback === "auto" &&
        found.dev === target.dev &&
        found.ino === target.ino
      ) {
        return act.skip(subject, "fallback-link", "up-to-date");
      }
      if (kind !== "hardlink" && found.dev === target.dev && found.ino === target.ino) {
        // The file at the link path is the target under a second name (a killed adopt, or a
        // hard link made by hand): replacing that name by the link loses nothing.
        return act.replace(
          subject,
          "second-name",
          recipeFor(desired, seen.linkReal, target),
          "replaces a second name of the target itself (nothing is lost)",
        );
      }
      if (kind === "hardlink") {
        if (found.dev === target.dev && found.ino === target.ino) {
          return act.skip(subject, "desired-link", "up-to-date");
        }
        if (seen.sameBytes) {
          return act.replace(
            subject,
            "same-bytes",
            recipeFor(desired, seen.linkReal, target),
            "replaces a separate copy with the same bytes as the target (nothing is lost)",
          );
        }
      }
      if (isOwnDrift(desired, found, settings)) {
        // The link path may be the earlier version's last name: it is moved, never deleted.
        return act.replace(
          subject,
          "own-drift",
          recipeFor(desired, seen.linkReal, target),
          `replaces the hard link linkman made, whose target was written anew (as git checkout and pull do); the earlier version it still holds is moved to ${seen.freeBackup}`,
          seen.freeBackup,
        );
      }
      return inTheWay(subject, seen, desired, settings, recipeFor(desired, seen.linkReal, target));
    default:
      return inTheWay(subject, seen, desired, settings, recipeFor(desired, seen.linkReal, target));
  }
}

/**
 * A wrapper's path holds a file: the very wrapper linkman would write now (up to date), or
 * one it wrote earlier, byte for byte as its state records it (rewritten without a backup:
 * nothing of anyone else's is in it). Anything else is decided as a file in the way.
 */
function wrapperThere(
  subject: EntrySubject,
  found: Extract<Found, { type: "file" }>,
  desired: DesiredLink,
  settings: DecideSettings,
  recipe: LinkRecipe,
): Action | undefined {
  if (found.digest === undefined) return undefined;
  if (found.digest === digestOf(recipe.text))
    return act.skip(subject, "desired-link", "up-to-date");
  const record = settings.records?.get(desired.link);
  if (record?.kind === "wrapper" && record.text === wrapperRecordText(found.digest)) {
    return act.replace(
      subject,
      "own-wrapper",
      recipe,
      "rewrites the wrapper linkman wrote here before (its target or options changed)",
    );
  }
  return undefined;
}

/**
 * Whether the file at the link path is a hard link linkman recorded making (the same file)
 * and unchanged since (not modified after the record was made): its target got a new file
 * from git, and what the link path holds is linkman's own drift, not the user's file.
 */
function isOwnDrift(
  desired: DesiredLink,
  found: Extract<Found, { type: "file" }>,
  settings: DecideSettings,
): boolean {
  const record = settings.records?.get(desired.link);
  return (
    record !== undefined &&
    record.kind === "hardlink" &&
    record.dev === found.dev &&
    record.ino === found.ino &&
    found.mtimeMs <= Date.parse(record.createdAt)
  );
}

/** Reasons a kind cannot link this target here: the rules of `mklink /H` and `mklink /J`. */
function checkKind(
  desired: DesiredLink,
  seen: Observation,
  target: Exclude<TargetInfo, { type: "missing" }>,
  platform: string,
): { rule: LinkRule; message: string; hint: string } | undefined {
  if (desired.kind === "hardlink") {
    if (target.type !== "file") {
      return {
        rule: "hardlink-files-only",
        message: `the target is a ${target.type === "directory" ? "directory" : "special file"}, and hard links are files only`,
        hint: "use `kind: symlink` (or `kind: junction` for a directory)",
      };
    }
    if (target.nlink >= maxHardLinks(platform)) {
      return {
        rule: "hardlink-too-many",
        message: `the target already has ${target.nlink} names, the most this filesystem allows one file`,
        hint: "use `kind: symlink` for this entry",
      };
    }
    if (target.dev !== seen.parentDev) {
      return {
        rule: "hardlink-same-volume",
        message: "the target is on another device, and a hard link must be on the same volume",
        hint: "use `kind: symlink`, or keep the repository on the same volume as the link",
      };
    }
  }
  if (desired.kind === "wrapper" && target.type !== "file") {
    return {
      rule: "wrapper-files-only",
      message: "the target is not a file, and a wrapper runs a file",
      hint: "point the entry at the hook's file, or use `kind: symlink` for a directory",
    };
  }
  if (desired.kind === "junction" && target.type !== "directory") {
    return {
      rule: "junction-directories-only",
      message: "the target is not a directory, and junctions link directories only",
      hint: "use `kind: symlink` or `kind: hardlink` for a file",
    };
  }
  return undefined;
}

/** A file, directory or other thing is where the link goes: the conflict policy decides. */
function inTheWay(
  subject: EntrySubject,
  seen: Observation,
  desired: DesiredLink,
  settings: DecideSettings,
  recipe: LinkRecipe,
): Action {
  const what = describeFound(subject.found);
  const policy =
    settings.force && desired.options.onConflict === "fail" ? "backup" : desired.options.onConflict;
  if (policy === "chain") {
    const kept = chainedName(desired.link);
    if (subject.found.type !== "file") {
      return act.conflict(
        subject,
        "in-the-way",
        `${what} is in the way, and only a file can be chained`,
        `move ${desired.link} away, then run linkman again`,
      );
    }
    if (seen.chainedTaken) {
      return act.conflict(
        subject,
        "chained-taken",
        `${what} is in the way, and ${kept} already holds a chained hook`,
        `merge the two hooks into one file at ${kept}, then run linkman again`,
      );
    }
    return act.replace(
      subject,
      "chain",
      recipe,
      `keeps the hook that is there as ${kept} and runs it before the target`,
      kept,
    );
  }
  if (policy === "skip") {
    return act.skip(subject, "in-the-way", "conflict", `${what} is in the way (onConflict: skip)`);
  }
  if (policy === "backup") {
    return act.replace(
      subject,
      "in-the-way",
      recipe,
      `moves ${what} that is in the way to ${seen.freeBackup}`,
      seen.freeBackup,
    );
  }
  return act.conflict(subject, "in-the-way", `${what} is in the way`, conflictHint(settings));
}

/**
 * What to do about a conflict, for someone who has never heard of linkman (it may run from
 * a project's `npm install`): which manifest asks for the link, and the exact commands. The
 * same for every conflict of a manifest, so a list of conflicts shows it once.
 */
function conflictHint(settings: DecideSettings): string {
  const config = settings.manifest ? ` -c ${shellWord(settings.manifest, settings.platform)}` : "";
  const run = (args: string) => `\`npx linkman${config} ${args}\``;
  const file = settings.manifest ? path.basename(settings.manifest) : "the manifest";
  return (
    `${file} asks linkman, a tool that links files into place, for a link where something else is; ` +
    `it is not a link linkman made, so it was left alone. ` +
    `To move it aside to NAME.linkman-backup (never deleted) and make the link: ${run("apply --force")}; ` +
    `to put it back later: ${run("unlink --restore")}. ` +
    "To keep it and stop this message, add `onConflict: skip` to that entry."
  );
}

/** A path as one word of a command line (quoted when it holds anything a shell reads). */
function shellWord(text: string, platform: string): string {
  if (platform === "win32") return /^[\w@%+=:,./\\-]+$/.test(text) ? text : `"${text}"`;
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, "'\\''")}'`;
}

/** What an action about a desired link is about. */
export function subjectOf(desired: DesiredLink, found: Found): EntrySubject {
  return {
    kind: desired.kind,
    link: desired.link,
    target: desired.target,
    found,
    options: desired.options,
    place: desired.place,
  };
}

/** Whether a link's stored text leads to the target, however it is spelled. */
function pointsAt(
  text: string,
  desired: DesiredLink,
  seen: Observation,
  target: Exclude<TargetInfo, { type: "missing" }>,
  settings: DecideSettings,
): boolean {
  // The common case: the text is the target as resolved, absolute and normal, which
  // path.resolve gives back unchanged from any directory (so no paths are made).
  if (text === desired.target && isNormalAbsolute(text)) return true;
  const from = [path.dirname(desired.link), path.dirname(seen.linkReal)];
  const wanted = [desired.target, target.real];
  return from.some((dir) => {
    const resolved = path.resolve(dir, text);
    return wanted.some((w) => samePath(resolved, w, settings.platform));
  });
}

/** The text and type of the link to make, from where the link really is and what the target is. */
export function recipeFor(
  desired: DesiredLink,
  linkReal: string,
  target: TargetInfo | { type: "file" | "directory" },
): LinkRecipe {
  // link(2) does not follow a symlink on Linux: a hard link names the file the target leads to.
  if (desired.kind === "hardlink")
    return { text: "resolved" in target ? target.resolved : desired.target, type: null };
  if (desired.kind === "junction") return { text: desired.target, type: "junction" };
  if (desired.kind === "wrapper") {
    const real = "real" in target ? target.real : desired.target;
    // Named from the working tree: the hooks directory is shared by every worktree.
    const inTree = desired.workTree && path.relative(desired.workTree, desired.target);
    const outside = !inTree || inTree === ".." || inTree.startsWith(`..${path.sep}`);
    const fromTree = outside || path.isAbsolute(inTree) ? undefined : inTree;
    return {
      text: wrapperScript(linkReal, real, desired.options.onConflict === "chain", fromTree),
      type: null,
    };
  }
  const text = desired.options.relative
    ? path.relative(path.dirname(linkReal), desired.target) || "."
    : desired.target;
  return { text, type: target.type === "directory" ? "dir" : "file" };
}
