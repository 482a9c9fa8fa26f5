import type { Rule } from "./action.js";

/** Each row of the decision table in words: why an action is what it is (for --verbose and explain). */
export const RULE_TEXT: Record<Rule, string> = {
  condition: "the entry's `when` does not hold on this machine, so it is skipped",
  "no-match":
    "the entry's link glob matches no directory yet; each matching directory made later gets its link on the next apply",
  "cannot-look": "the path could not be looked at, so nothing can be decided for it",
  "outside-roots":
    "links are made only under your home or the manifest's directory (or --allow-outside)",
  "windows-name":
    "Windows reserves some names (device names such as NUL, names ending in a dot or space, and some characters); a link cannot have one",
  "missing-target": "the target does not exist; `ifMissing` decides between an error and a skip",
  "hardlink-files-only": "a hard link can only name a file, never a directory",
  "hardlink-same-volume": "a hard link must be on the same volume as its file",
  "hardlink-too-many":
    "a file can have only so many names (1023 on NTFS), and the target has them all",
  "junction-directories-only": "a junction can only link a directory",
  "wrapper-files-only": "a wrapper is a script that runs its target, so the target must be a file",
  "chain-wrappers-only":
    "onConflict: chain keeps a hook and runs it before the target: only a wrapper script can run two hooks",
  "chained-taken":
    "a hook is already kept at NAME.linkman-chained; a second one is never put over it",
  "link-is-target":
    "the link path is the target's own directory entry; replacing it would lose the target",
  "target-inside-link":
    "the target lies inside the link path; moving the link path away would take the target with it",
  "no-parent": "the link's directory does not exist and `mkdirs` is false",
  "not-a-directory":
    "something on the way to the link's directory is a file, not a directory, so no link can be made below it",
  "nothing-there": "nothing is at the link path, so the link is created",
  "desired-link":
    "what is there already leads to the target (compared after normalising), so nothing is done",
  "fallback-link":
    "where symlinks are refused, fallback: auto made a hard link to the target, so that is this entry's link",
  "link-elsewhere":
    "a link that leads elsewhere (or nowhere) is there; links are replaced, never files",
  "same-bytes":
    "a separate file with exactly the target's bytes is there, so replacing it by the hard link loses nothing",
  "second-name":
    "the file at the link path is the target itself under another name, so replacing that name by the link loses nothing",
  "own-drift":
    "a hard link linkman made, unchanged since, whose target was written anew (git checkout and pull write new files): it is replaced whatever onConflict says, and what it still holds is moved to a backup, since it may be that file's last name",
  "own-wrapper":
    "the wrapper script linkman wrote here, byte for byte as its state records it, but not the one it would write now: it is rewritten without a backup",
  chain:
    "a hook is there and the entry says onConflict: chain: it is kept as NAME.linkman-chained and the wrapper runs it before the target; unlink puts it back",
  "in-the-way":
    "a real file or directory is there; `onConflict` (or --force) decides: conflict, skip, or move it to a backup",
  "linkman-state":
    "linkman keeps its state and lock there; a link at, above or inside that directory could hand its state to someone else",
  "take-over":
    "the link is already exactly as declared, made by someone else (Stow, dotbot, by hand): linkman records it as its own, so unlink, prune and status manage it",
  folded:
    "a directory link above the link path leads into the repository (Stow folding): it becomes a real directory holding one link per file",
  adopt:
    "a real file or directory is at the link path and the target does not exist yet: adopt moves it into the repository",
  "nothing-to-adopt": "no real file or directory is at the link path, so there is nothing to adopt",
  "target-exists": "the target exists already, and adopt never overwrites a target",
  "adopt-outside": "adopt moves things only from inside the roots into the manifest's directory",
  "adopt-kind":
    "what is at the link path cannot become this kind of link (hard links: files on one volume; junctions: directories)",
  "last-name":
    "a hard link is removed only while its target is another name of the same file, so the file never loses its last name",
  ours: "linkman made this link and it is still exactly as it left it, so it may be removed",
  "changed-since":
    "the link changed since linkman made it, so it is someone else's now and is left alone",
  stale:
    "linkman made this link and the manifest no longer lists it (its entry or glob match is gone): `linkman prune` removes it",
  "already-gone": "the link linkman made is no longer there; it is only forgotten",
  "dead-link":
    "prune --dead-links-in: a symlink whose target is gone and that led into the manifest's directory is removed, whoever made it (dotbot's clean)",
  "directory-missing":
    "`directories` lists this path and nothing is there, so the directory (and any missing parent) is made",
  "directory-there": "`directories` lists this path and a directory is there, so nothing is done",
  "directory-in-the-way":
    "`directories` lists this path and something other than a directory (a file, or a link) is there; it is never replaced",
};
