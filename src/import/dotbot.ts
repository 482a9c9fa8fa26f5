import path from "node:path";
import { stringify } from "yaml";
import type { Diagnostic, Result } from "../diagnostic.js";
import { fail, ok } from "../diagnostic.js";
import { parseSource, type KeyPath } from "../manifest/source.js";
import { schemaPath } from "../packageInfo.js";
import { parseGlob } from "../resolve/glob.js";

/** The first lines of an imported manifest: the schema for editors, and where it came from. */
export function importedHeader(from: string, tool: string): string {
  return `# yaml-language-server: $schema=${schemaPath()}\n# Converted from ${from} by \`linkman import ${tool}\`. Check it with \`linkman plan\` before applying.\n`;
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

const DEFAULT_OPTION_KEYS: Record<string, (value: unknown, note: (m: string) => void) => Options> =
  {
    create: (v) => ({ mkdirs: v === true }),
    relink: () => ({}),
    force: (v, note) => {
      if (v !== true) return {};
      note(
        "`force: true` became `onConflict: backup`: linkman moves a file in the way to a backup instead of deleting it",
      );
      return { onConflict: "backup" };
    },
    relative: (v) => ({ relative: v === true }),
    "ignore-missing": (v) => (v === true ? { ifMissing: "skip" } : {}),
    type: (v) => (v === "hardlink" ? { kind: "hardlink" } : {}),
    canonicalize: () => ({}),
    glob: () => ({}),
  };

/**
 * Converts a dotbot configuration (`install.conf.yaml`) into a linkman manifest: the `link`
 * directive with its options and `defaults`. What cannot be converted (`if`, `shell`,
 * `create`, `prefix`) is listed with its line; entries with `if:` are left out, not linked
 * unconditionally.
 */
export function convertDotbot(file: string, text: string): Result<Imported> {
  const parsed = parseSource(file, text);
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
  const notes: ImportNote[] = [];
  const noteAt =
    (at: KeyPath): Note =>
    (message, option) =>
      notes.push({ line: src.placeOf(option ? [...at, option] : at, { key: true }).line, message });
  const errors: Diagnostic[] = [];
  let defaults: Options = {};
  const links: Options[] = [];

  src.value.forEach((directive: unknown, i: number) => {
    if (directive === null || typeof directive !== "object" || Array.isArray(directive)) {
      errors.push({
        ...src.placeOf([i]),
        path: `[${i}]`,
        message: "expected a directive such as `link:`",
      });
      return;
    }
    for (const [name, body] of Object.entries(directive as Record<string, unknown>)) {
      const at: KeyPath = [i, name];
      switch (name) {
        case "defaults": {
          const link = (body as { link?: unknown } | null)?.link;
          if (link && typeof link === "object")
            defaults = { ...defaults, ...convertOptions(link as Options, noteAt([...at, "link"])) };
          break;
        }
        case "link":
          if (body && typeof body === "object") {
            for (const [dest, spec] of Object.entries(body as Record<string, unknown>)) {
              const entry = convertLink(dest, spec, noteAt([...at, dest]));
              if (entry) links.push(entry);
            }
          }
          break;
        case "clean":
          noteAt(at)(
            "`clean` is not converted: `linkman prune` removes the links linkman made that the manifest no longer lists",
          );
          break;
        case "create":
          noteAt(at)(
            "`create` is not converted: linkman creates the directories its links need; make other directories in your install script",
          );
          break;
        case "shell":
          noteAt(at)(
            "`shell` is not converted: linkman runs no commands; keep them in your install script",
          );
          break;
        default:
          noteAt(at)(`\`${name}\` is not a directive linkman knows; it was left out`);
      }
    }
  });
  if (errors.length > 0) return fail(errors);
  if (links.length > 0) {
    notes.push({
      line: undefined,
      message:
        "linkman replaces symlinks that point elsewhere (what dotbot's `relink: true` does); files are never replaced without `onConflict: backup` or --force",
    });
  }
  const manifest = {
    version: 1,
    ...(Object.keys(defaults).length ? { defaults } : {}),
    links,
  };
  return ok({
    manifest: importedHeader(path.basename(file), "dotbot") + stringify(manifest, { lineWidth: 0 }),
    notes,
  });
}

/** One dotbot link: `dest: src`, `dest:` (the destination's name without its dot), or `dest: { path, … }`. */
/** Records a note at an entry, or at one of its options. */
type Note = (message: string, option?: string) => void;

function convertLink(dest: string, spec: unknown, note: Note): Options | undefined {
  const options = spec && typeof spec === "object" ? (spec as Options) : {};
  if (options.if !== undefined) {
    note(
      `\`${dest}\` was left out: its \`if: ${String(options.if)}\` runs a shell command; rewrite it as \`when:\` (os, host, profile, env)`,
      "if",
    );
    return undefined;
  }
  if (options.prefix !== undefined) {
    note(
      `\`${dest}\`: \`prefix: ${String(options.prefix)}\` is not converted (linkman keeps the names of glob matches); link a directory instead`,
      "prefix",
    );
  }
  const written =
    typeof spec === "string" ? spec : typeof options.path === "string" ? options.path : null;
  // dotbot's rule for an empty source: the destination's name, without a leading dot.
  const target = written ?? path.basename(dest).replace(/^\./, "");
  const entry: Options = { link: dest, target, ...convertOptions(options, note) };
  const exclude = options.exclude;
  if (Array.isArray(exclude) && exclude.length > 0) {
    const base = parseGlob(target)?.base ?? "";
    entry.exclude = exclude
      .map((e) => String(e))
      .map((e) => (base && e.startsWith(`${base}/`) ? e.slice(base.length + 1) : e));
  }
  return entry;
}

function convertOptions(options: Options, note: Note): Options {
  let out: Options = {};
  for (const [key, value] of Object.entries(options)) {
    const convert = DEFAULT_OPTION_KEYS[key];
    if (convert) out = { ...out, ...convert(value, (message) => note(message, key)) };
  }
  return out;
}
