import path from "node:path";
import { globMatches } from "./globMatcher.js";
import { statIfExists, type FileSystem } from "../fs/fileSystem.js";
import type { Conditions } from "../manifest/manifest.js";

/** The facts about this machine and run that `when` is checked against. */
export interface Facts {
  platform: string;
  arch: string;
  hostname: string;
  /** The active profiles. */
  profiles: readonly string[];
  env: Readonly<Record<string, string | undefined>>;
}

/** Whether an entry's conditions hold, and if not, the first that failed, in words. */
export type ConditionResult = { holds: true } | { holds: false; why: string };

/**
 * Checks `when`: every key given must hold; a list holds when any of its values does.
 * `env`: `true` means set and non-empty, `false` unset or empty, a string an exact value.
 * `command`: an executable of that name is on the facts' PATH (looked up through `fs`).
 */
export async function checkConditions(
  when: Conditions | undefined,
  facts: Facts,
  fs: FileSystem,
): Promise<ConditionResult> {
  if (!when) return { holds: true };
  if (when.os && !when.os.includes(facts.platform)) {
    return { holds: false, why: `os is ${facts.platform}, not ${when.os.join(" or ")}` };
  }
  if (when.arch && !when.arch.includes(facts.arch)) {
    return { holds: false, why: `arch is ${facts.arch}, not ${when.arch.join(" or ")}` };
  }
  if (when.host) {
    // Matched without backtracking: a host pattern from a hostile manifest cannot hang.
    const matches = when.host.some((glob) => {
      try {
        return globMatches(glob, facts.hostname, true);
      } catch {
        return false; // a pattern too large to match in bounded time matches nothing
      }
    });
    if (!matches) {
      return {
        holds: false,
        why: `host ${facts.hostname} matches none of ${when.host.join(", ")}`,
      };
    }
  }
  if (when.profile && !when.profile.some((p) => facts.profiles.includes(p))) {
    const active = facts.profiles.length ? facts.profiles.join(", ") : "none";
    return {
      holds: false,
      why: `profile ${when.profile.join(" or ")} is not active (active: ${active})`,
    };
  }
  for (const [name, wanted] of Object.entries(when.env ?? {})) {
    // Own keys only: `constructor` is not set just because every object inherits one.
    const value = Object.hasOwn(facts.env, name) ? facts.env[name] : undefined;
    const isSet = value !== undefined && value !== "";
    if (wanted === true && !isSet) return { holds: false, why: `${name} is not set` };
    if (wanted === false && isSet) return { holds: false, why: `${name} is set` };
    if (typeof wanted === "string" && value !== wanted) {
      return {
        holds: false,
        why: `${name} is ${isSet ? JSON.stringify(value) : "not set"}, not ${JSON.stringify(wanted)}`,
      };
    }
  }
  if (when.command) {
    let found = false;
    for (const name of when.command) if (!found) found = await onPath(fs, name, facts);
    if (!found) return { holds: false, why: `no ${when.command.join(" or ")} on PATH` };
  }
  return { holds: true };
}

/**
 * Whether an executable named `name` is in a directory of PATH: a file with an execute
 * permission bit, or on Windows a file with one of PATHEXT's extensions. Nothing is run.
 */
async function onPath(fs: FileSystem, name: string, facts: Facts): Promise<boolean> {
  const windows = facts.platform === "win32";
  const env = (key: string) =>
    windows
      ? Object.entries(facts.env).find(([k]) => k.toUpperCase() === key)?.[1]
      : facts.env[key];
  const dirs = (env("PATH") ?? "").split(windows ? ";" : ":").filter(Boolean);
  const names = windows
    ? [
        name,
        ...(env("PATHEXT") ?? ".COM;.EXE;.BAT;.CMD")
          .split(";")
          .filter(Boolean)
          .map((ext) => name + ext),
      ]
    : [name];
  for (const dir of dirs) {
    for (const candidate of names) {
      const stat = await statIfExists(fs, path.join(dir, candidate));
      if (stat?.type !== "file") continue;
      if (windows ? candidate !== name || hasPathExt(name, env("PATHEXT")) : stat.mode & 0o111)
        return true;
    }
  }
  return false;
}

/** Whether a name already ends in one of PATHEXT's extensions (`git.exe`). */
function hasPathExt(name: string, pathext: string | undefined): boolean {
  const ext = path.extname(name).toUpperCase();
  return ext !== "" && (pathext ?? ".COM;.EXE;.BAT;.CMD").toUpperCase().split(";").includes(ext);
}

/**
 * The active profiles: `--profile` flags if any were given, otherwise the comma-separated
 * `LINKMAN_PROFILE`.
 */
export function activeProfiles(
  flags: readonly string[] | undefined,
  env: Readonly<Record<string, string | undefined>>,
): string[] {
  if (flags && flags.length > 0) return [...new Set(flags)];
  return [
    ...new Set(
      (env.LINKMAN_PROFILE ?? "")
        .split(",")
        .map((p) => p.trim())
        .filter(Boolean),
    ),
  ];
}
