import type { Action, ActionResult, MakeAction } from "../engine/action.js";
import type { ApplyResult } from "../engine/apply.js";
import { stillOurs } from "../engine/removals.js";
import { digestOf, wrapperRecordText } from "../engine/wrapper.js";
import type { LinkRecord, State } from "../state/state.js";
import { recordsByLink, withoutRecords, withRecords } from "../state/state.js";

const makes = (a: Action): a is MakeAction =>
  a.op === "create" || a.op === "replace" || a.op === "adopt";

/**
 * The record of a link an action makes. When the action replaces a link linkman itself
 * made, the earlier record's `previous` and `backup` are kept: they describe what the
 * user had before linkman, which is what `unlink --restore` puts back.
 */
function recordOf(
  action: MakeAction,
  earlier: LinkRecord | undefined,
  result: ActionResult | undefined,
  now: string,
): LinkRecord {
  // The earlier record still describes what the user had before linkman while the link is
  // as linkman left it, or gone (a run killed after moving things aside, before linking).
  const ours =
    earlier !== undefined && (stillOurs(earlier, action.found) || action.found.type === "missing");
  const kind = result?.fallback ?? action.kind;
  const found = action.found;
  return {
    link: action.link,
    kind,
    target: action.target,
    text:
      kind === "hardlink"
        ? null
        : kind === "wrapper"
          ? wrapperRecordText(digestOf(action.recipe.text))
          : result?.fallback === "junction"
            ? action.target
            : action.recipe.text,
    dev: result?.identity?.dev ?? null,
    ino: result?.identity?.ino ?? null,
    previous: ours
      ? earlier.previous
      : found.type === "symlink" || found.type === "junction"
        ? found.linkTarget
        : null,
    backup: ours ? earlier.backup : (result?.movedTo ?? action.backup),
    createdAt: now,
  };
}

/**
 * The state to write before applying: every link the plan makes, recorded as linkman is
 * about to make it. If the run is killed part-way, the next run still knows which links may
 * be its own; a record counts only while the link is exactly as recorded.
 */
export function pendingState(
  before: State,
  actions: readonly Action[],
  now: string,
  token: string,
): State {
  const earlier = recordsByLink(before);
  // Rewriting its own wrapper, the earlier record stays until the new one is in place: a
  // run killed before that leaves the earlier wrapper, still known as linkman's.
  // One loop, not filter, filter, map: two arrays of 10,000 actions fewer on a fresh apply.
  const records: LinkRecord[] = [];
  for (let i = 0; i < actions.length; i++) {
    const a = actions[i]!;
    if (makes(a) && a.rule !== "own-wrapper")
      records.push(recordOf(a, earlier.get(a.link), undefined, now));
  }
  const pending = withRecords(before, records);
  return { ...pending, applying: token };
}

/**
 * The state after applying: links made are recorded, links removed (or already gone)
 * forgotten, and a hard link recorded without its identity (a run killed before it could
 * note it) gets it back from the disk, where the plan found it up to date. Given the
 * pending state written before the run, and the run went exactly as it recorded, its
 * records are kept as they are (the same array: no records made, merged and sorted again).
 */
export function finalState(
  before: State,
  applied: ApplyResult,
  now: string,
  pending?: State,
): State {
  const state =
    pending && wentAsRecorded(before, applied) ? pending : recordApplied(before, applied, now);
  const directories = [...new Set([...state.directories, ...applied.createdDirectories])].sort();
  const { applying: _done, ...finished } = state;
  return { ...finished, directories };
}

/**
 * Whether the pending state already holds the state's final records: every link the plan
 * makes was made as recorded there (no fallback, no identity to note, the backup where
 * planned), and no other action adds, amends or forgets a record.
 */
function wentAsRecorded(before: State, applied: ApplyResult): boolean {
  const earlier = recordsByLink(before);
  for (let i = 0; i < applied.actions.length; i++) {
    const a = applied.actions[i]!;
    if (makes(a)) {
      if (
        a.result !== "done" ||
        a.rule === "own-wrapper" ||
        a.fallback !== null ||
        a.identity !== null ||
        (a.movedTo !== null && a.movedTo !== a.backup)
      )
        return false;
    } else if (changesRecords(a, earlier.get(a.link))) return false;
  }
  return true;
}

/** Whether an action that makes no link still adds, amends or forgets a record (see `recordApplied`). */
function changesRecords(a: Action, record: LinkRecord | undefined): boolean {
  return (
    a.op === "remove" ||
    a.rule === "take-over" ||
    a.rule === "already-gone" ||
    staleWrapperRecord(a, record) !== undefined ||
    missingIdentity(a, record)
  );
}

/** An up-to-date hard link whose record lacks its identity (a run killed before noting it). */
const missingIdentity = (a: Action, record: LinkRecord | undefined) =>
  a.op === "skip" &&
  a.reason === "up-to-date" &&
  a.found.type === "file" &&
  record?.kind === "hardlink" &&
  record.dev === null;

/** The records after applying, from the state before it and what each action did. */
function recordApplied(before: State, applied: ApplyResult, now: string): State {
  const earlier = recordsByLink(before);
  const made = applied.actions
    .filter((a) => makes(a) && a.result === "done")
    .map((a) => recordOf(a as MakeAction, earlier.get(a.link), a, now));
  const found = applied.actions.flatMap((a) => {
    const record = earlier.get(a.link);
    const wrapper = staleWrapperRecord(a, record);
    if (wrapper) return [wrapper];
    const upToDate = a.op === "skip" && a.reason === "up-to-date" && a.found.type === "file";
    return upToDate && record?.kind === "hardlink" && record.dev === null && a.found.type === "file"
      ? [{ ...record, dev: a.found.dev, ino: a.found.ino }]
      : [];
  });
  // Links already as declared, made by someone else: recorded as they are, keeping what an
  // earlier record of linkman's says the user had before.
  const takenOver = applied.actions.flatMap((a): LinkRecord[] => {
    if (
      a.rule !== "take-over" ||
      a.kind === "directory" ||
      (a.found.type !== "symlink" && a.found.type !== "junction")
    )
      return [];
    const record = earlier.get(a.link);
    return [
      {
        link: a.link,
        kind: a.kind,
        target: a.target,
        text: a.found.linkTarget,
        dev: null,
        ino: null,
        previous: record?.previous ?? null,
        backup: record?.backup ?? null,
        createdAt: now,
        takenOver: true,
      },
    ];
  });
  const gone = applied.actions
    .filter((a) => (a.op === "remove" && a.result === "done") || a.rule === "already-gone")
    .map((a) => a.link);
  return withoutRecords(withRecords(before, [...found, ...takenOver, ...made]), gone);
}

/**
 * The record of a wrapper that is up to date on the disk while the state still records an
 * earlier one (a run killed after writing it): brought up to date from the bytes found.
 */
function staleWrapperRecord(a: Action, record: LinkRecord | undefined): LinkRecord | undefined {
  if (a.op !== "skip" || a.reason !== "up-to-date" || record?.kind !== "wrapper") return undefined;
  if (a.found.type !== "file" || a.found.digest === undefined) return undefined;
  const text = wrapperRecordText(a.found.digest);
  return record.text === text ? undefined : { ...record, text };
}

/** Whether applying these actions changes the disk or the state at all. */
export function changesAnything(actions: readonly Action[], state: State): boolean {
  const byLink = recordsByLink(state);
  return actions.some(
    (a) =>
      makes(a) ||
      a.op === "mkdir" ||
      a.op === "remove" ||
      a.op === "unfold" ||
      a.rule === "take-over" ||
      a.rule === "already-gone" ||
      staleWrapperRecord(a, byLink.get(a.link)) !== undefined ||
      (a.op === "skip" &&
        a.reason === "up-to-date" &&
        byLink.get(a.link)?.kind === "hardlink" &&
        byLink.get(a.link)?.dev === null),
  );
}
