import { mkdtempSync, realpathSync, rmSync } from "node:fs";
import { mkdir, symlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

/** A tree written as an object literal: a string is a file, an object a directory, `{ symlink }` a link. */
export type Tree = { [name: string]: string | Tree | { symlink: string } };

const made: string[] = [];

/** A new empty temporary directory (its real path), removed after the test. */
export function tempDir(): string {
  const dir = realpathSync(mkdtempSync(path.join(os.tmpdir(), "linkman-test-")));
  made.push(dir);
  return dir;
}

/** Removes the directories `tempDir` made; test/setup.ts runs it after each test of every file. */
export function removeTempDirs(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** Writes a tree under `root`. */
export async function writeTree(root: string, tree: Tree): Promise<void> {
  await mkdir(root, { recursive: true });
  for (const [name, value] of Object.entries(tree)) {
    const full = path.join(root, name);
    if (typeof value === "string") {
      await mkdir(path.dirname(full), { recursive: true });
      await writeFile(full, value);
    } else if ("symlink" in value && typeof value.symlink === "string") {
      await mkdir(path.dirname(full), { recursive: true });
      await symlink(value.symlink, full);
    } else {
      await writeTree(full, value as Tree);
    }
  }
}

/** A temporary directory holding `tree`. */
export async function makeTree(tree: Tree): Promise<string> {
  const dir = tempDir();
  await writeTree(dir, tree);
  return dir;
}
