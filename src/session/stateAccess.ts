import { rootsFor, type Root } from "../engine/roots.js";
import { sweepTemporaries, temporariesLeft } from "../engine/temporaries.js";
import { showPath } from "../display.js";
import { acquireLock } from "../state/lock.js";
import type { State } from "../state/state.js";
import path from "node:path";
import { lstatIfExists } from "../fs/fileSystem.js";
import { findRepository } from "../resolve/git.js";
import {
  readState,
  realManifestPath,
  repositoryStatePath,
  statePathFor,
  writeState,
  type InRepository,
} from "../state/stateFile.js";
import type { Context } from "./context.js";
import { refusal, type Refusal } from "./report.js";
import { trustState, withUntrusted, type TrustedState } from "./trust.js";

/** Where a manifest's state is, and what links may be made under: what a session is told. */
export interface StateChoice {
  /** The state file (`--state`); otherwise one per manifest under `$XDG_STATE_HOME/linkman`. */
  state?: string | undefined;
  /** More directories links may be made under (`--allow-outside`, never from a file). */
  allowOutside?: readonly string[] | undefined;
}

/** A manifest's state as read, split into what may be acted on and what may not. */
export interface ReadState {
  file: string;
  roots: Root[];
  split: TrustedState;
  /** What was reported while reading: records ignored, a token ignored. */
  notices: string[];
}

/** A manifest's state held under its lock, for a command that changes links. */
export interface HeldState extends ReadState {
  /** Writes the state (atomically, flushed): the trusted part as given, the rest as it was. */
  save(state: State): Promise<void>;
}

/** Where a manifest's state file is for this run, and the manifest's real path it is kept for. */
export interface StateFile {
  real: string;
  file: string;
  /** Set when the state lives in the manifest's git repository: what recognises a moved clone. */
  inRepository?: InRepository;
}

/**
 * A manifest's state file for this run: `--state FILE`; else, for a manifest inside a git
 * repository, one in that working tree's git directory (`.git/linkman/`); else one keyed by
 * the manifest's real path under `$XDG_STATE_HOME/linkman`. A repository's manifest that
 * already has a state there (applied before linkman kept it in the repository) keeps it, so
 * no record of a link it made is lost.
 */
export async function stateFileOf(
  ctx: Context,
  manifest: string,
  choice: StateChoice,
): Promise<StateFile> {
  const real = await realManifestPath(ctx.fs, manifest);
  const home = statePathFor(real, { ...ctx, state: choice.state });
  if (choice.state) return { real, file: home };
  const repo = await findRepository(ctx.fs, path.dirname(real));
  if (!repo) return { real, file: home };
  const relative = path.relative(repo.top, real).split(path.sep).join("/");
  const file = repositoryStatePath(repo.gitDir, relative, ctx.platform);
  const earlier = !(await lstatIfExists(ctx.fs, file)) && (await lstatIfExists(ctx.fs, home));
  return earlier ? { real, file: home } : { real, file, inRepository: { top: repo.top, relative } };
}

/** The state file and roots of a manifest for this run. */
async function whereFor(ctx: Context, manifest: string, choice: StateChoice) {
  const where = await stateFileOf(ctx, manifest, choice);
  const roots = await rootsFor(ctx.fs, {
    homedir: ctx.homedir,
    manifest,
    allowOutside: choice.allowOutside,
  });
  return { ...where, roots };
}

/** Reads a manifest's state without the lock, for commands that only look. */
export async function readStateOf(
  ctx: Context,
  manifest: string,
  choice: StateChoice,
): Promise<ReadState | Refusal> {
  const { real, file, roots, inRepository } = await whereFor(ctx, manifest, choice);
  const read = await readState(ctx.fs, file, real, ctx.platform, inRepository);
  if (!read.ok) return unreadable(file, read);
  const split = trustState(read.state, roots, ctx.platform);
  const left = await leftNotice(ctx, split.trusted, roots);
  return { file, roots, split, notices: [...read.ignored, ...split.notices, ...left] };
}

/**
 * For a command that only looks: what a killed run left that the next command that changes
 * links tidies first (`withLockedState`), so that a dry run, a plan or a status that differ
 * from what that command then does say why.
 */
async function leftNotice(ctx: Context, state: State, roots: readonly Root[]) {
  if (!state.applying) return [];
  const links = state.links.map((r) => r.link);
  const left = await temporariesLeft(ctx.fs, ctx.platform, links, state.applying, roots);
  if (left.length === 0) return [];
  const names = left.slice(0, 5).map((l) => showPath(l.name, ctx));
  const more = left.length > 5 ? `, and ${left.length - 5} more` : "";
  const noun = left.length === 1 ? "temporary name" : "temporary names";
  return [
    `an interrupted run left ${left.length} ${noun} (${names.join(", ")}${more}); the next apply, unlink, prune or adopt first puts back what it moved aside and removes the rest, so what it does may differ from this`,
  ];
}

/**
 * Runs a command that changes links: takes the manifest's lock (so two runs never
 * interleave), reads its state, runs `body`, and always releases the lock.
 */
export async function withLockedState<T>(
  ctx: Context,
  manifest: string,
  choice: StateChoice,
  body: (held: HeldState) => Promise<T>,
): Promise<T | Refusal> {
  const { real, file, roots, inRepository } = await whereFor(ctx, manifest, choice);
  const wait = Number(ctx.env.LINKMAN_LOCK_WAIT_MS);
  const lock = await acquireLock(
    ctx.fs,
    file,
    ctx.env.LINKMAN_LOCK_WAIT_MS !== undefined && Number.isFinite(wait) && wait >= 0
      ? { waitMs: wait }
      : {},
  );
  if (!lock.ok) return refusal("locked", lock.message, null);
  try {
    const read = await readState(ctx.fs, file, real, ctx.platform, inRepository);
    if (!read.ok) return unreadable(file, read);
    const split = trustState(read.state, roots, ctx.platform);
    // A run killed part-way left its temporaries: tidied before anything is planned, so the
    // plan sees the disk as that run's last complete step left it.
    const token = split.trusted.applying;
    const swept = token
      ? await sweepTemporaries(
          ctx.fs,
          ctx.platform,
          split.trusted.links.map((r) => r.link),
          token,
          roots,
        )
      : [];
    const sweptNotice = swept.length
      ? [
          `tidied ${swept.length} temporary name(s) an interrupted run left: ${swept.map((p) => showPath(p, ctx)).join(", ")}`,
        ]
      : [];
    return await body({
      file,
      roots,
      split,
      notices: [...read.ignored, ...split.notices, ...sweptNotice],
      save: (state) => writeState(ctx.fs, file, withUntrusted(state, split)),
    });
  } finally {
    await lock.lock.release();
  }
}

function unreadable(file: string, read: { problem: string; newer?: true }): Refusal {
  return refusal(
    "state-unreadable",
    `the state file ${file} ${read.problem}`,
    read.newer
      ? "linkman will not guess which links it made, so nothing was changed. Run the newer linkman that wrote it (or a later one)."
      : `linkman will not guess which links it made, so nothing was changed. To start afresh, move it aside (mv "${file}" "${file}.broken"): linkman then treats the links it listed as made by someone else and never removes them.`,
  );
}
