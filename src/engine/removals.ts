import path from "node:path";
import type { FileSystem } from "../fs/fileSystem.js";
import { errorCode, lstatIfExists, statIfExists } from "../fs/fileSystem.js";
import { samePath } from "../platform.js";
import type { LinkRecord } from "../state/state.js";
import type { Action, Found, LinkSubject, Restore } from "./action.js";
import { act, describeFound } from "./action.js";
import { mapLimit } from "./mapLimit.js";
import { Observer } from "./observe.js";
import { isChainedName, wrapperRecordText } from "./wrapper.js";

/** What `unlink` and `prune` put back once a link is gone: nothing, backups only, or backups and earlier links. */
export type RestoreChoice = "none" | "backups" | "all";

/** What removing a recorded link needs to know about the disk now. */
export interface RemovalObservation {
  /** What is at the link path. */
  found: Found;
  /** Where the link path's directory entry really is. */
  linkReal: string;
  /** The target now (following links), for a hard link: its identity, names, and where its entry really is. */
  target: { dev: string; ino: string; nlink: number; real: string } | undefined;
  /** Whether the record's backup is still there (a run killed before putting it back). */
  backupThere?: boolean;
  /** Whether the record's backup is another name of what is at the link path now (put back by link(2), then killed). */
  backupIsFound?: boolean;
}

/** Whether what is at a link path is still the symlink or junction linkman recorded, a hard link of the recorded file, or the very wrapper it wrote. */
export function stillOurs(record: LinkRecord, found: Found): boolean {
  if (record.kind === "wrapper") {
    return (
      found.type === "file" &&
      found.digest !== undefined &&
      record.text === wrapperRecordText(found.digest)
    );
  }
  if (record.kind === "hardlink") {
    return (
      found.type === "file" &&
      (record.dev === null || (found.dev === record.dev && found.ino === record.ino))
    );
  }
  return (
    (found.type === "symlink" || found.type === "junction") && found.linkTarget === record.text
  );
}

/**
 * Whether to remove a link linkman made (SPEC rules 1 and 8): a symlink or junction only
 * while it stores the text linkman wrote; a hard link only while the link path and the
 * target path are two names of one file *now*, so the file keeps a name (its target's)
 * when the link goes. A file that is no longer its target's other name (git gave the
 * target a new inode, or removed it) is the last copy of the user's data and stays.
 */
export function decideRemoval(
  record: LinkRecord,
  seen: RemovalObservation,
  restoreChoice: RestoreChoice,
  platform: string,
): Action {
  const { found } = seen;
  // A chained hook ran until now: it goes back whenever its wrapper goes, restore or not.
  if (
    restoreChoice === "none" &&
    record.backup !== null &&
    isChainedName(record.backup, record.link)
  )
    restoreChoice = "backups";
  const subject: LinkSubject = {
    kind: record.kind,
    link: record.link,
    target: record.target,
    found,
    options: null,
    place: null,
  };
  if (found.type === "missing") {
    // A run killed between removing the link and putting the backup back: put it back now.
    const putBack = restoreOf(record, restoreChoice);
    if (putBack && (putBack.previous || seen.backupThere)) {
      const backup = seen.backupThere ? putBack.backup : null;
      if (backup || putBack.previous)
        return act.remove(
          subject,
          { backup, previous: backup ? null : putBack.previous },
          backup ? `puts back ${backup}` : `puts back the link to ${putBack.previous}`,
        );
    }
    const leftover = record.backup ? `; the backup of what was there is at ${record.backup}` : "";
    return act.skip(subject, "already-gone", "up-to-date", `already gone${leftover}`);
  }
  if (record.kind === "hardlink") {
    const target = seen.target;
    const sameFile =
      found.type === "file" &&
      target !== undefined &&
      found.dev === target.dev &&
      found.ino === target.ino;
    if (found.type === "file" && !(sameFile && target && target.nlink >= 2)) {
      return act.skip(
        subject,
        "last-name",
        "conflict",
        "this file is no longer another name of its target (the target was replaced or removed), so removing it could lose its data; left alone",
      );
    }
    if (target && samePath(seen.linkReal, target.real, platform)) {
      return act.skip(
        subject,
        "last-name",
        "conflict",
        `through a directory link the link path is now the target itself (${target.real}); left alone`,
      );
    }
  }
  // A run killed after putting back what was there, before forgetting the record: what is
  // at the link path is the user's again, and the record is only forgotten.
  const ourHardLink =
    record.kind === "hardlink" &&
    found.type === "file" &&
    seen.target !== undefined &&
    found.dev === seen.target.dev &&
    found.ino === seen.target.ino;
  const ourWrapper = record.kind === "wrapper" && stillOurs(record, found);
  const putBackAlready =
    restoreChoice !== "none" &&
    !ourHardLink &&
    !ourWrapper &&
    ((record.backup !== null &&
      (found.type === "file" || found.type === "directory") &&
      (!seen.backupThere || seen.backupIsFound === true)) ||
      (restoreChoice === "all" &&
        record.backup === null &&
        record.previous !== null &&
        (found.type === "symlink" || found.type === "junction") &&
        found.linkTarget === record.previous));
  if (putBackAlready && seen.backupIsFound && record.backup) {
    // Put back by link(2), then killed before the backup name went: drop that second name.
    return act.remove(
      subject,
      { backup: record.backup, previous: null },
      `drops ${record.backup}, a second name of what is already back`,
    );
  }
  if (putBackAlready) {
    return act.skip(subject, "already-gone", "up-to-date", "already put back; only forgotten");
  }
  if (!stillOurs(record, found)) {
    return act.skip(
      subject,
      "changed-since",
      "conflict",
      `changed since linkman made it (now ${describeFound(found)}); left alone`,
    );
  }
  let putBack = restoreOf(record, restoreChoice);
  // A chained hook its owner deleted since: the wrapper still goes, with nothing to put back.
  if (ourWrapper && putBack?.backup && seen.backupThere === false) putBack = null;
  return act.remove(
    subject,
    putBack,
    putBack?.backup
      ? `puts back ${putBack.backup}`
      : putBack?.previous
        ? `puts back the link to ${putBack.previous}`
        : null,
  );
}

function restoreOf(record: LinkRecord, choice: RestoreChoice): Restore | null {
  const backup = choice !== "none" ? record.backup : null;
  const previous = choice === "all" ? record.previous : null;
  return backup || previous ? { backup, previous } : null;
}

/**
 * Looks at each recorded link and decides its removal. A link that cannot be looked at is
 * an error of its own; the others are still decided.
 */
export async function planRemovals(
  records: readonly LinkRecord[],
  fs: FileSystem,
  restoreChoice: RestoreChoice,
  platform: string,
): Promise<Action[]> {
  const observer = new Observer(fs, platform);
  return mapLimit(records, 16, async (record) => {
    try {
      const [found, dir] = await Promise.all([
        observer.found(record.link, record.kind === "wrapper"),
        observer.directory(path.dirname(record.link)),
      ]);
      const linkReal = path.join(dir.real, path.basename(record.link));
      const target =
        record.kind === "hardlink" && found.type === "file"
          ? await hardLinkTarget(fs, observer, record.target)
          : undefined;
      const backup = record.backup !== null ? await lstatIfExists(fs, record.backup) : undefined;
      const backupIsFound =
        backup?.type === "file" &&
        found.type === "file" &&
        String(backup.dev) === found.dev &&
        String(backup.ino) === found.ino;
      return decideRemoval(
        record,
        { found, linkReal, target, backupThere: backup !== undefined, backupIsFound },
        restoreChoice,
        platform,
      );
    } catch (error) {
      const subject: LinkSubject = {
        kind: record.kind,
        link: record.link,
        target: record.target,
        found: { type: "other" },
        options: null,
        place: null,
      };
      return act.error(
        subject,
        "cannot-look",
        `cannot look at ${record.link}: ${errorCode(error) ?? String(error)}`,
        "check the permissions of the directories on the way",
      );
    }
  });
}

async function hardLinkTarget(
  fs: FileSystem,
  observer: Observer,
  target: string,
): Promise<RemovalObservation["target"]> {
  const stat = await statIfExists(fs, target);
  if (!stat || stat.type !== "file") return undefined;
  const dir = await observer.directory(path.dirname(target));
  return {
    dev: String(stat.dev),
    ino: String(stat.ino),
    nlink: stat.nlink,
    real: path.join(dir.real, path.basename(target)),
  };
}
