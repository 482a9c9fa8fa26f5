import { createHash } from "node:crypto";
import path from "node:path";
import * as z from "zod";
import type { FileSystem } from "../fs/fileSystem.js";
import { errorCode, MAX_INPUT_BYTES } from "../fs/fileSystem.js";
import { writeFileAtomically } from "../fs/writeFileAtomically.js";
import { pathKey, samePath } from "../platform.js";
import { emptyState, type State } from "./state.js";

/**
 * The state file for a manifest: `--state FILE` if given, else one file per manifest path
 * under `$XDG_STATE_HOME/linkman/` (an absolute XDG_STATE_HOME only, as XDG says), else
 * `~/.local/state/linkman/`. The path is compared as the platform compares paths, so on
 * Windows and macOS every spelling of it (letter case) shares one state.
 */
export function statePathFor(
  manifest: string,
  options: {
    state?: string | undefined;
    env: Readonly<Record<string, string | undefined>>;
    homedir: string;
    cwd: string;
    platform: string;
  },
): string {
  if (options.state) return path.resolve(options.cwd, options.state);
  const xdg = options.env.XDG_STATE_HOME;
  const dir =
    xdg && path.isAbsolute(xdg)
      ? path.join(xdg, "linkman")
      : path.join(options.homedir, ".local", "state", "linkman");
  const hash = createHash("sha256")
    .update(pathKey(manifest, options.platform))
    .digest("hex")
    .slice(0, 12);
  const readable = manifest
    .replace(/^[A-Za-z]:/, "")
    .split(/[/\\]+/)
    .filter(Boolean)
    .slice(-3)
    .join("-")
    .replace(/[^A-Za-z0-9._-]/g, "_");
  return path.join(dir, `${readable}-${hash}.json`);
}

const recordSchema = z.object({
  link: z.string(),
  kind: z.enum(["symlink", "hardlink", "junction"]),
  target: z.string(),
  text: z.string().nullable(),
  dev: z.string().nullable(),
  ino: z.string().nullable(),
  previous: z.string().nullable(),
  backup: z.string().nullable(),
  createdAt: z.string(),
});

const stateSchema = z.object({
  version: z.literal(1),
  manifest: z.string(),
  links: z.array(recordSchema),
  directories: z.array(z.string()),
  applying: z.string().optional(),
});

/** Reading a state file: the state (empty when there is none yet), or why it cannot be trusted. */
export type StateRead =
  { ok: true; state: State; ignored?: string[] } | { ok: false; problem: string };

/** The manifest's real path (through symlinked directories), which keys its state and lock. */
export async function realManifestPath(fs: FileSystem, manifest: string): Promise<string> {
  return fs.realpath(manifest).catch(() => path.resolve(manifest));
}

/** Reads a manifest's state. A missing file is an empty state; anything unreadable is a problem, never a guess. */
export async function readState(
  fs: FileSystem,
  file: string,
  manifest: string,
  platform: string,
): Promise<StateRead> {
  let bytes: Uint8Array;
  try {
    bytes = await fs.readFile(file, MAX_INPUT_BYTES * 16);
  } catch (error) {
    if (errorCode(error) === "ENOENT") return { ok: true, state: emptyState(manifest) };
    return { ok: false, problem: `cannot be read (${errorCode(error) ?? String(error)})` };
  }
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(bytes));
  } catch (error) {
    return {
      ok: false,
      problem: `is not valid JSON (${error instanceof Error ? error.message : String(error)})`,
    };
  }
  const parsed = stateSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return {
      ok: false,
      problem: `does not have the shape linkman writes (${issue ? `${issue.path.join(".") || "top level"}: ${issue.message}` : "unknown"})`,
    };
  }
  if (!samePath(parsed.data.manifest, manifest, platform)) {
    return { ok: false, problem: `belongs to another manifest (${parsed.data.manifest})` };
  }
  return { ok: true, state: parsed.data };
}

/** Writes the state atomically. */
export async function writeState(fs: FileSystem, file: string, state: State): Promise<void> {
  await writeFileAtomically(fs, file, `${JSON.stringify(state, null, 2)}\n`);
}
