import picomatch from "picomatch";
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
 */
export function checkConditions(when: Conditions | undefined, facts: Facts): ConditionResult {
  if (!when) return { holds: true };
  if (when.os && !when.os.includes(facts.platform)) {
    return { holds: false, why: `os is ${facts.platform}, not ${when.os.join(" or ")}` };
  }
  if (when.arch && !when.arch.includes(facts.arch)) {
    return { holds: false, why: `arch is ${facts.arch}, not ${when.arch.join(" or ")}` };
  }
  if (when.host) {
    const host = facts.hostname.toLowerCase();
    const matches = when.host.some((glob) =>
      picomatch.isMatch(host, glob.toLowerCase(), { dot: true }),
    );
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
  return { holds: true };
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
