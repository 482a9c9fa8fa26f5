import type { CommandOptions } from "./output.js";

type Key = keyof CommandOptions;

/** A command's flags: those that take no value, those that take one (given once), and lists. */
interface Flags {
  flags: Readonly<Record<string, Key>>;
  values: Readonly<Record<string, Key>>;
  lists: Readonly<Record<string, Key>>;
}

/** The flags every command takes (and `--no-color`). */
const GLOBAL: Flags = {
  flags: {
    "--json": "json",
    "-q": "quiet",
    "--quiet": "quiet",
    "-v": "verbose",
    "--verbose": "verbose",
  },
  values: { "-c": "config", "--config": "config", "--state": "state" },
  lists: { "--profile": "profile" },
};

/** The commands parsed here, and their own flags. */
const COMMANDS: Readonly<Record<QuickCommand, Flags>> = {
  apply: {
    flags: {
      "--dry-run": "dryRun",
      "--prune": "prune",
      "--force": "force",
      "--skip-conflicts": "skipConflicts",
      "-i": "interactive",
      "--interactive": "interactive",
      "--onboarding": "onboarding",
    },
    values: {},
    lists: { "--allow-outside": "allowOutside" },
  },
  plan: {
    flags: { "--prune": "prune", "--force": "force" },
    values: { "--out": "out" },
    lists: { "--allow-outside": "allowOutside" },
  },
  status: { flags: {}, values: {}, lists: { "--allow-outside": "allowOutside" } },
};

/** The commands a short run is most often, parsed without commander. */
export type QuickCommand = "apply" | "plan" | "status";

const own = (table: Readonly<Record<string, Key>>, name: string) =>
  Object.hasOwn(table, name) ? table[name] : undefined;

/**
 * `linkman apply`, `plan` or `status` with PATHs and only the flags above, parsed as commander
 * parses them (test/quickArgs.test.ts holds the two to the same answer) without loading it:
 * commander's modules, commands and options, and their code in the code cache, are ~4 ms and
 * ~100 page faults of a 100-link no-op. Anything else (another command, help, a flag not listed
 * or given twice, a value that is empty or starts with `-`, `--`, flags run together) is
 * undefined: commander parses it, and says what is wrong. `--version` alone is the command
 * `--version`.
 */
export function quickArgs(
  argv: readonly string[],
): { command: QuickCommand | "--version"; options: CommandOptions; paths: string[] } | undefined {
  const command = argv[0];
  if (command === "--version" && argv.length === 1) return { command, options: {}, paths: [] };
  if (command !== "apply" && command !== "plan" && command !== "status") return undefined;
  const mine = COMMANDS[command];
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
    const flag = own(GLOBAL.flags, name) ?? own(mine.flags, name);
    if (flag !== undefined || name === "--no-color") {
      if (equals !== -1) return undefined;
      options[flag ?? "color"] = flag !== undefined;
      continue;
    }
    const list = own(GLOBAL.lists, name) ?? own(mine.lists, name);
    const key = list ?? own(GLOBAL.values, name) ?? own(mine.values, name);
    if (key === undefined) return undefined;
    const value = equals === -1 ? argv[++i] : arg.slice(equals + 1);
    if (value === undefined || value === "" || value.startsWith("-")) return undefined;
    if (list) options[key] = [...((options[key] as string[] | undefined) ?? []), value];
    else if (options[key] !== undefined) return undefined;
    else options[key] = value;
  }
  return { command, options: options as CommandOptions, paths };
}
