import path from "node:path";
import * as z from "zod";
import { lazy } from "../lazy.js";
import type { Result } from "../diagnostic.js";
import { fail, ok } from "../diagnostic.js";
import type { FileSystem } from "../fs/fileSystem.js";
import { isMissing, readTextFile } from "../fs/fileSystem.js";
import { diagnosticAt, parseSource } from "./source.js";

/** The name of a machine's own settings file, next to the manifest and never committed. */
export const LOCAL_SETTINGS_NAME = "linkman.local.yaml";

/** What a machine remembers for itself: the profiles active when neither flag nor environment says. */
export interface LocalSettings {
  /** Absolute path of the file. */
  file: string;
  profiles: string[];
}

/** A settings file is a few lines; anything bigger is not one. */
const MAX_LOCAL_BYTES = 64 * 1024;

const localSchema = lazy(() =>
  z.strictObject({
    profiles: z.union([z.array(z.string().min(1)), z.string()]).optional(),
  }),
);

/**
 * Reads `linkman.local.yaml` beside the manifest: `undefined` when there is none, the
 * settings when it is valid, diagnostics with their place when not.
 */
export async function readLocalSettings(
  fs: FileSystem,
  manifestFile: string,
): Promise<Result<LocalSettings | undefined>> {
  const file = path.join(path.dirname(manifestFile), LOCAL_SETTINGS_NAME);
  let text: string;
  try {
    text = await readTextFile(fs, file, MAX_LOCAL_BYTES);
  } catch (error) {
    if (isMissing(error)) return ok(undefined);
    return fail([{ file, path: "", message: `cannot read it: ${String(error)}` }]);
  }
  const parsed = await parseSource(file, text);
  if (!parsed.ok) return parsed;
  const src = parsed.value;
  const value = src.value ?? {};
  const checked = localSchema.safeParse(value);
  if (!checked.success) {
    return fail(
      checked.error.issues.map((issue) => {
        const unknown = issue.code === "unrecognized_keys";
        const keyPath = unknown ? [...issue.path, issue.keys[0] ?? ""] : issue.path;
        return diagnosticAt(
          src,
          keyPath as (string | number)[],
          unknown
            ? `unknown key ${JSON.stringify(issue.keys[0])}: expected profiles`
            : issue.path.length === 0
              ? "expected a map such as `profiles: [work]`"
              : "expected profiles: a list of names, or one comma-separated string",
          {
            key: unknown,
            hint: "for example `profiles: [work]`",
          },
        );
      }),
    );
  }
  const given = checked.data.profiles ?? [];
  const list = typeof given === "string" ? given.split(",") : given;
  return ok({ file, profiles: [...new Set(list.map((p) => p.trim()).filter(Boolean))] });
}
