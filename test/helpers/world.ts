import { lstatSync, readdirSync, readFileSync, readlinkSync, realpathSync } from "node:fs";
import path from "node:path";
import type { Plan } from "../../src/engine/action.js";
import { applyPlan, type ApplyResult } from "../../src/engine/apply.js";
import { planLinks } from "../../src/engine/plan.js";
import { rootsFor, type Root } from "../../src/engine/roots.js";
import type { Context } from "../../src/session/context.js";
import type { FileSystem } from "../../src/fs/fileSystem.js";
import { readOnly } from "../../src/fs/wrappers.js";
import { readManifest } from "../../src/manifest/read.js";
import type { State } from "../../src/state/state.js";
import { readState, statePathFor } from "../../src/state/stateFile.js";
import { NodeFileSystem } from "../../src/fs/nodeFileSystem.js";
import { resolveLinks } from "../../src/resolve/resolveLinks.js";
import { expect } from "vitest";
import { Output, type GlobalOptions } from "../../src/cli/output.js";
import { linkman, type Run } from "./cli.js";
import { testContext } from "./resolve.js";
import { THIS_MACHINE, type System } from "./systems.js";
import { makeTree, type Tree } from "./tree.js";

/** A home directory and a dotfiles repository beside it, with `links.yaml` holding `manifest`. */
export interface World {
  root: string;
  home: string;
  dots: string;
  manifest: string;
  /** The platform the engine is told, and the filesystem it uses unless a call passes another. */
  platform: string;
  fs: FileSystem;
  /** Where the CLI keeps this world's state (under its own XDG_STATE_HOME). */
  stateFile: string;
  /** Runs the CLI in the repository, with this world's home, platform and filesystem. */
  cli(...args: string[]): Promise<Run>;
  /** Plans through the library, optionally through another filesystem. */
  plan(options?: {
    fs?: FileSystem;
    force?: boolean;
    allowOutside?: string[];
    platform?: string;
  }): Promise<Plan>;
  /** Plans and applies through the library. */
  apply(options?: {
    fs?: FileSystem;
    platform?: string;
    skipConflicts?: boolean;
    force?: boolean;
  }): Promise<ApplyResult>;
  /** Everything under the world's root: each path's type, bytes or link text. */
  snapshot(): Record<string, string>;
  /** The roots links may be made under in this world: its home and the repository. */
  roots(): Promise<Root[]>;
  /** The library's context for this world (its home, repository, state and filesystem, or `fs`). */
  context(fs?: FileSystem): Context;
}

/** The repository's standard contents: a file, a directory and a script. */
const DOTS: Tree = {
  vim: { vimrc: "set number\n" },
  nvim: { "init.lua": "-- nvim\n", lua: { "opts.lua": "x" } },
  bin: { tool: "#!/bin/sh\necho tool\n" },
};

/** Makes a world on `system`: this machine by default, or a model of another platform's rules. */
export async function makeWorld(
  manifest: string,
  extra: { home?: Tree; dots?: Tree; root?: Tree } = {},
  system: System = THIS_MACHINE,
): Promise<World> {
  const root = await makeTree({
    home: extra.home ?? {},
    dots: { "links.yaml": manifest, ...DOTS, ...(extra.dots ?? {}) },
    ...(extra.root ?? {}),
  });
  const home = path.join(root, "home");
  const dots = path.join(root, "dots");
  const file = path.join(dots, "links.yaml");
  const world = { fs: system.fs(), platform: system.platform };

  const plan: World["plan"] = async (options = {}) => {
    const fs = options.fs ?? world.fs;
    const read = await readManifest(file, { fs, homedir: home });
    if (!read.ok) throw new Error(read.errors.map((e) => e.message).join("\n"));
    const platform = options.platform ?? world.platform;
    const links = await resolveLinks(read.value, testContext(home, { fs, platform }));
    if (!links.ok) throw new Error(links.errors.map((e) => e.message).join("\n"));
    return planLinks(links.value, {
      fs: readOnly(fs),
      platform,
      homedir: home,
      manifest: file,
      allowOutside: options.allowOutside ?? [],
      force: options.force ?? false,
    });
  };

  return {
    root,
    home,
    dots,
    manifest: file,
    ...world,
    stateFile: statePathFor(realpathSync(file), {
      env: { XDG_STATE_HOME: path.join(root, "state") },
      homedir: home,
      cwd: dots,
      platform: world.platform,
    }),
    cli: (...args) =>
      linkman(args, {
        cwd: dots,
        home,
        env: { XDG_STATE_HOME: path.join(root, "state") },
        ...world,
      }),
    plan,
    apply: async (options = {}) => {
      const fs = options.fs ?? world.fs;
      const platform = options.platform ?? world.platform;
      return applyPlan(await plan({ fs, platform, force: options.force ?? false }), {
        fs,
        platform,
        skipConflicts: options.skipConflicts ?? false,
        roots: await rootsFor(fs, { homedir: home, manifest: file }),
      });
    },
    snapshot: () => snapshot(root),
    roots: () => rootsFor(world.fs, { homedir: home, manifest: file }),
    context: (fs) => ({
      fs: fs ?? world.fs,
      platform: world.platform,
      arch: process.arch,
      hostname: "test-host",
      env: { XDG_STATE_HOME: path.join(root, "state") },
      homedir: home,
      cwd: dots,
    }),
  };
}

/** `makeWorld` on `system`, for a suite that runs on each system. */
export function worldsOn(system: System) {
  return (manifest: string, extra: Parameters<typeof makeWorld>[1] = {}) =>
    makeWorld(manifest, extra, system);
}

/** Every path below `dir`: `file:<bytes>`, `dir`, `link:<text>` or `other`, plus the inode for files. */
export function snapshot(dir: string, prefix = ""): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(dir).sort()) {
    const full = path.join(dir, name);
    const rel = prefix ? `${prefix}/${name}` : name;
    const stat = lstatSync(full);
    if (stat.isSymbolicLink()) out[rel] = `link:${readlinkSync(full)}`;
    else if (stat.isDirectory()) {
      out[rel] = "dir";
      Object.assign(out, snapshot(full, rel));
    } else if (stat.isFile()) out[rel] = `file:${readFileSync(full, "utf8")}`;
    else out[rel] = "other";
  }
  return out;
}

/** The ops of a plan, in order, as `op link` relative to the home directory. */
export function ops(plan: Plan, home: string): string[] {
  return plan.actions.map(
    (a) => `${a.op}${a.reason ? `(${a.reason})` : ""} ${path.relative(home, a.link)}`,
  );
}

/** An Output for calling a command function directly in a world (on its platform and filesystem unless given), with what it prints captured. */
export function commandOutput(
  w: World,
  flags: Partial<GlobalOptions> = {},
  system: { platform?: string; fs?: FileSystem } = {},
) {
  const printed = { stdout: "", stderr: "" };
  const out = new Output(
    {
      stdout: { write: (s: string) => (printed.stdout += s) },
      stderr: { write: (s: string) => (printed.stderr += s) },
      env: { XDG_STATE_HOME: path.join(w.root, "state") },
      cwd: w.dots,
      homedir: w.home,
      platform: system.platform ?? w.platform,
      arch: process.arch,
      hostname: "test-host",
      fs: system.fs ?? w.fs,
    },
    { color: false, ...flags },
  );
  return { out, printed };
}

/** Where a file is now if linkman moved it to a backup: its path with the backup suffix taken off. */
export const unbackup = (p: string) => p.replace(/\.linkman-backup(-\d+)?(?=\/|$)/, "");

/** Checks that each file of `before` is still in `after` with the same bytes, in place or in a backup. */
export function expectNothingLost(before: [string, string][], after: [string, string][]): void {
  for (const [p, content] of before) {
    const kept = after.some(([q, c]) => c === content && (q === p || unbackup(q) === p));
    expect(kept, `${p} (${content}) was lost`).toBe(true);
  }
}

/** The one state file under the world's XDG_STATE_HOME, as linkman reads it. */
export async function stateOf(w: World): Promise<State> {
  const read = await readState(
    new NodeFileSystem(),
    w.stateFile,
    realpathSync(w.manifest),
    w.platform,
  );
  if (!read.ok) throw new Error(read.problem);
  return read.state;
}
