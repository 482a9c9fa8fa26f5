import path from "node:path";
import { stringify } from "yaml";
import type { Diagnostic, Result } from "../diagnostic.js";
import { fail, formatKeyPath, ok } from "../diagnostic.js";
import { DEFAULT_OPTIONS } from "../manifest/manifest.js";
import type { KeyPath, SourceDoc } from "../manifest/source.js";
import { parseYamlSource } from "../manifest/yamlSource.js";
import { SCHEMA_COPY_REF } from "../manifest/schemaCopy.js";
import { parseGlob } from "../resolve/glob.js";

/**
 * The first lines of an imported manifest: the schema for editors (the copy beside the
 * manifest, which travels with the repository), and where it came from.
 */
export function importedHeader(from: string, tool: string): string {
  return (
    `# yaml-language-server: $schema=${SCHEMA_COPY_REF}\n` +
    `# Converted from ${from} by \`linkman import ${tool}\`. Check it with \`linkman plan\` before applying;\n` +
    "# `linkman schema --write` puts the schema beside this file for your editor.\n"
  );
}

/** Something of the input that was not converted, or converted with a difference, and where. */
export interface ImportNote {
  line: number | undefined;
  message: string;
}

/** A converted manifest (YAML text) and the notes a user should read before applying it. */
export interface Imported {
  manifest: string;
  notes: ImportNote[];
}

type Options = Record<string, unknown>;
type When = Record<string, string[]>;

/** The link options dotbot reads (its `link` plugin), with or without `defaults`. */
const LINK_OPTIONS = new Set([
  "path",
  "relative",
  "canonicalize",
  "canonicalize-path",
  "type",
  "force",
  "relink",
  "create",
  "glob",
  "backup",
  "prefix",
  "if",
  "ignore-missing",
  "exclude",
]);

/** The options an imported entry sets, in the order they are written. */
const ENTRY_OPTIONS = ["kind", "relative", "mkdirs", "onConflict", "ifMissing"] as const;

/**
 * Converts a dotbot configuration (`install.conf.yaml`) into a linkman manifest: the `link`
 * directives with their options and the `defaults` in force where each stands. What cannot
 * be converted is listed with its line; an entry dotbot might skip (an `if:` with no `when:`
 * equivalent) is left out, never linked unconditionally.
 */
export function convertDotbot(file: string, text: string): Result<Imported> {
  const notes: ImportNote[] = [];
  const parsed = parseYamlSource(file, text, [], (repeated, earlier) => {
    const key = repeated.lineText.slice(repeated.column - 1, repeated.column - 1 + repeated.length);
    notes.push({
      line: repeated.line,
      message: `\`${key}\` is set again (first at line ${earlier.line}): dotbot's YAML reader keeps the last one, and so does this import`,
    });
  });
  if (!parsed.ok) return parsed;
  const src = parsed.value;
  if (!Array.isArray(src.value)) {
    return fail([
      {
        ...src.placeOf([]),
        path: "",
        message: "a dotbot configuration is a list of directives (- link: …, - shell: …)",
      },
    ]);
  }
  const line = (at: KeyPath) => src.placeOf(at, { key: true }).line;
  const noteAt = (at: KeyPath, message: string) => notes.push({ line: line(at), message });
  const errors: Diagnostic[] = [];
  const errorAt = (at: KeyPath, message: string) =>
    errors.push({ ...src.placeOf(at, { key: true }), path: formatKeyPath(at), message });
  // dotbot's `defaults` apply to the directives after them, each replacing the one before.
  let defaults: Scope = { options: {}, at: [] };
  let cleanDefaults: Options = {};
  const links: Options[] = [];
  const directories: string[] = [];

  src.value.forEach((directive: unknown, i: number) => {
    if (directive === null || typeof directive !== "object" || Array.isArray(directive)) {
      errors.push({
        ...src.placeOf([i]),
        path: `[${i}]`,
        message: "expected a directive such as `link:`",
      });
      return;
    }
    const body = directive as Record<string, unknown>;
    // Entries written beside an empty `link:` instead of under it: a mis-indented config.
    const strays =
      "link" in body && (body.link === null || body.link === undefined)
        ? Object.keys(body).filter((n) => !DIRECTIVES.has(n) && /^[~/.$]/.test(n))
        : [];
    for (const [name, value] of Object.entries(body)) {
      const at: KeyPath = [i, name];
      switch (name) {
        case "defaults":
          defaults = readDefaults(value, at, noteAt);
          cleanDefaults = readCleanDefaults(value);
          break;
        case "link":
          if (value === null || value === undefined) {
            if (strays.length > 0) {
              errorAt(
                at,
                `\`link:\` is empty, and the ${strays.length} keys beside it (${strays
                  .slice(0, 3)
                  .map((s) => `\`${s}\``)
                  .join(
                    ", ",
                  )}${strays.length > 3 ? ", …" : ""}) look like its entries: indent them under \`link:\` (dotbot fails here too)`,
              );
            } else noteAt(at, "`link:` is empty: nothing to convert");
          } else if (Array.isArray(value) || typeof value !== "object") {
            errorAt(
              at,
              "`link:` must be a map of `link path: target`, not a list: remove the `- ` before each entry (dotbot fails here too)",
            );
          } else {
            for (const [dest, spec] of Object.entries(value as Options)) {
              links.push(...convertLink(src, dest, spec, [...at, dest], defaults, noteAt));
            }
          }
          break;
        case "clean":
          noteAt(at, cleanNote(value, cleanDefaults));
          break;
        case "create":
          directories.push(...convertCreate(value, at, noteAt));
          break;
        case "shell":
          noteAt(
            at,
            "`shell` is not converted: linkman runs no commands; keep them in your install script",
          );
          break;
        case "plugins":
          noteAt(at, "`plugins` is not converted: linkman has no plugins");
          break;
        default:
          if (!strays.includes(name))
            noteAt(at, `\`${name}\` is not a directive linkman knows; it was left out`);
      }
    }
  });
  if (errors.length > 0) return fail(errors);
  if (links.length > 0) {
    notes.push({
      line: undefined,
      message:
        "linkman replaces symlinks that point elsewhere (what dotbot's `relink: true` does), and `unlink --restore` puts them back; files are never replaced without `onConflict: backup` or --force",
    });
  }
  const manifest = {
    version: 1,
    ...factorDefaults(links),
    links,
    ...(directories.length > 0 ? { directories: [...new Set(directories)] } : {}),
  };
  return ok({
    manifest:
      importedHeader(path.basename(file), "dotbot") +
      stringify(manifest, { lineWidth: 0, aliasDuplicateObjects: false }),
    notes: dedupe(notes),
  });
}

/**
 * dotbot's `create`, a list of paths or a map of path to `{ mode }`: the paths, for
 * `directories`. linkman makes directories with the system's default mode, so a `mode` is noted.
 */
function convertCreate(value: unknown, at: KeyPath, noteAt: NoteAt): string[] {
  if (value === null || value === undefined) return [];
  if (Array.isArray(value)) return value.filter((p) => p !== null).map(String);
  if (typeof value !== "object") {
    noteAt(at, "`create` must list paths; it was left out");
    return [];
  }
  for (const [dir, options] of Object.entries(value as Options)) {
    const mode = (options as Options | null)?.mode;
    if (mode !== undefined) {
      noteAt(
        [...at, dir],
        `\`${dir}\`: its \`mode\` is not converted: linkman makes directories with the default mode (umask); chmod it in your install script`,
      );
    }
  }
  return Object.keys(value as Options);
}

function readCleanDefaults(body: unknown): Options {
  const clean = (body as Options | null)?.clean;
  return clean && typeof clean === "object" && !Array.isArray(clean) ? (clean as Options) : {};
}

/**
 * What to run instead of dotbot's `clean` (a list of directories, or a map of directory to
 * `{ force, recursive }`): the exact `linkman prune --dead-links-in` command.
 */
function cleanNote(value: unknown, defaults: Options): string {
  const dirs =
    value && typeof value === "object"
      ? Array.isArray(value)
        ? value.map((d) => [String(d), {}] as const)
        : Object.entries(value as Options).map(([d, o]) => [d, (o ?? {}) as Options] as const)
      : [];
  const option = (o: Options, key: string) => (o[key] ?? defaults[key]) === true;
  const command = (group: (readonly [string, Options])[], recursive: boolean) =>
    `linkman prune${group.map(([d]) => ` --dead-links-in ${shellWord(d)}`).join("")}${recursive ? " --recursive" : ""}`;
  const flat = dirs.filter(([, o]) => !option(o, "recursive"));
  const deep = dirs.filter(([, o]) => option(o, "recursive"));
  const commands = [
    ...(flat.length ? [command(flat, false)] : []),
    ...(deep.length ? [command(deep, true)] : []),
  ];
  const forced = dirs.filter(([, o]) => option(o, "force")).map(([d]) => `\`${d}\``);
  return (
    `\`clean\` is not a manifest key: run \`${commands.join("` and `") || "linkman prune --dead-links-in DIR"}\` after \`linkman apply\` to remove the dead links there that lead into the dotfiles directory` +
    (forced.length
      ? `; \`force: true\` (${forced.join(", ")}) is not converted: linkman never removes a dead link that leads elsewhere`
      : "")
  );
}

/** A path as one shell word: quoted when it holds anything but safe characters (`~` stays bare, so the shell expands it). */
function shellWord(p: string): string {
  return /^[~A-Za-z0-9_./${}:-]*$/.test(p) ? p : `'${p.replace(/'/g, `'\\''`)}'`;
}

const DIRECTIVES = new Set(["defaults", "link", "clean", "create", "shell", "plugins"]);

/** The `defaults` in force: dotbot's link options as written, and where each was written. */
interface Scope {
  options: Options;
  at: KeyPath;
}

type NoteAt = (at: KeyPath, message: string) => void;

function readDefaults(body: unknown, at: KeyPath, noteAt: NoteAt): Scope {
  if (!body || typeof body !== "object" || Array.isArray(body)) return { options: {}, at };
  for (const name of Object.keys(body)) {
    if (name !== "link" && name !== "clean")
      noteAt([...at, name], `\`defaults\` for \`${name}\` is not converted (only \`link\` is)`);
  }
  const link = (body as Options).link;
  return {
    options: link && typeof link === "object" && !Array.isArray(link) ? (link as Options) : {},
    at: [...at, "link"],
  };
}

/**
 * One dotbot link, `dest: src`, `dest:` or `dest: { path, … }`, with the defaults in force:
 * none, one or (a glob dotbot matches files and directories with) two entries.
 */
function convertLink(
  src: SourceDoc,
  dest: string,
  spec: unknown,
  at: KeyPath,
  scope: Scope,
  noteAt: NoteAt,
): Options[] {
  const own = spec && typeof spec === "object" && !Array.isArray(spec) ? (spec as Options) : {};
  const options: Options = { ...scope.options, ...own };
  // Where each option was written: on the entry, or in the defaults (noted at their line).
  const where = (key: string): KeyPath => (key in own ? [...at, key] : [...scope.at, key]);
  const note = (key: string, message: string) => noteAt(where(key), message);
  const leaveOut = (why: string) => {
    noteAt(at, `\`${dest}\` was left out: ${why}`);
    return [];
  };

  for (const key of Object.keys(options)) {
    if (!LINK_OPTIONS.has(key))
      note(
        key,
        `\`${key}\` is not a dotbot link option; dotbot ignores it, and so does this import`,
      );
  }
  const fromDefaults = (key: string) =>
    key in own ? "" : ` (from the defaults at line ${src.placeOf(where(key), { key: true }).line})`;

  const type = options.type ?? "symlink";
  if (type !== "symlink" && type !== "hardlink") {
    return leaveOut(
      `its \`type: ${String(type)}\`${fromDefaults("type")} is neither symlink nor hardlink, and dotbot skips it too`,
    );
  }
  let when: When | undefined;
  if (options.if !== undefined && options.if !== null) {
    when = whenFromShell(String(options.if));
    if (!when) {
      return leaveOut(
        `its \`if\`${fromDefaults("if")} runs a shell command, ${quote(String(options.if))}, that has no \`when:\` equivalent; rewrite it as \`when:\` (os, arch, host, profile, env, command)`,
      );
    }
  }

  // dotbot's target: `path`, the string itself, or the link's name without its leading dot;
  // an empty path is the base directory.
  const written = typeof spec === "string" ? spec : "path" in own ? own.path : null;
  const target =
    written === null || written === undefined
      ? path.basename(dest).replace(/^\./, "")
      : path.posix.normalize(String(written)).replace(/(.)\/+$/, "$1");
  const isGlob = /[?*[]/.test(target);
  const globbing = options.glob === true && isGlob;

  if (options.force === true) {
    note(
      "force",
      "`force: true` became `onConflict: backup`: linkman moves a file in the way to a backup instead of deleting it",
    );
  }
  if (options.canonicalize === true || options["canonicalize-path"] === true) {
    note(
      options.canonicalize === true ? "canonicalize" : "canonicalize-path",
      "`canonicalize: true` is not converted: linkman's links name the repository by the path the manifest is found at, not its real path",
    );
  }
  const prefix =
    options.prefix === undefined || options.prefix === null ? "" : String(options.prefix);
  if (prefix !== "") {
    if (globbing && /[/\\]/.test(prefix)) {
      return leaveOut(
        `its \`prefix: ${prefix}\`${fromDefaults("prefix")} holds a path separator, and linkman's \`rename.prefix\` renames only the name in the link directory; list the links one by one`,
      );
    }
    if (!globbing)
      note(
        "prefix",
        "`prefix` only applies to a glob, so dotbot ignores it here, and so does this import",
      );
  }
  if (isGlob && !globbing) {
    noteAt(
      at,
      `\`${dest}\`: the path has glob characters but no \`glob: true\`; dotbot links it as written, linkman expands it as a glob`,
    );
  }

  const entry: Options = {
    link: dest,
    target,
    kind: type,
    relative: options.relative === true,
    mkdirs: options.create === true,
    onConflict: options.force === true || options.backup === true ? "backup" : "fail",
    ifMissing: options["ignore-missing"] === true ? "link" : "error",
  };
  const exclude = Array.isArray(options.exclude) ? options.exclude.map(String) : [];
  if (exclude.length > 0 && !globbing) {
    note(
      "exclude",
      "`exclude` only applies to a glob, so dotbot ignores it here, and so does this import",
    );
  }
  const withWhen = (e: Options) => (when ? { ...e, when } : e);
  if (!globbing) return [withWhen(entry)];

  const base = parseGlob(target)?.base ?? ".";
  const below = (pattern: string) =>
    base === "." ? pattern : pattern.startsWith(`${base}/`) ? pattern.slice(base.length + 1) : null;
  const excluded: string[] = [];
  for (const pattern of exclude.map((e) => path.posix.normalize(e))) {
    const rel = below(pattern);
    if (rel === null) {
      note(
        "exclude",
        `\`exclude: ${pattern}\` lies outside the glob's directory \`${base}\`, so it excludes nothing`,
      );
    } else excluded.push(rel);
  }
  const globPart = base === "." ? target : target.slice(base.length + 1);
  const recursive = globPart.includes("**");
  // Python's glob skips names starting with a dot unless the pattern spells the dot.
  if (!globPart.split("/").some((part) => part.startsWith("."))) {
    excluded.push(".*");
    noteAt(
      at,
      `\`${dest}\`: dotbot's glob skips names that start with a dot; the entry excludes \`.*\` to do the same`,
    );
  }
  if (recursive && excluded.some((e) => e !== ".*" && !e.includes("/"))) {
    note(
      "exclude",
      "an `exclude` without `/` matches a name at any depth in linkman, only next to the glob's directory in dotbot",
    );
  }
  // dotbot puts the prefix before each match's path below the glob's directory: the first
  // segment, as `rename.prefix` does.
  const files = withWhen({
    ...entry,
    ...(excluded.length ? { exclude: excluded } : {}),
    ...(prefix ? { rename: { prefix } } : {}),
  });
  if (recursive) return [files];
  // dotbot's `*` matches directories too, each linked whole; linkman's matches files, and a
  // pattern ending in `/` matches directories: one entry for each.
  noteAt(
    at,
    `\`${dest}\`: dotbot's glob matches directories as well as files; a second entry (\`${target}/\`) links the directories`,
  );
  return [files, { ...files, target: `${target}/` }];
}

/**
 * The options most entries share go to `defaults` (where they differ from linkman's own),
 * and each entry keeps only what differs from those.
 */
function factorDefaults(links: Options[]): { defaults?: Options } {
  const defaults: Options = {};
  for (const key of ENTRY_OPTIONS) {
    const counts = new Map<unknown, number>();
    for (const l of links) counts.set(l[key], (counts.get(l[key]) ?? 0) + 1);
    let common: unknown = DEFAULT_OPTIONS[key];
    for (const [value, n] of counts) if (n > (counts.get(common) ?? 0)) common = value;
    if (common !== DEFAULT_OPTIONS[key]) defaults[key] = common;
    for (const l of links) if (l[key] === common) delete l[key];
  }
  for (const l of links) {
    // `exclude`, `rename` and `when` read best after the options.
    for (const key of ["exclude", "rename", "when"]) {
      const value = l[key];
      delete l[key];
      if (value !== undefined) l[key] = value;
    }
  }
  return Object.keys(defaults).length ? { defaults } : {};
}

const UNAME: Record<string, string> = {
  darwin: "darwin",
  linux: "linux",
  freebsd: "freebsd",
  openbsd: "openbsd",
  netbsd: "netbsd",
  sunos: "sunos",
  aix: "aix",
};
const OSTYPE: Record<string, string> = { ...UNAME, "linux-gnu": "linux", solaris: "sunos" };

const word = String.raw`["']?([A-Za-z0-9_.+-]+\*?)["']?`;
const uname = String.raw`(?:"\$\(uname(?: -s)?\)"|\$\(uname(?: -s)?\)|"?\x60uname(?: -s)?\x60"?)`;
const ostype = String.raw`(?:"\$\{?OSTYPE\}?"|\$\{?OSTYPE\}?)`;
const IDIOMS: [RegExp, (m: string) => When | undefined][] = [
  [
    new RegExp(String.raw`^(?:\[\[?|test)\s+${uname}\s+==?\s+${word}\s*(?:\]\]?)?$`),
    (w) => (UNAME[w.toLowerCase()] ? { os: [UNAME[w.toLowerCase()]!] } : undefined),
  ],
  [
    new RegExp(String.raw`^uname(?:\s+-s)?\s*\|\s*grep\s+-qi?\s+${word}$`),
    (w) => (UNAME[w.toLowerCase()] ? { os: [UNAME[w.toLowerCase()]!] } : undefined),
  ],
  [
    new RegExp(String.raw`^(?:\[\[|test|\[)\s+${ostype}\s+==?\s+${word}\s*(?:\]\]?)?$`),
    (w) => {
      const os = OSTYPE[w.toLowerCase().replace(/\*$/, "")];
      return os ? { os: [os] } : undefined;
    },
  ],
  [/^(?:command\s+-v|which|hash|type)\s+([A-Za-z0-9_.+-]+)$/, (name) => ({ command: [name] })],
];

/**
 * The `when` for the shell tests real dotbot configurations use in `if:` (the system's name
 * from uname or $OSTYPE, a command on PATH), joined by `&&`; undefined for anything else.
 */
export function whenFromShell(command: string): When | undefined {
  const when: When = {};
  for (const part of command.split("&&")) {
    const test = part
      .replace(/\s*(?:&>|[12]?>>?)\s*\/dev\/null/g, "")
      .replace(/\s*[12]?>&[12]/g, "")
      .trim();
    const found = IDIOMS.map(([re, make]) => {
      const m = re.exec(test);
      return m?.[1] ? make(m[1]) : undefined;
    }).find(Boolean);
    if (!found) return undefined;
    for (const [key, values] of Object.entries(found)) {
      if (when[key]) return undefined; // `os` twice is a contradiction or a repeat: not an idiom
      when[key] = values;
    }
  }
  return when;
}

/** A shell command in a message: quoted so that its own backticks and quotes read. */
function quote(command: string): string {
  return command.includes("'") ? JSON.stringify(command) : `'${command}'`;
}

/** Notes without repeats: an option in `defaults` is noted once, not for each entry. */
function dedupe(notes: ImportNote[]): ImportNote[] {
  const seen = new Set<string>();
  return notes.filter((n) => {
    const key = `${n.line}:${n.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
