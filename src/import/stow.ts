import path from "node:path";
import picomatch from "picomatch";
import { stringify } from "yaml";
import type { Result } from "../diagnostic.js";
import { fail, ok } from "../diagnostic.js";
import type { FileSystem } from "../fs/fileSystem.js";
import { statIfExists } from "../fs/fileSystem.js";
import { importedHeader, type Imported, type ImportNote } from "./dotbot.js";

/** What Stow ignores in a package by default, at any depth (its default ignore list). */
export const STOW_IGNORED = [
  ".git",
  ".gitignore",
  ".gitmodules",
  "*~",
  "#*#",
  ".#*",
  "CVS",
  ".cvsignore",
  ".svn",
  "_darcs",
  ".hg",
  "RCS",
  "*,v",
];
/** What Stow ignores at the top of a package only. */
export const STOW_IGNORED_AT_TOP = ["README*", "LICENSE*", "COPYING"];

/** How to import: the stow directory, the packages, and Stow's options that change the links. */
export interface StowImport {
  dir: string;
  packages: readonly string[];
  /** Stow's --dotfiles: a `dot-name` in the package becomes `.name` in the target. */
  dotfiles: boolean;
  /** Stow's -t: where the links go (Stow's default: the stow directory's parent). */
  target?: string | undefined;
  homedir: string;
}

/**
 * The manifest that links Stow packages the way `stow --no-folding` would: every file of
 * each package, at the same path below the target directory. Meant to be saved in the stow
 * directory. With --dotfiles the files are listed one by one, renamed as Stow would.
 */
export async function convertStow(fs: FileSystem, options: StowImport): Promise<Result<Imported>> {
  const { dir, packages, homedir } = options;
  const targetDir = options.target ?? path.dirname(dir);
  const shown =
    targetDir === homedir
      ? "~"
      : targetDir.startsWith(homedir + path.sep)
        ? `~${targetDir.slice(homedir.length)}`
        : targetDir;
  const missing = [];
  for (const pkg of packages) {
    if ((await statIfExists(fs, path.join(dir, pkg)))?.type !== "directory") missing.push(pkg);
  }
  if (missing.length > 0) {
    return fail(
      missing.map((pkg) => ({
        file: path.join(dir, pkg),
        path: "",
        message: "is not a package: no such directory in the stow directory",
      })),
    );
  }
  const notes: ImportNote[] = [];
  const links: Record<string, unknown>[] = [];
  for (const pkg of packages) {
    if (await statIfExists(fs, path.join(dir, pkg, ".stow-local-ignore"))) {
      notes.push({
        line: undefined,
        message: `${pkg} has a .stow-local-ignore: add its patterns to the entry's exclude`,
      });
    }
    if (!options.dotfiles) {
      links.push({
        link: `${shown}/`,
        target: `${pkg}/**`,
        exclude: [...STOW_IGNORED, ...STOW_IGNORED_AT_TOP],
      });
      continue;
    }
    for (const rel of await packageFiles(fs, path.join(dir, pkg))) {
      const renamed = rel
        .split("/")
        .map((part) => (part.startsWith("dot-") ? `.${part.slice(4)}` : part))
        .join("/");
      links.push({ link: `${shown}/${renamed}`, target: `${pkg}/${rel}` });
    }
  }
  if (!options.dotfiles) {
    notes.push({
      line: undefined,
      message: `README*, LICENSE* and COPYING are left out at any depth (Stow leaves them out at the top of a package only)`,
    });
  }
  const manifest =
    importedHeader(packages.join(", "), "stow") +
    `# Save it in ${dir}.\n` +
    stringify({ version: 1, links }, { lineWidth: 0 });
  return ok({ manifest, notes });
}

/** Every file in a package, relative to it, sorted, without what Stow ignores. */
async function packageFiles(fs: FileSystem, root: string): Promise<string[]> {
  const anywhere = picomatch(STOW_IGNORED, { dot: true });
  const atTop = picomatch(STOW_IGNORED_AT_TOP, { dot: true });
  const files: string[] = [];
  const walk = async (dir: string, rel: string) => {
    for (const entry of await fs.readdir(dir)) {
      const r = rel ? `${rel}/${entry.name}` : entry.name;
      if (anywhere(entry.name) || (!rel && atTop(entry.name))) continue;
      if (entry.type === "directory") await walk(path.join(dir, entry.name), r);
      else files.push(r);
    }
  };
  await walk(root, "");
  return files.sort();
}
