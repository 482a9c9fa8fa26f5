import path from "node:path";
import type { Diagnostic, Result } from "../diagnostic.js";
import { fail, ok } from "../diagnostic.js";
import type { FileSystem } from "../fs/fileSystem.js";
import { isMissing, MAX_INPUT_BYTES } from "../fs/fileSystem.js";

/** The file names searched for, in each directory from the current one upward, in this order. */
export const MANIFEST_NAMES = [
  "linkman.yaml",
  "linkman.yml",
  "links.yaml",
  ".linkmanrc",
  ".linkmanrc.yaml",
  ".linkmanrc.yml",
  ".linkmanrc.json",
  "package.json",
] as const;

/** Where a manifest was found, and why that one. */
export interface FoundManifest {
  file: string;
  source: "flag" | "env" | "search";
}

/** How to find the manifest: the `-c` flag, the environment, and where to start searching. */
export interface FindOptions {
  config?: string | undefined;
  env: Record<string, string | undefined>;
  cwd: string;
  /** The filesystem the search reads through. */
  fs: FileSystem;
}

/**
 * Finds the manifest: `-c/--config`, then `LINKMAN_CONFIG`, then the names above in the
 * current directory and each parent up to the root (a package.json counts only with a
 * `linkman` key). The file itself is read later, by
 * `readManifest`, which keeps positions.
 */
export async function findManifest(options: FindOptions): Promise<Result<FoundManifest>> {
  if (options.config)
    return ok({ file: path.resolve(options.cwd, options.config), source: "flag" });
  const fromEnv = options.env.LINKMAN_CONFIG;
  if (fromEnv) return ok({ file: path.resolve(options.cwd, fromEnv), source: "env" });

  const { fs } = options;
  const start = path.resolve(options.cwd);
  for (let dir = start; ; dir = path.dirname(dir)) {
    for (const name of MANIFEST_NAMES) {
      const file = path.join(dir, name);
      if (await isManifest(fs, file)) return ok({ file, source: "search" });
    }
    if (path.dirname(dir) === dir) break;
  }
  return fail([notFound(start)]);
}

/**
 * Whether a candidate is the manifest. Read with the size bound, because a repository can
 * hold a `links.yaml` that is a symlink to /dev/zero or /proc: such a file counts (so that
 * reading it reports what it is), where an unbounded read would never end. Directories
 * and missing names do not count.
 */
async function isManifest(fs: FileSystem, file: string): Promise<boolean> {
  let bytes: Uint8Array;
  try {
    bytes = await fs.readFile(file, MAX_INPUT_BYTES);
  } catch (error) {
    if (isMissing(error)) return false;
    const type = await fs.stat(file).then(
      (s) => s.type,
      () => undefined,
    );
    return type !== undefined && type !== "directory";
  }
  return path.basename(file) !== "package.json" || hasLinkmanKey(new TextDecoder().decode(bytes));
}

/** Whether a package.json has a `linkman` key; a broken package.json is not a manifest. */
function hasLinkmanKey(content: string): boolean {
  try {
    const pkg = JSON.parse(content) as unknown;
    return typeof pkg === "object" && pkg !== null && Object.hasOwn(pkg, "linkman");
  } catch {
    return false;
  }
}

function notFound(start: string): Diagnostic {
  const names = MANIFEST_NAMES.filter((n) => n !== "package.json").join(", ");
  return {
    path: "",
    message: `no manifest found: looked for ${names}, or a "linkman" key in package.json, in ${start} and every directory above it`,
    hint: "pass one with -c FILE (or LINKMAN_CONFIG), or create one with `linkman init`",
  };
}
