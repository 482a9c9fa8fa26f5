import path from "node:path";
import type { Loader } from "cosmiconfig";
import type { Diagnostic, Result } from "../diagnostic.js";
import { fail, ok } from "../diagnostic.js";

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
}

/**
 * Finds the manifest: `-c/--config`, then `LINKMAN_CONFIG`, then the names above in the
 * current directory and each parent up to the root (a package.json counts only with a
 * `linkman` key). The file itself is read later, by `readManifest`, which keeps positions.
 */
export async function findManifest(options: FindOptions): Promise<Result<FoundManifest>> {
  if (options.config)
    return ok({ file: path.resolve(options.cwd, options.config), source: "flag" });
  const fromEnv = options.env.LINKMAN_CONFIG;
  if (fromEnv) return ok({ file: path.resolve(options.cwd, fromEnv), source: "env" });

  // cosmiconfig decides, per directory, whether a candidate counts (package.json only with a
  // `linkman` key). It searches one directory at a time: its "global" strategy would also
  // read ~/.config/linkman/config.*, which the manifest rules do not include.
  const present: Loader = () => ({});
  // Loaded only for a search, so -c starts faster. Bundled with code splitting, a CommonJS
  // module arrives as its default export only.
  const loaded = await import("cosmiconfig");
  const { cosmiconfig } =
    "cosmiconfig" in loaded ? loaded : (loaded as { default: typeof loaded }).default;
  const explorer = cosmiconfig("linkman", {
    searchPlaces: [...MANIFEST_NAMES],
    searchStrategy: "none",
    ignoreEmptySearchPlaces: false,
    cache: false,
    loaders: {
      ".yaml": present,
      ".yml": present,
      noExt: present,
      ".json": (file, content) =>
        path.basename(file) === "package.json" ? readPackage(content) : {},
    },
  });
  const start = path.resolve(options.cwd);
  for (let dir = start; ; dir = path.dirname(dir)) {
    const result = await explorer.search(dir).catch(() => null);
    if (result) return ok({ file: result.filepath, source: "search" });
    if (path.dirname(dir) === dir) break;
  }
  return fail([notFound(start)]);
}

/** A package.json's `linkman` key, or nothing; a broken package.json is not a manifest. */
function readPackage(content: string): unknown {
  try {
    const pkg = JSON.parse(content) as Record<string, unknown>;
    return pkg.linkman === undefined ? null : pkg;
  } catch {
    return null;
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
