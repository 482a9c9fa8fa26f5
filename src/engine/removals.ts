import type { FileSystem } from "../fs/fileSystem.js";
import { DEFAULT_OPTIONS } from "../manifest/manifest.js";
import type { LinkRecord } from "../state/state.js";
import { stillOurs } from "../state/state.js";
import type { Action, ActionDetails, Found } from "./action.js";
import { describeFound, makeAction } from "./action.js";
import { mapLimit } from "./mapLimit.js";
import { Observer } from "./observe.js";

/**
 * Whether to remove a link linkman made: only if it is still exactly the link linkman
 * left (the same text, or for a hard link the same file). With `restore`, the remove also
 * puts back the backup or the previous link recorded for it.
 */
export function decideRemoval(record: LinkRecord, found: Found, restore: boolean): Action {
  const subject = {
    kind: record.kind,
    link: record.link,
    target: record.target,
    options: { ...DEFAULT_OPTIONS, kind: record.kind },
    place: null,
    found,
  };
  const action = (op: Action["op"], rule: Action["rule"], details: ActionDetails = {}) =>
    makeAction(subject, op, rule, details);
  if (found.type === "missing") {
    const leftover = record.backup ? `; the backup of what was there is at ${record.backup}` : "";
    return action("skip", "already-gone", {
      reason: "up-to-date",
      message: `already gone${leftover}`,
    });
  }
  if (!stillOurs(record, found)) {
    return action("skip", "changed-since", {
      reason: "conflict",
      message: `changed since linkman made it (now ${describeFound(found)}); left alone`,
    });
  }
  const putBack =
    restore && (record.backup || record.previous)
      ? { backup: record.backup, previous: record.previous }
      : null;
  return action("remove", "ours", {
    restore: putBack,
    backup: putBack?.backup ?? null,
    message: putBack?.backup
      ? `puts back ${putBack.backup}`
      : putBack?.previous
        ? `puts back the link to ${putBack.previous}`
        : null,
  });
}

/** Looks at each recorded link and decides its removal. */
export async function planRemovals(
  records: readonly LinkRecord[],
  fs: FileSystem,
  restore: boolean,
  platform: string,
): Promise<Action[]> {
  const observer = new Observer(fs, platform);
  return mapLimit(records, 16, async (record) =>
    decideRemoval(record, await observer.found(record.link), restore),
  );
}
