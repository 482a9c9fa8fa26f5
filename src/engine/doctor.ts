import path from "node:path";
import type { FileSystem } from "../fs/fileSystem.js";
import { nearestExistingDirectory } from "../fs/ensureDirectory.js";
import { errorCode } from "../fs/fileSystem.js";
import type { LinkKind } from "../manifest/manifest.js";
import type { DesiredLink } from "../resolve/desiredLink.js";
import { runToken } from "./temporaries.js";
import type { Root } from "./roots.js";
import { HOW_TO_ALLOW_SYMLINKS, isInside, samePath, symlinksNeedPrivilege } from "../platform.js";

/** What worked in one directory: each kind of link, or the error code it failed with. */
export interface Probe {
  /** The directory probed (where links go, or the repository). */
  dir: string;
  /** Why nothing was tried here (the directory lies outside the roots), or null. */
  notChecked: string | null;
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
  state: { file: string; writable: string | null; notChecked: string | null };
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

/** Why a directory is not probed: linkman writes only inside its roots (SPEC rule 5). */
export const OUTSIDE_ROOTS = "outside the roots";

/**
 * The names of the doctor's probes: `.linkman-doctor-TOKEN-ROLE`, side by side in the
 * probed directory (never a tree), so a killed run's leftovers are recognisable and each
 * can be removed by its exact name.
 */
const PROBE_NAME =
  /^\.linkman-doctor-[0-9a-f]{12}-(file|dir|symlink|dir-symlink|junction|hardlink|source|state)$/;
const probeName = (dir: string, token: string, role: string) =>
  path.join(dir, `.linkman-doctor-${token}-${role}`);

/** A probe left by a run killed more than this long ago is swept; a younger one may be another run's. */
const LEFTOVER_AGE_MS = 60_000;

const ok = async (attempt: () => Promise<unknown>): Promise<string | null> => {
  try {
    await attempt();
    return null;
  } catch (error) {
    return errorCode(error) ?? (error instanceof Error ? error.message : String(error));
  }
};

/** Where the doctor may write: the roots, and the directories linkman owns (the state's). */
interface Allowed {
  roots: readonly Root[];
  own: readonly string[];
  platform: string;
}

/**
 * The real path of `dir` if it lies inside the roots (or is one of linkman's own
 * directories), else undefined. Asked right before writing, and the probe is then made
 * under that real path, so a symlinked directory cannot lead it elsewhere.
 */
async function realInside(
  fs: FileSystem,
  dir: string,
  allowed: Allowed,
): Promise<string | undefined> {
  const real = await fs.realpath(dir).catch(() => undefined);
  if (real === undefined) return undefined;
  const { platform } = allowed;
  const inside =
    allowed.roots.some(
      (r) => samePath(real, r.real, platform) || isInside(real, r.real, platform),
    ) || allowed.own.some((d) => samePath(real, d, platform));
  return inside ? real : undefined;
}

/** Removes the doctor's own leftovers in `dir` from a killed run: files and links of its exact names, and its empty directory. */
async function sweepLeftovers(fs: FileSystem, dir: string): Promise<void> {
  const names = await fs.readdir(dir).catch(() => []);
  const leftovers = names.filter((e) => PROBE_NAME.test(e.name));
  // Links and files first, so the (always empty) probe directory can then go with rmdir.
  leftovers.sort((a, b) => Number(a.type === "directory") - Number(b.type === "directory"));
  for (const { name } of leftovers) {
    const p = path.join(dir, name);
    const found = await fs.lstat(p).catch(() => undefined);
    if (!found || Date.now() - found.mtimeMs < LEFTOVER_AGE_MS) continue;
    await (found.type === "directory" ? fs.rmdir(p) : fs.unlink(p)).catch(() => undefined);
  }
}

/**
 * Tries every kind of link in `dir`, hard-linking from `source` (a file in the repository),
 * and removes everything it made. Nothing is tried where `dir` really lies outside the roots.
 */
async function probeDirectory(
  fs: FileSystem,
  dir: string,
  source: string | undefined,
  allowed: Allowed,
  token: string,
): Promise<Probe> {
  const untried = { symlink: null, dirSymlink: null, junction: null, hardlinkFromRepository: null };
  const real = await realInside(fs, dir, allowed);
  if (!real) return { dir, notChecked: OUTSIDE_ROOTS, write: null, ...untried };
  await sweepLeftovers(fs, real);
  const at = (role: string) => probeName(real, token, role);
  const made: string[] = [];
  const write = await ok(() => fs.writeNewFile(at("file"), "linkman doctor\n"));
  if (write) {
    const failed = {
      symlink: write,
      dirSymlink: write,
      junction: write,
      hardlinkFromRepository: write,
    };
    return { dir, notChecked: null, write, ...failed };
  }
  made.push(at("file"));
  const sub = at("dir");
  const haveSub = (await ok(() => fs.mkdir(sub))) === null;
  try {
    const attempt = async (role: string, make: (p: string) => Promise<void>) => {
      const result = await ok(() => make(at(role)));
      if (result === null) made.push(at(role));
      return result;
    };
    return {
      dir,
      notChecked: null,
      write: null,
      symlink: await attempt("symlink", (p) => fs.symlink(at("file"), p, "file")),
      dirSymlink: await attempt("dir-symlink", (p) => fs.symlink(sub, p, "dir")),
      junction: await attempt("junction", (p) => fs.symlink(sub, p, "junction")),
      hardlinkFromRepository: source ? await attempt("hardlink", (p) => fs.link(source, p)) : null,
    };
  } finally {
    for (const p of made.reverse()) await fs.unlink(p).catch(() => undefined);
    if (haveSub) await fs.rmdir(sub).catch(() => undefined);
  }
}

/**
 * Checks what this machine allows where the manifest needs it: probes the repository and
 * the nearest existing directory of every link, the state directory, and names each
 * needed kind of link that fails, with what to do. It writes only inside the roots (home,
 * the manifest's directory, each `--allow-outside`) and the state directory; a directory
 * outside them is reported as not checked.
 */
export async function runDoctor(
  fs: FileSystem,
  options: {
    repository: string;
    links: readonly DesiredLink[];
    stateFile: string;
    platform: string;
    /** As `process.arch` names it. */
    arch: string;
    /** Where linkman may write: from `rootsFor`. */
    roots: readonly Root[];
    /** On Windows: where the symlink privilege comes from (asked of the system by the caller). */
    privilege?: SymlinkPrivilege | null;
    /** The linked git hooks will not run (`core.hooksPath` is set), and how to fix it. */
    hooksNotRun?: { message: string; fix: string } | undefined;
  },
): Promise<DoctorReport> {
  const active = options.links.filter((l) => !l.skipped);
  const needs = [...new Set(active.map((l) => l.kind))].sort();
  const linkDirs = [
    ...new Set(
      await Promise.all(active.map((l) => nearestExistingDirectory(fs, path.dirname(l.link)))),
    ),
  ].sort();
  const stateDir = path.dirname(options.stateFile);
  const allowed: Allowed = {
    roots: options.roots,
    own: [await fs.realpath(stateDir).catch(() => stateDir)],
    platform: options.platform,
  };
  const token = runToken();

  const repository = await realInside(fs, options.repository, allowed);
  const source = repository && probeName(repository, token, "source");
  const haveSource =
    source !== undefined && (await ok(() => fs.writeNewFile(source, "x"))) === null;
  const probes: Probe[] = [];
  try {
    probes.push(await probeDirectory(fs, options.repository, undefined, allowed, token));
    for (const dir of linkDirs.slice(0, MAX_PROBES))
      probes.push(await probeDirectory(fs, dir, haveSource ? source : undefined, allowed, token));
  } finally {
    if (haveSource) await fs.unlink(source).catch(() => undefined);
  }

  const state = await probeState(fs, stateDir, allowed, token);
  const [repositoryProbe, ...linkProbes] = probes;
  const fallback = fallbackOf(active);
  const privilege = options.privilege ?? null;
  return {
    node: process.version,
    platform: options.platform,
    arch: options.arch,
    needs,
    probes,
    notProbed: Math.max(0, linkDirs.length - MAX_PROBES),
    state: { file: options.stateFile, ...state },
    fallback: linkProbes.some(symlinksRefused) ? fallback : null,
    problems: [
      ...problemsOf(needs, linkProbes, repositoryProbe, state.writable, { ...options, fallback }),
      ...(options.hooksNotRun
        ? [{ message: options.hooksNotRun.message, hint: options.hooksNotRun.fix }]
        : []),
    ],
    privilege,
    notes: notesOf(linkProbes, privilege, fallback),
  };
}

/** Whether a file can be made where the state goes: its directory, or the nearest one that exists. */
async function probeState(
  fs: FileSystem,
  stateDir: string,
  allowed: Allowed,
  token: string,
): Promise<{ writable: string | null; notChecked: string | null }> {
  const real = await realInside(fs, await nearestExistingDirectory(fs, stateDir), allowed);
  if (!real) return { writable: null, notChecked: OUTSIDE_ROOTS };
  await sweepLeftovers(fs, real);
  const probe = probeName(real, token, "state");
  const writable = await ok(() => fs.writeNewFile(probe, ""));
  if (writable === null) await fs.unlink(probe).catch(() => undefined);
  return { writable, notChecked: null };
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
