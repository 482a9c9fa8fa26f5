import type { CommandOptions } from "./output.js";

type Key = keyof CommandOptions;

/** The flags of `apply` that take no value, and the option each sets. */
const FLAGS: Readonly<Record<string, Key>> = {
  "--json": "json",
  "-q": "quiet",
  "--quiet": "quiet",
  "-v": "verbose",
  "--verbose": "verbose",
  "--dry-run": "dryRun",
  "--prune": "prune",
  "--force": "force",
  "--skip-conflicts": "skipConflicts",
  "-i": "interactive",
  "--interactive": "interactive",
  "--onboarding": "onboarding",
};

/** The flags of `apply` that take a value, given once. */
const VALUES: Readonly<Record<string, Key>> = {
  "-c": "config",
  "--config": "config",
  "--state": "state",
};

/** The flags of `apply` that take a value, given any number of times. */
const LISTS: Readonly<Record<string, Key>> = {
  "--profile": "profile",
  "--allow-outside": "allowOutside",
};

/**
 * `linkman apply` with PATHs and only the flags above (and `--no-color`), parsed as commander
 * parses it (test/quickApply.test.ts holds the two to the same answer) without loading it:
 * commander's modules, commands and options are ~2.5 ms and ~100 page faults of a 100-link
 * no-op. Anything else (another command, help, a flag not listed or given twice, a value that is
 * empty or starts with `-`, `--`, flags run together) is undefined: commander parses it, and
 * says what is wrong.
 */
export function quickApply(
  argv: readonly string[],
): { options: CommandOptions; paths: string[] } | undefined {
  if (argv[0] !== "apply") return undefined;
  const options: Partial<Record<Key, unknown>> = {};
  const paths: string[] = [];
  for (let i = 1; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (!arg.startsWith("-")) {
      paths.push(arg);
      continue;
    }
    const equals = arg.startsWith("--") ? arg.indexOf("=") : -1;
    const name = equals === -1 ? arg : arg.slice(0, equals);
    const flag = Object.hasOwn(FLAGS, name) ? FLAGS[name] : undefined;
    if (flag !== undefined || name === "--no-color") {
      if (equals !== -1) return undefined;
      options[flag ?? "color"] = flag !== undefined;
      continue;
    }
    const list = Object.hasOwn(LISTS, name) ? LISTS[name] : undefined;
    const key = list ?? (Object.hasOwn(VALUES, name) ? VALUES[name] : undefined);
    if (key === undefined) return undefined;
    const value = equals === -1 ? argv[++i] : arg.slice(equals + 1);
    if (value === undefined || value === "" || value.startsWith("-")) return undefined;
    if (list) options[key] = [...((options[key] as string[] | undefined) ?? []), value];
    else if (options[key] !== undefined) return undefined;
    else options[key] = value;
  }
  return { options: options as CommandOptions, paths };
}
