import * as z from "zod";
import { lazy } from "../lazy.js";

/** Node's `process.platform` names, the values `when.os` accepts. */
export const PLATFORMS = [
  "aix",
  "android",
  "cygwin",
  "darwin",
  "freebsd",
  "haiku",
  "linux",
  "netbsd",
  "openbsd",
  "sunos",
  "win32",
] as const;

/** Node's `process.arch` names, the values `when.arch` accepts. */
export const ARCHES = [
  "arm",
  "arm64",
  "ia32",
  "loong64",
  "mips",
  "mipsel",
  "ppc",
  "ppc64",
  "riscv64",
  "s390",
  "s390x",
  "x64",
] as const;

/** A variable's name, as in `${NAME}`. */
export const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Builds the manifest's zod schemas. On first use only: a valid manifest is checked by hand
 * (check.ts), so a plain `apply` never builds them.
 */
function buildSchemas() {
  /** Text without NUL, which no filesystem accepts in a path. */
  const noNul = (schema: z.ZodString) =>
    schema.refine((s) => !s.includes("\u0000"), { message: "must not contain a NUL character" });

  /** Text that becomes part of a path: not empty, no NUL. */
  const pathText = () => noNul(z.string().min(1));

  /** An object that rejects keys it does not know (reported with a "did you mean"). */
  const closed = <T extends z.ZodRawShape>(shape: T) => z.strictObject(shape);

  /** One value or a list of them; a single value reads naturally in YAML (`os: linux`). */
  const oneOrMany = <T extends z.ZodType>(item: T) => z.union([item, z.array(item).min(1)]);

  const kind = z
    .enum(["symlink", "hardlink", "junction", "wrapper"])
    .describe(
      "symlink (a directory target makes a directory symlink), hardlink (files only, same volume), junction (Windows directory junction; elsewhere an absolute directory symlink), or wrapper (files only: a small sh script at the link path that runs the target, for git hooks; no symlink privilege needed). Default symlink.",
    );

  /** The options an entry may set and `defaults` may give to every entry. */
  const optionShape = {
    kind: kind.optional(),
    relative: z
      .boolean()
      .describe(
        "Store the symlink's target relative to the real path of the link's directory. Default false.",
      )
      .optional(),
    mkdirs: z
      .boolean()
      .describe("Create missing parent directories of the link. Default true.")
      .optional(),
    onConflict: z
      .enum(["fail", "skip", "backup", "chain"])
      .describe(
        "When a real file or directory is where the link goes: fail (report a conflict and change nothing), skip it, move it to a backup, or (kind: wrapper only) chain it: keep a file as NAME.linkman-chained and run it before the target. Default fail.",
      )
      .optional(),
    ifMissing: z
      .enum(["error", "skip", "link"])
      .describe(
        "When the target does not exist: report an error, skip the entry, or make the symlink anyway for a target that comes later (symlinks only). Default error.",
      )
      .optional(),
    fallback: z
      .enum(["none", "auto"])
      .describe(
        "Where a symlink is refused (Windows without the privilege): auto makes a junction for a directory or a hard link for a file instead. Default none.",
      )
      .optional(),
  };

  const when = closed({
    os: oneOrMany(z.enum(PLATFORMS))
      .describe("Operating systems, by Node's process.platform names (linux, darwin, win32, …).")
      .optional(),
    arch: oneOrMany(z.enum(ARCHES))
      .describe("CPU architectures, by Node's process.arch names (x64, arm64, …).")
      .optional(),
    host: oneOrMany(z.string().min(1))
      .describe("Globs on the hostname, such as work-*.")
      .optional(),
    profile: oneOrMany(z.string().min(1))
      .describe("Profiles, one of which must be active (--profile NAME or LINKMAN_PROFILE).")
      .optional(),
    env: z
      .record(z.string().regex(VARIABLE_NAME), z.union([z.boolean(), z.string(), z.number()]))
      .describe(
        "Environment variables: true (set and non-empty), false (unset or empty), or a value it must equal.",
      )
      .optional(),
    command: oneOrMany(
      z
        .string()
        .min(1)
        .regex(/^[^/\\]+$/, "must be a command's name, without a directory"),
    )
      .describe("Commands, one of which must be an executable on PATH (looked up, never run).")
      .optional(),
  }).describe(
    "Conditions that must all hold for the entry to apply; a list means any of its values.",
  );

  const rename = closed({
    dotPrefix: z
      .boolean()
      .describe(
        "Stow's --dotfiles: every path segment dot-X of a match becomes .X (X not empty and not starting with a dot).",
      )
      .optional(),
    prefix: noNul(z.string().min(1))
      .regex(/^[^/\\]+$/, "must not contain a path separator (/ or \\)")
      .describe(
        "dotbot's prefix: put before the name each match has in the link directory, such as . for bashrc → .bashrc.",
      )
      .optional(),
  }).describe(
    "How a glob entry renames its matches, so one entry keeps linking files added later.",
  );

  const entry = closed({
    link: pathText().describe(
      "The path of the link. Relative paths resolve from the manifest's directory; ~ and ${VAR} are expanded. For a glob target, the directory the matches go into.",
    ),
    target: pathText().describe(
      "What the link points to. Relative paths resolve from base. A glob (picomatch) links every match; a trailing / matches directories.",
    ),
    ...optionShape,
    exclude: oneOrMany(pathText())
      .describe(
        "Globs of glob matches to leave out, relative to the glob's static part; a pattern without / matches a name at any depth.",
      )
      .optional(),
    rename: rename.optional(),
    when: when.optional(),
  });

  const directoryPath = () =>
    pathText().describe(
      "The directory's path. Relative paths resolve from the manifest's directory; ~ and ${VAR} are expanded.",
    );

  const directory = z.union([
    directoryPath(),
    closed({ path: directoryPath(), when: when.optional() }),
  ]);

  const manifest = closed({
    $schema: z.string().describe("The JSON Schema, for editors.").optional(),
    version: z.literal(1).describe("The manifest format's version: 1."),
    base: pathText()
      .describe("The directory relative targets resolve from. Default: the manifest's directory.")
      .optional(),
    vars: z
      .record(z.string().regex(VARIABLE_NAME), noNul(z.string()))
      .describe(
        "Variables for ${NAME} in link, target and base; each may use the ones above it and the environment.",
      )
      .optional(),
    defaults: closed(optionShape)
      .describe("Options for every entry of this file and its includes.")
      .optional(),
    include: z
      .array(pathText())
      .describe(
        "More manifests, relative to this one, whose entries come after this one's. A glob includes every file it matches, sorted. A trailing ? means the file may be missing (or the glob match nothing).",
      )
      .optional(),
    links: z
      .union([z.array(entry), z.record(pathText(), pathText()).describe("A map of link: target.")])
      .describe("The links: a list of entries, or a map of link: target.")
      .optional(),
    directories: z
      .array(directory)
      .describe(
        "Directories that must exist (dotbot's create): made with their missing parents, never replacing a file or link; unlink and prune remove one only if linkman made it and it is empty.",
      )
      .optional(),
  })
    .describe("A linkman manifest: the links this machine should have.")
    .meta({ title: "linkman manifest" });
  return { manifest, optionShape, entry, when, rename, directory };
}

const schemas = lazy(buildSchemas);
type Schemas = ReturnType<typeof buildSchemas>;

/** The schema of one manifest file (built on first use). */
export const manifestSchema = lazy(() => schemas.manifest);

/** A manifest file as written, after validation. */
export type ManifestInput = z.infer<Schemas["manifest"]>;
/** One entry of `links` as written in list form. */
export type EntryInput = z.infer<Schemas["entry"]>;
/** The options of an entry or of `defaults`. */
export type EntryOptionsInput = z.infer<z.ZodObject<Schemas["optionShape"]>>;
/** One item of `directories` as written. */
export type DirectoryInput = z.infer<Schemas["directory"]>;
/** An entry's `when`. */
export type WhenInput = z.infer<Schemas["when"]>;

/** The JSON Schema of the manifest, generated from the zod schema (the file in `schemas/`). */
export function manifestJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(schemas.manifest, { target: "draft-7", io: "input" }) as Record<
    string,
    unknown
  >;
}

/** The keys the object at a key path may have, for "did you mean" on an unknown key. */
export function knownKeysAt(path: readonly PropertyKey[]): readonly string[] {
  const { manifest, optionShape, entry, when, rename } = schemas;
  const [top, index, sub] = path;
  if (path.length === 0) return Object.keys(manifest.shape);
  if (top === "defaults" && path.length === 1) return Object.keys(optionShape);
  if (top === "links" && typeof index === "number") {
    if (path.length === 2) return Object.keys(entry.shape);
    if (sub === "when" && path.length === 3) return Object.keys(when.shape);
    if (sub === "rename" && path.length === 3) return Object.keys(rename.shape);
  }
  if (top === "directories" && typeof index === "number") {
    if (path.length === 2) return ["path", "when"];
    if (sub === "when" && path.length === 3) return Object.keys(when.shape);
  }
  return [];
}
