import path from "node:path";
import type { FileSystem } from "../fs/fileSystem.js";
import { nearestExistingDirectory } from "../fs/ensureDirectory.js";
import { errorCode } from "../fs/fileSystem.js";
import type { LinkKind } from "../manifest/manifest.js";
import type { DesiredLink } from "../resolve/desiredLink.js";
import { runToken, temporaryName } from "./temporaries.js";
import { HOW_TO_ALLOW_SYMLINKS, symlinksNeedPrivilege } from "../platform.js";

/** What worked in one directory: each kind of link, or the error code it failed with. */
export interface Probe {
  /** The directory probed (where links go, or the repository). */
  dir: string;
  /** Null when it worked, else the error code (EPERM, EXDEV, EACCES, …). */
  write: string | null;
  symlink: string | null;
  dirSymlink: string | null;
  junction: string | null;
  /** A hard link from a file in the repository into this directory. */
  hardlinkFromRepository: string | null;
}

/** Where Windows' symlink privilege comes from, as far as linkman can tell (null: it cannot). */
export interface SymlinkPrivilege {
  /** Developer Mode is on: every shell may make symlinks. */
  developerMode: boolean | null;
  /** This shell is elevated (an administrator's): it may make symlinks, a normal one may not. */
  elevated: boolean | null;
}

/** A thing this manifest needs that does not work here, and what to do about it. */
export interface Problem {
  message: string;
  hint: string;
}

/** The doctor's findings. */
export interface DoctorReport {
  node: string;
  platform: string;
  arch: string;
  needs: LinkKind[];
  probes: Probe[];
  /** Link directories not probed, beyond the limit. */
  notProbed: number;
  state: { file: string; writable: string | null };
  /** Where symlinks are refused: what `fallback: auto` would make of the symlink entries instead. */
  fallback: { junctions: number; hardlinks: number; withoutFallback: number } | null;
  problems: Problem[];
  /** On Windows: where the symlink privilege comes from. */
  privilege: SymlinkPrivilege | null;
  /** What works now but will not always: symlinks that work only in an elevated shell. */
  notes: Problem[];
}

/** At most this many link directories are probed. */
const MAX_PROBES = 20;

const ok = async (attempt: () => Promise<unknown>): Promise<string | null> => {
  try {
    await attempt();
    return null;
  } catch (error) {
    return errorCode(error) ?? (error instanceof Error ? error.message : String(error));
  }
};

/**
 * Tries every kind of link in a new temporary directory inside `dir`, hard-linking from
 * `source` (a file in the repository), and removes everything it made.
 */
export async function probeDirectory(
  fs: FileSystem,
  dir: string,
  source: string | undefined,
): Promise<Probe> {
  const probe = temporaryName(path.join(dir, "doctor"), runToken());
  const made: string[] = [];
  const write = await ok(() => fs.mkdir(probe));
  const none = {
    symlink: write,
    dirSymlink: write,
    junction: write,
    hardlinkFromRepository: write,
  };
  if (write) return { dir, write, ...none };
  try {
    const file = path.join(probe, "file");
    const sub = path.join(probe, "dir");
    await fs.writeNewFile(file, "linkman doctor\n");
    made.push(file);
    await fs.mkdir(sub);
    const attempt = async (name: string, make: (at: string) => Promise<void>) => {
      const at = path.join(probe, name);
      const result = await ok(() => make(at));
      if (result === null) made.push(at);
      return result;
    };
    return {
      dir,
      write: null,
      symlink: await attempt("symlink", (at) => fs.symlink(file, at, "file")),
      dirSymlink: await attempt("dir-symlink", (at) => fs.symlink(sub, at, "dir")),
      junction: await attempt("junction", (at) => fs.symlink(sub, at, "junction")),
      hardlinkFromRepository: source
        ? await attempt("hardlink", (at) => fs.link(source, at))
        : null,
    };
  } finally {
    for (const p of made.reverse()) await fs.unlink(p).catch(() => undefined);
    await fs.rmdir(path.join(probe, "dir")).catch(() => undefined);
    await fs.rmdir(probe).catch(() => undefined);
  }
}

/**
 * Checks what this machine allows where the manifest needs it: probes the repository and
 * the nearest existing directory of every link, the state directory, and names each
 * needed kind of link that fails, with what to do.
 */
export async function runDoctor(
  fs: FileSystem,
  options: {
    repository: string;
    links: readonly DesiredLink[];
    stateFile: string;
    platform: string;
    /** On Windows: where the symlink privilege comes from (asked of the system by the caller). */
    privilege?: SymlinkPrivilege | null;
  },
): Promise<DoctorReport> {
  const active = options.links.filter((l) => !l.skipped);
  const needs = [...new Set(active.map((l) => l.kind))].sort();
  const linkDirs = [
    ...new Set(
      await Promise.all(active.map((l) => nearestExistingDirectory(fs, path.dirname(l.link)))),
    ),
  ].sort();

  const sourceDir = temporaryName(path.join(options.repository, "doctor-source"), runToken());
  const source = path.join(sourceDir, "file");
  const haveSource =
    (await ok(() => fs.mkdir(sourceDir))) === null &&
    (await ok(() => fs.writeNewFile(source, "x"))) === null;
  const probes: Probe[] = [];
  try {
    probes.push(await probeDirectory(fs, options.repository, undefined));
    for (const dir of linkDirs.slice(0, MAX_PROBES))
      probes.push(await probeDirectory(fs, dir, haveSource ? source : undefined));
  } finally {
    await fs.unlink(source).catch(() => undefined);
    await fs.rmdir(sourceDir).catch(() => undefined);
  }

  const stateDir = await nearestExistingDirectory(fs, path.dirname(options.stateFile));
  const stateProbe = temporaryName(path.join(stateDir, "doctor"), runToken());
  const stateWritable = await ok(() => fs.writeNewFile(stateProbe, ""));
  if (stateWritable === null) await fs.unlink(stateProbe).catch(() => undefined);

  const [repository, ...linkProbes] = probes;
  const fallback = fallbackOf(active);
  const privilege = options.privilege ?? null;
  return {
    node: process.version,
    platform: options.platform,
    arch: process.arch,
    needs,
    probes,
    notProbed: Math.max(0, linkDirs.length - MAX_PROBES),
    state: { file: options.stateFile, writable: stateWritable },
    fallback: linkProbes.some(symlinksRefused) ? fallback : null,
    problems: problemsOf(needs, linkProbes, repository, stateWritable, { ...options, fallback }),
    privilege,
    notes: notesOf(linkProbes, privilege, fallback),
  };
}

/** What `fallback: auto` makes of each symlink entry where symlinks are refused: a junction for a directory, a hard link for a file. */
function fallbackOf(links: readonly DesiredLink[]): NonNullable<DoctorReport["fallback"]> {
  const symlinks = links.filter((l) => l.kind === "symlink");
  const auto = symlinks.filter((l) => l.options.fallback === "auto");
  return {
    junctions: auto.filter((l) => l.targetType === "directory").length,
    hardlinks: auto.filter((l) => l.targetType !== "directory").length,
    withoutFallback: symlinks.length - auto.length,
  };
}

/** Symlinks that work only because this shell is elevated fail in a normal one: worth a word. */
function notesOf(
  linkProbes: Probe[],
  privilege: SymlinkPrivilege | null,
  fallback: NonNullable<DoctorReport["fallback"]>,
): Problem[] {
  const onlyElevated = privilege?.elevated === true && privilege.developerMode === false;
  if (!onlyElevated || fallback.withoutFallback === 0 || linkProbes.some(symlinksRefused))
    return [];
  return [
    {
      message:
        "symlinks work here only because this shell is elevated; in a normal shell they will be refused",
      hint: "turn on Developer Mode (Settings → System → For developers) so every shell may make them, or set `fallback: auto`",
    },
  ];
}

const symlinksRefused = (p: Probe) => p.symlink !== null || p.dirSymlink !== null;

function problemsOf(
  needs: LinkKind[],
  linkProbes: Probe[],
  repository: Probe | undefined,
  stateWritable: string | null,
  options: {
    stateFile: string;
    platform: string;
    fallback: NonNullable<DoctorReport["fallback"]>;
  },
): Problem[] {
  const problems: Problem[] = [];
  const privileged = symlinksNeedPrivilege(options.platform);
  const { fallback } = options;
  if (repository?.write) {
    problems.push({
      message: `cannot write in the repository ${repository.dir} (${repository.write})`,
      hint: "check its permissions",
    });
  }
  for (const p of linkProbes) {
    if (p.write) {
      problems.push({
        message: `cannot create anything in ${p.dir} (${p.write})`,
        hint: "check the directory's permissions",
      });
      continue;
    }
    // Where symlinks are refused, fallback: auto needs junctions and hard links instead.
    const refused = symlinksRefused(p);
    const byFallback = (n: number) =>
      refused && n > 0 ? " (fallback: auto makes them where symlinks are refused)" : "";
    if (needs.includes("symlink") && refused && fallback.withoutFallback > 0) {
      problems.push({
        message: `symlinks cannot be made in ${p.dir} (${p.symlink ?? p.dirSymlink})`,
        hint: privileged
          ? `${HOW_TO_ALLOW_SYMLINKS}; or set \`fallback: auto\` to make junctions and hard links instead`
          : "this filesystem does not support symlinks; link into another one, or use `kind: hardlink` for files",
      });
    }
    if ((needs.includes("junction") || byFallback(fallback.junctions)) && p.junction) {
      problems.push({
        message: `junctions cannot be made in ${p.dir} (${p.junction})${byFallback(fallback.junctions)}`,
        hint: "use `kind: symlink` for these directories",
      });
    }
    const hardlinksByFallback = byFallback(fallback.hardlinks);
    if ((needs.includes("hardlink") || hardlinksByFallback) && p.hardlinkFromRepository) {
      problems.push({
        message: `hard links from the repository cannot be made in ${p.dir} (${p.hardlinkFromRepository})${hardlinksByFallback}`,
        hint: hardlinksByFallback
          ? `${p.hardlinkFromRepository === "EXDEV" ? "the repository is on another volume: keep it on the same one, or " : ""}${privileged ? HOW_TO_ALLOW_SYMLINKS : "link into a filesystem with symlinks"}, so no fallback is needed`
          : p.hardlinkFromRepository === "EXDEV"
            ? "the repository is on another volume: keep it on the same one, or use `kind: symlink`"
            : "use `kind: symlink` for these files",
      });
    }
  }
  if (stateWritable) {
    problems.push({
      message: `the state directory for ${options.stateFile} is not writable (${stateWritable})`,
      hint: "set XDG_STATE_HOME to a writable directory, or pass --state FILE",
    });
  }
  return problems;
}
