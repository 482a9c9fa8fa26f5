import { ExitCode } from "../exitCode.js";
import { acquireLock } from "../state/lock.js";
import type { State } from "../state/state.js";
import { readState, statePathFor, writeState } from "../state/stateFile.js";
import type { Output } from "./output.js";

/** The state of one manifest, held under its lock for a command that changes links. */
export interface Session {
  stateFile: string;
  state: State;
  /** Writes the state (atomically). */
  save(state: State): Promise<void>;
}

/** The state file of a manifest for this run (`--state` wins). */
export function stateFileFor(out: Output, manifest: string): string {
  return statePathFor(manifest, {
    state: (out.options as { state?: string }).state,
    env: out.io.env,
    homedir: out.io.homedir,
    cwd: out.io.cwd,
    platform: out.io.platform,
  });
}

/** Reads a manifest's state without the lock, for commands that only look. Reports a corrupt one. */
export async function readStateFor(out: Output, manifest: string): Promise<State | undefined> {
  const { fs } = out.io;
  const file = stateFileFor(out, manifest);
  const read = await readState(fs, file, manifest, out.io.platform);
  if (read.ok) return read.state;
  reportUnreadable(out, file, read.problem);
  return undefined;
}

/**
 * Runs a command that changes links: takes the manifest's lock (so two runs never
 * interleave), reads its state, runs `body`, and always releases the lock.
 */
export async function withLockedState(
  out: Output,
  manifest: string,
  body: (session: Session) => Promise<ExitCode>,
): Promise<ExitCode> {
  const { fs } = out.io;
  const stateFile = stateFileFor(out, manifest);
  const wait = Number(out.io.env.LINKMAN_LOCK_WAIT_MS);
  const lock = await acquireLock(
    fs,
    stateFile,
    Number.isFinite(wait) && wait >= 0 ? { waitMs: wait } : {},
  );
  if (!lock.ok) {
    out.error(lock.message);
    return ExitCode.failure;
  }
  try {
    const read = await readState(fs, stateFile, manifest, out.io.platform);
    if (!read.ok) {
      reportUnreadable(out, stateFile, read.problem);
      return ExitCode.failure;
    }
    return await body({
      stateFile,
      state: read.state,
      save: (state) => writeState(fs, stateFile, state),
    });
  } finally {
    await lock.lock.release();
  }
}

function reportUnreadable(out: Output, file: string, problem: string): void {
  out.error(
    `the state file ${file} ${problem}; linkman will not guess which links it made, so nothing was changed`,
  );
  out.info(
    `To start afresh, move it aside (mv "${file}" "${file}.broken"): linkman then treats the links it listed as made by someone else and never removes them.`,
  );
}
