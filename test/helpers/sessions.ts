import { lstatSync, readdirSync, readFileSync } from "node:fs";
import { rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { expect } from "vitest";
import type { FileSystem } from "../../src/fs/fileSystem.js";
import { adopt } from "../../src/session/adopt.js";
import { apply } from "../../src/session/apply.js";
import { prune, unlink } from "../../src/session/remove.js";
import type { ChangeReport } from "../../src/session/report.js";
import { unbackup, type World } from "./world.js";

/** The library sessions that change links, as the CLI names them. */
export type Command = "apply" | "prune" | "unlink" | "unlink --restore" | "adopt";

/** Runs one library session in a world (through `fs` if given); invalid input throws, it is a broken test. */
export async function runSession(
  w: World,
  command: Command,
  options: { fs?: FileSystem; skipConflicts?: boolean } = {},
): Promise<ChangeReport> {
  const ctx = w.context(options.fs);
  const result =
    command === "apply"
      ? await apply(ctx, { skipConflicts: options.skipConflicts })
      : command === "prune"
        ? await prune(ctx)
        : command === "adopt"
          ? await adopt(ctx)
          : await unlink(ctx, { restore: command === "unlink --restore" });
  if (!result.ok) throw new Error(result.errors.map((e) => e.message).join("\n"));
  return result.value;
}

/** One regular file: its path below the world's root, its bytes, and which file it is (dev:ino). */
export interface FileCopy {
  path: string;
  bytes: string;
  id: string;
}

/** Every regular file below `dir`, with its identity, so hard links of one file can be told apart from copies. */
export function regularFiles(dir: string, prefix = ""): FileCopy[] {
  const out: FileCopy[] = [];
  for (const name of readdirSync(dir).sort()) {
    const full = path.join(dir, name);
    const rel = prefix ? `${prefix}/${name}` : name;
    const stat = lstatSync(full, { bigint: true });
    if (stat.isDirectory()) out.push(...regularFiles(full, rel));
    else if (stat.isFile())
      out.push({ path: rel, bytes: readFileSync(full, "utf8"), id: `${stat.dev}:${stat.ino}` });
  }
  return out;
}

/** The user's and the repository's files in a world (not linkman's state, which it rewrites). */
export const worldFiles = (w: World): FileCopy[] =>
  regularFiles(w.root).filter((f) => !f.path.startsWith("state/"));

/**
 * Checks that the bytes of every file in `before` are still on disk: at its path, at its
 * path with or without a backup suffix (a backup made, or put back), at another name the
 * same file had (removing one hard link of a file loses nothing), or in a file under
 * `copies` (a hard link's path holding a separate file with its target's very bytes is
 * replaced: SPEC says nothing is lost, the bytes are in the target).
 */
export function expectKept(
  before: FileCopy[],
  after: FileCopy[],
  when: string,
  copies = "dots/",
): void {
  const names = new Map<string, string[]>();
  for (const f of before) names.set(f.id, [...(names.get(f.id) ?? []), unbackup(f.path)]);
  for (const f of before) {
    const places = new Set([unbackup(f.path), ...(names.get(f.id) ?? [])]);
    const kept = after.some(
      (a) => a.bytes === f.bytes && (places.has(unbackup(a.path)) || a.path.startsWith(copies)),
    );
    expect(kept, `${when}: ${f.path} (${JSON.stringify(f.bytes)}) was lost`).toBe(true);
  }
}

/** What `git checkout` does to a file: writes the new bytes beside it, then renames them over it (a new inode). */
export async function checkoutFile(file: string, bytes: string): Promise<void> {
  const temporary = `${file}.git-tmp`;
  await writeFile(temporary, bytes);
  await rename(temporary, file);
}

/** What `git checkout` does to a file or directory the new commit does not have. */
export const checkoutRemoves = (file: string) => rm(file, { recursive: true, force: true });

/** The names linkman's temporaries have (`<name>.linkman-<12 hex>`, `-old` for a moved-aside directory). */
export const TEMPORARY = /\.linkman-[0-9a-f]{12}(-old)?$/;
