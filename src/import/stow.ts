import path from "node:path";
import { stringify } from "yaml";
import type { Diagnostic, Result } from "../diagnostic.js";
import { fail, ok } from "../diagnostic.js";
import type { FileSystem } from "../fs/fileSystem.js";
import { isMissing, readTextFile, statIfExists } from "../fs/fileSystem.js";
import { MANIFEST_NAMES } from "../manifest/find.js";
import { MAX_GLOB_ENTRIES, parseGlob } from "../resolve/glob.js";
import { dotPrefixed, dotPrefixedSegment } from "../resolve/rename.js";
import { importedHeader, type Imported, type ImportNote } from "./dotbot.js";

/**
 * Stow's built-in ignore list (used when a package has no `.stow-local-ignore` and there is
 * no `~/.stow-global-ignore`), as Perl regexes: one without `/` matches a whole name, one
 * with `/` a path below the package.
 */
export const STOW_DEFAULT_IGNORE = [
  "RCS",
  ".+,v",
  "CVS",
  "\\.\\#.+",
  "\\.cvsignore",
  "\\.svn",
  "_darcs",
  "\\.hg",
  "\\.git",
  "\\.gitignore",
  "\\.gitmodules",
  ".+~",
  "\\#.*\\#",
  "^/README.*",
  "^/LICENSE.*",
  "^/COPYING",
];

/** How to import: the stow directory, the packages, and Stow's options that change the links. */
export interface StowImport {
  dir: string;
  packages: readonly string[];
  /** Stow's --dotfiles: a `dot-name` in the package becomes `.name` in the target. */
  dotfiles: boolean;
  /** Stow's -t: where the links go (Stow's default: the stow directory's parent). */
  target?: string | undefined;
  homedir: string;
  /** Where Stow would look for `.stowrc` besides the home. */
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
}

/** One ignore regex and where it was written. */
interface Rule {
  regex: string;
  /** The file and line it comes from; undefined for Stow's built-in list. */
  file?: string;
  line?: number;
  /** `name`: a regex without `/`, matched against a whole name; `path`: against `/path`; `suffix`: --ignore, against the end of the path. */
  on: "name" | "path" | "suffix";
  test: RegExp;
}

/** What one package holds, as Stow walks it. */
interface Walked {
  /** For each rule (by index), the paths it leaves out now, below the package. */
  ignored: Map<number, string[]>;
  /** Symlinks below the package that are not ignored. */
  symlinks: string[];
  /** A `.git` that no rule ignores: Stow would link what it holds; a glob never does. */
  git: string[];
}

/**
 * The manifest that links Stow packages the way `stow --no-folding` would: one glob entry
 * per package, with relative links as Stow makes them. It reads Stow's ignore lists and
 * `.stowrc` as Stow does; `--dotfiles` becomes the entry's `rename: { dotPrefix: true }`;
 * symlinks in a package, which Stow links themselves, get an entry each. Meant to be saved
 * in the stow directory.
 */
export async function convertStow(fs: FileSystem, options: StowImport): Promise<Result<Imported>> {
  const { dir, packages, homedir } = options;
  const notes: ImportNote[] = [];
  const show = (file: string) =>
    file.startsWith(dir + path.sep)
      ? path.relative(dir, file)
      : file.startsWith(homedir + path.sep)
        ? `~/${path.relative(homedir, file)}`
        : file;
  const note = (message: string, file?: string, line?: number) =>
    notes.push({
      line: undefined,
      message: file ? `${show(file)}${line ? ` line ${line}` : ""}: ${message}` : message,
    });

  const rc = await readStowrc(fs, options, note);
  if (!rc.ok) return rc;
  const dotfiles = options.dotfiles || rc.value.dotfiles;
  const targetDir = options.target ?? rc.value.target ?? path.dirname(dir);
  if (rc.value.dir && rc.value.dir !== dir) {
    note(`the stow directory on the command line (${dir}) wins over .stowrc's --dir, as in Stow`);
  }

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

  const shown = escapeVars(
    targetDir === homedir
      ? "~"
      : targetDir.startsWith(homedir + path.sep)
        ? `~${targetDir.slice(homedir.length)}`
        : targetDir,
  );
  const links: Record<string, unknown>[] = [];
  const errors: Diagnostic[] = [];
  for (const pkg of packages) {
    const root = path.resolve(dir, pkg);
    const rules = await ignoreRules(fs, root, homedir, rc.value.ignore, errors);
    if (!rules) continue;
    let walked: Walked;
    try {
      walked = await walkPackage(fs, root, rules, dotfiles);
    } catch (error) {
      const code = (error as { code?: string }).code;
      const where = (error as { path?: string }).path ?? root;
      errors.push({
        file: where,
        path: "",
        message: code ? `cannot read the package: ${code}` : (error as Error).message,
      });
      continue;
    }
    const prefix = pkg === "." || root === dir ? "" : `${pkg}/`;
    const exclude: string[] = [];
    const add = (glob: string) => {
      if (!exclude.includes(glob)) exclude.push(glob);
    };
    rules.forEach((rule, i) => {
      const glob = translate(rule, dotfiles);
      const now = walked.ignored.get(i) ?? [];
      if (glob !== undefined) {
        add(glob);
        if (rule.file) note(`\`${rule.regex}\` → exclude \`${glob}\``, rule.file, rule.line);
        return;
      }
      now.forEach((p) => add(`/${escapeGlob(p)}`));
      const what = now.length > 0 ? now.map((p) => prefix + p).join(", ") : "nothing";
      note(
        `\`${rule.regex}\` has no exact glob; ${pkg}'s entry excludes what it matches now (${what}): a snapshot, so a file added later that it matches would be linked; run the import again after adding one`,
        rule.file,
        rule.line,
      );
    });
    // `stow .`: the package is the stow directory, where the manifest is saved.
    if (root === dir) {
      for (const name of MANIFEST_NAMES) if (name !== "package.json") add(`/${name}`);
    }
    for (const g of walked.git) {
      note(
        `${prefix}${g} is not in the ignore list, so Stow would link what it holds; linkman never links a .git`,
      );
    }
    const symlinks: Record<string, unknown>[] = [];
    for (const rel of walked.symlinks) {
      add(`/${escapeGlob(rel)}`);
      const entry = await symlinkEntry(fs, root, rel, `${shown}/`, prefix, dotfiles);
      if (typeof entry === "string") note(entry);
      else symlinks.push(entry);
    }
    if (symlinks.length > 0) {
      note(
        `${pkg} holds symlinks; Stow links each symlink itself, so each has its own entry (and the glob leaves it out); a glob does not link a symlink added later that way: run the import again after adding one`,
      );
    }
    links.push({
      link: `${shown}/`,
      target: `${escapeVars(escapeGlob(prefix))}**`,
      exclude,
      ...(dotfiles ? { rename: { dotPrefix: true } } : {}),
    });
    links.push(...symlinks);
  }
  if (errors.length > 0) return fail(errors);
  const manifest =
    importedHeader(packages.join(", "), "stow") +
    `# Save it in ${dir}.\n` +
    stringify({ version: 1, defaults: { relative: true }, links }, { lineWidth: 0 });
  // The --ignore rules of .stowrc are every package's, and would be noted once per package.
  const unique = [...new Map(notes.map((n) => [n.message, n])).values()];
  return ok({ manifest, notes: unique });
}

interface Stowrc {
  ignore: Rule[];
  target?: string;
  dir?: string;
  dotfiles: boolean;
}

/** Stow's options that are fine to meet in `.stowrc` but change nothing here. */
const HARMLESS = new Set(["--no-folding", "-S", "--stow", "-R", "--restow"]);

/**
 * `~/.stowrc` then `.stowrc` in the current directory, read as Stow reads them: the words of
 * each line are command-line options, later ones win; `~` and variables are expanded in
 * --target and --dir. What the import does not use is noted with its line.
 */
async function readStowrc(
  fs: FileSystem,
  options: StowImport,
  note: (message: string, file?: string, line?: number) => void,
): Promise<Result<Stowrc>> {
  const rc: Stowrc = { ignore: [], dotfiles: false };
  const files = [path.join(options.homedir, ".stowrc"), path.resolve(options.cwd, ".stowrc")];
  const errors: Diagnostic[] = [];
  const inDir = path.join(options.dir, ".stowrc");
  if (!files.includes(inDir) && (await statIfExists(fs, inDir))) {
    note(
      "is not read: Stow reads .stowrc from the current directory and the home only; run the import from the stow directory to use it",
      inDir,
    );
  }
  for (const file of new Set(files)) {
    const text = await readIfExists(fs, file);
    if (text === undefined) continue;
    text.split(/\r?\n/).forEach((lineText, i) => {
      const line = i + 1;
      const words = shellWords(lineText);
      for (let w = 0; w < words.length; w++) {
        const word = words[w] ?? "";
        const long = /^(--[a-z-]+)(?:=(.*))?$/s.exec(word);
        const short = /^-([td])(.*)$/s.exec(word);
        const name = long ? long[1] : short ? `-${short[1]}` : word;
        const takesValue = ["--ignore", "--target", "--dir", "-t", "-d"].includes(name ?? "");
        let value = long ? long[2] : short ? short[2] || undefined : undefined;
        if (takesValue && value === undefined) value = words[++w];
        if (takesValue && value === undefined) {
          note(`\`${word}\` has no value and is not used`, file, line);
        } else if (name === "--ignore") {
          const rule = compileRule(value ?? "", "suffix", file, line);
          if (rule instanceof Error) errors.push(badRegex(rule, file, line));
          else rc.ignore.push(rule);
        } else if (name === "--target" || name === "-t") {
          rc.target = path.resolve(options.cwd, expandRcPath(value ?? "", options));
        } else if (name === "--dir" || name === "-d") {
          rc.dir = path.resolve(options.cwd, expandRcPath(value ?? "", options));
        } else if (name === "--dotfiles") {
          rc.dotfiles = true;
        } else if (!HARMLESS.has(name ?? "")) {
          note(
            word.startsWith("-")
              ? `\`${word}\` is not used by the import`
              : `\`${word}\` is not used: Stow ignores packages named in .stowrc too`,
            file,
            line,
          );
        }
      }
    });
  }
  return errors.length > 0 ? fail(errors) : ok(rc);
}

/** `~` and `$VAR` / `${VAR}` in a .stowrc path, as Stow expands them. */
function expandRcPath(value: string, options: StowImport): string {
  const vars = value.replace(
    /\$\{(\w+)\}|\$(\w+)/g,
    (_m, a?: string, b?: string) => options.env[a ?? b ?? ""] ?? "",
  );
  return vars === "~" || vars.startsWith("~/") ? options.homedir + vars.slice(1) : vars;
}

/** A line split into words as a shell would (quotes and backslashes), which is how Stow reads .stowrc. */
function shellWords(line: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i] ?? "";
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === "\\" && quote === '"' && i + 1 < line.length) word += line[++i] ?? "";
      else word += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      word ??= "";
    } else if (c === "\\" && i + 1 < line.length) {
      word = (word ?? "") + (line[++i] ?? "");
    } else if (/\s/.test(c)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else if (c === "#" && word === undefined) {
      break;
    } else word = (word ?? "") + c;
  }
  if (word !== undefined) words.push(word);
  return words;
}

/**
 * The ignore rules of one package, as Stow picks them: its `.stow-local-ignore`, else
 * `~/.stow-global-ignore`, else the built-in list (a list replaces the built-in one, it
 * does not add to it); then `.stow-local-ignore` itself, then --ignore from .stowrc.
 */
async function ignoreRules(
  fs: FileSystem,
  root: string,
  homedir: string,
  extra: readonly Rule[],
  errors: Diagnostic[],
): Promise<Rule[] | undefined> {
  const rules: Rule[] = [];
  let ok = true;
  const addLine = (regex: string, file?: string, line?: number) => {
    const rule = compileRule(regex, regex.includes("/") ? "path" : "name", file, line);
    if (rule instanceof Error) {
      errors.push(badRegex(rule, file ?? root, line));
      ok = false;
    } else rules.push(rule);
  };
  let list: { file: string; text: string } | undefined;
  for (const file of [
    path.join(root, ".stow-local-ignore"),
    path.join(homedir, ".stow-global-ignore"),
  ]) {
    const text = await readIfExists(fs, file);
    if (text !== undefined) {
      list = { file, text };
      break;
    }
  }
  if (list) {
    list.text.split(/\r?\n/).forEach((raw, i) => {
      // Stow's reading: trim, skip comment lines, drop a comment after spaces, `\#` is `#`.
      let text = raw.trim();
      if (text === "" || text.startsWith("#")) return;
      text = text.replace(/\s+#.+/, "").replace(/\\#/g, "#");
      addLine(text, list.file, i + 1);
    });
  } else STOW_DEFAULT_IGNORE.forEach((regex) => addLine(regex.replace(/\\#/g, "#")));
  addLine("^/\\.stow-local-ignore$");
  rules.push(...extra);
  return ok ? rules : undefined;
}

/**
 * A regex of an ignore list compiled as Stow applies it: against a whole name, against
 * `/path` between path boundaries, or (--ignore) against the end of the path. Perl and
 * JavaScript agree on the regexes ignore lists hold; one JavaScript cannot read is refused,
 * and so is a repeated group.
 */
function compileRule(regex: string, on: Rule["on"], file?: string, line?: number): Rule | Error {
  // Backtracking engines (Perl's and JavaScript's) can take exponential time on a repeated
  // group (`(a|aa)*`, `(a+)+`); ignore lists have no need of one.
  if (/(?<!\\)\)[*+{]/.test(regex)) {
    return new Error(
      `\`${regex}\` repeats a group, which can take exponential time on a long name; write it without repeating a group`,
    );
  }
  const source =
    on === "name"
      ? `^(?:${regex})$`
      : on === "path"
        ? `(?:^|/)(?:${regex})(?:/|$)`
        : `(?:${regex})$`;
  try {
    return {
      regex,
      on,
      test: new RegExp(source),
      ...(file ? { file } : {}),
      ...(line ? { line } : {}),
    };
  } catch (error) {
    return new Error(
      `\`${regex}\` is not a regular expression linkman can read: ${(error as Error).message}`,
    );
  }
}

function badRegex(error: Error, file: string, line?: number): Diagnostic {
  return { file, ...(line ? { line, column: 1 } : {}), path: "", message: error.message };
}

/**
 * Walks a package as Stow does: each name is checked against the rules with the path Stow
 * checks (below the package; with --dotfiles the directories above it already renamed),
 * and an ignored directory is not entered. Symlinks are not followed.
 */
async function walkPackage(
  fs: FileSystem,
  root: string,
  rules: readonly Rule[],
  dotfiles: boolean,
): Promise<Walked> {
  const walked: Walked = { ignored: new Map(), symlinks: [], git: [] };
  let seen = 0;
  const walk = async (dir: string, rel: string, stowRel: string) => {
    const entries = await fs.readdir(dir);
    seen += entries.length;
    if (seen > MAX_GLOB_ENTRIES)
      throw new Error(`the package holds more than ${MAX_GLOB_ENTRIES} entries`);
    for (const entry of [...entries].sort((a, b) =>
      a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
    )) {
      const r = rel ? `${rel}/${entry.name}` : entry.name;
      const checked = stowRel ? `${stowRel}/${entry.name}` : entry.name;
      const hit = rules.findIndex((rule) =>
        rule.test.test(
          rule.on === "name" ? entry.name : rule.on === "path" ? `/${checked}` : checked,
        ),
      );
      if (hit >= 0) {
        walked.ignored.set(hit, [...(walked.ignored.get(hit) ?? []), r]);
      } else if (entry.name === ".git") {
        walked.git.push(r);
      } else if (entry.type === "symlink") {
        walked.symlinks.push(r);
      } else if (entry.type === "directory") {
        const renamed = dotfiles ? dotPrefixedSegment(entry.name) : entry.name;
        await walk(path.join(dir, entry.name), r, stowRel ? `${stowRel}/${renamed}` : renamed);
      }
    }
  };
  await walk(root, "", "");
  return walked;
}

/** The `exclude` glob that leaves out exactly what a line of an ignore list does, if there is one. */
export function ignoreListGlob(regex: string, dotfiles = false): string | undefined {
  const rule = compileRule(regex, regex.includes("/") ? "path" : "name");
  return rule instanceof Error ? undefined : translate(rule, dotfiles);
}

/**
 * An `exclude` glob that leaves out exactly what a rule does, or undefined where none
 * does. Exact: literal names (`\.`-escaped), `^`/`$` anchors, `.*` (and `.+`, `.`) within a
 * name; in a regex with `/`, a wildcard only as a final `.*`, since elsewhere `.` also
 * matches `/`. With --dotfiles a path of several names is never exact: Stow checks it with
 * the directories above already renamed.
 */
function translate(rule: Rule, dotfiles: boolean): string | undefined {
  const re = rule.regex.replace(/(?<!\\)\$$/, "");
  if (rule.on === "name") return globOf(re.replace(/^\^/, ""), "any") || undefined;
  if (rule.on === "suffix") {
    // `(re)$` against the whole path: a literal without `/` is the end of the name.
    if (re.includes("/")) return undefined;
    const body = globOf(re, "none");
    return body ? `*${body}` : undefined;
  }
  const anchored = /^\^?\//.test(re);
  // Stow wraps it in `(^|/)(…)`, so a `^` not followed by `/` can never match.
  if (!anchored && re.startsWith("^")) return undefined;
  const rest = re.replace(/^\^?\//, "");
  if (dotfiles && rest.includes("/")) return undefined;
  const body = globOf(rest, "finalStar");
  // An empty name (`//`, a leading or trailing `/`) never matches a path Stow checks.
  if (!body || body.split("/").includes("")) return undefined;
  return anchored ? `/${body}` : `**/${body}`;
}

/**
 * A regex of literal characters and `.` wildcards as a glob, or undefined. `allow` says
 * which wildcards are exact: any (`.` → `?`, `.*` → `*`, `.+` → `?*`), a final `.*` only, or none.
 */
function globOf(re: string, allow: "any" | "finalStar" | "none"): string | undefined {
  let glob = "";
  for (let i = 0; i < re.length; i++) {
    const c = re[i] ?? "";
    if (c === "\\") {
      const next = re[i + 1];
      if (next === undefined || /[A-Za-z0-9]/.test(next)) return undefined;
      glob += escapeGlob(next);
      i++;
    } else if (c === ".") {
      const q = re[i + 1];
      const finalStar = q === "*" && i + 2 === re.length;
      if (allow === "none" || (allow === "finalStar" && !finalStar)) return undefined;
      glob += q === "*" ? "*" : q === "+" ? "?*" : "?";
      if (q === "*" || q === "+") i++;
    } else if ("[](){}|?*+^$".includes(c)) {
      return undefined;
    } else glob += escapeGlob(c);
  }
  return glob;
}

/** An entry for a symlink in a package, linked itself as Stow does, or why it cannot have one. */
async function symlinkEntry(
  fs: FileSystem,
  root: string,
  rel: string,
  linkDir: string,
  prefix: string,
  dotfiles: boolean,
): Promise<Record<string, unknown> | string> {
  const link = `${linkDir}${escapeVars(dotfiles ? dotPrefixed(rel) : rel)}`;
  const target = `${escapeVars(prefix + rel)}`;
  if (parseGlob(target) || parseGlob(link)) {
    return `${prefix}${rel} is a symlink whose name holds glob characters; it is left out: add an entry for it by hand`;
  }
  const text = await fs.readlink(path.join(root, rel));
  const dangling = !(await statIfExists(fs, path.join(root, rel)));
  if (path.isAbsolute(text)) {
    return `${prefix}${rel} is an absolute symlink, which Stow refuses to stow (it aborts); it is left out`;
  }
  return { link, target, ...(dangling ? { ifMissing: "link" } : {}) };
}

/** A path's text as a glob that matches only that path. */
function escapeGlob(text: string): string {
  return text.replace(/[*?[\]{}()\\]|[!+@](?=\()/g, (c) => `\\${c}`);
}

/** A path's text with `$` doubled, so the manifest does not expand it. */
function escapeVars(text: string): string {
  return text.replace(/\$/g, "$$$$");
}

/** A file's text, or undefined when it does not exist. */
async function readIfExists(fs: FileSystem, file: string): Promise<string | undefined> {
  try {
    return await readTextFile(fs, file);
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw error;
  }
}
