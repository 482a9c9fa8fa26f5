import { randomBytes } from "node:crypto";
import path from "node:path";
import type { FileSystem } from "../fs/fileSystem.js";
import { lstatIfExists } from "../fs/fileSystem.js";
import { isInside } from "../platform.js";
import { checkInsideRoots, type Root } from "./roots.js";
import { removeLink } from "./removeLink.js";
import { looksLikeWrapper, MAX_WRAPPER_BYTES } from "./wrapper.js";

/** A new random token naming one run's temporaries, so that a later run can find them. */
export function runToken(): string {
  return randomBytes(6).toString("hex");
}

/**
 * The name beside `file` of something a run is making: `.NAME.linkman-TOKEN` for a new
 * link, with `-old` for an old link moved aside (Windows' three-step replace).
 */
export function temporaryName(file: string, token: string, role: "new" | "old" = "new"): string {
  const suffix = role === "old" ? `${token}-old` : token;
  return path.join(path.dirname(file), `.${path.basename(file)}.linkman-${suffix}`);
}

/** A temporary a killed run left: its name, and what it stands beside (a link, or a directory above one). */
export interface Leftover {
  name: string;
  beside: string;
  role: "new" | "old";
}

/**
 * Calls `found` with each thing a run killed under `token` left beside `links` under its
 * temporary names that a sweep would tidy, right after finding it (so a sweep writes right
 * after its look): a new link not yet renamed into place, or an old link moved aside
 * (Windows' three-step replace, or a folded directory link an unfold moved aside before
 * making the directory, looked for beside each directory above a link up to the `roots`).
 * Only those exact names (which only that run could make), and only links and second names
 * of files (or a wrapper it was writing): never a directory, never someone's file.
 */
async function eachLeftover(
  fs: FileSystem,
  platform: string,
  links: readonly string[],
  token: string,
  roots: readonly Root[],
  found: (left: Leftover) => Promise<void>,
): Promise<void> {
  const look = async (beside: string, role: "new" | "old") => {
    const name = temporaryName(beside, token, role);
    const there = await lstatIfExists(fs, name).catch(() => undefined);
    // A link or a file's name; a directory, pipe or device is never one of linkman's temporaries.
    if (!there || (there.type !== "symlink" && there.type !== "file")) return;
    // A file's last name goes only when it is a wrapper this run was writing (nobody else's).
    if (there.type === "file" && there.nlink < 2 && !(await isWrapperFile(fs, name))) return;
    // The records are untrusted (SPEC rule 9): a directory on the way may lead out of the
    // roots. Checked in the look, so a sweep checks right before it writes, and what
    // `temporariesLeft` reports is only what a sweep would tidy.
    const inside = await checkInsideRoots(fs, path.dirname(name), roots, platform).catch(
      () => false,
    );
    if (inside === false) return;
    await found({ name, beside, role });
  };
  for (const link of links) {
    await look(link, "new");
    await look(link, "old");
  }
  const above = directoriesAbove(
    links,
    roots.map((r) => r.path),
    platform,
  );
  for (const dir of above) await look(dir, "old");
}

/** What a killed run left that `sweepTemporaries` would tidy (`eachLeftover`); reads only. */
export async function temporariesLeft(
  fs: FileSystem,
  platform: string,
  links: readonly string[],
  token: string,
  roots: readonly Root[],
): Promise<Leftover[]> {
  const left = new Map<string, Leftover>();
  // Once each: a recorded link may also be a directory above another record (a hand-edited state).
  await eachLeftover(fs, platform, links, token, roots, async (l) => void left.set(l.name, l));
  return [...left.values()];
}

/**
 * Tidies what a killed run left (`eachLeftover`), each as soon as it is found: a new link is
 * removed; an old one is put back where nothing took its place, else removed; never where a
 * directory on the way now leads out of the roots. Whatever cannot be tidied is left.
 * Returns the paths tidied.
 */
export async function sweepTemporaries(
  fs: FileSystem,
  platform: string,
  links: readonly string[],
  token: string,
  roots: readonly Root[],
): Promise<string[]> {
  const tidied: string[] = [];
  await eachLeftover(fs, platform, links, token, roots, async ({ name, beside, role }) => {
    try {
      if (role === "old" && !(await lstatIfExists(fs, beside))) await fs.rename(name, beside);
      else await removeLink(fs, platform, name);
      tidied.push(name);
    } catch {
      // Left for the user: it is only a stray link or a second name of a file.
    }
  });
  return tidied;
}

/** Each directory above one of `links` and inside one of `roots` (not a root itself), once, outermost first. */
function directoriesAbove(
  links: readonly string[],
  roots: readonly string[],
  platform: string,
): string[] {
  const dirs = new Set<string>();
  for (const link of links) {
    const above: string[] = [];
    for (let dir = path.dirname(link); !dirs.has(dir); dir = path.dirname(dir)) {
      if (!roots.some((root) => isInside(dir, root, platform))) break;
      above.push(dir);
    }
    for (let i = above.length - 1; i >= 0; i--) dirs.add(above[i] as string);
  }
  return [...dirs];
}

/** Whether a file holds a wrapper script linkman wrote (read with a wrapper's size bound). */
async function isWrapperFile(fs: FileSystem, file: string): Promise<boolean> {
  const bytes = await fs.readFile(file, MAX_WRAPPER_BYTES).catch(() => undefined);
  return bytes !== undefined && looksLikeWrapper(new TextDecoder().decode(bytes));
}
