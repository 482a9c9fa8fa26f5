import type * as Commander from "commander";
import type { Command } from "commander";
import { ExitCode } from "../exitCode.js";
import { errorCode } from "../fs/fileSystem.js";
import { packageVersion } from "../packageInfo.js";
import type { CliIO } from "./io.js";
import { Output, type CommandOptions } from "./output.js";
import { quickArgs, type QuickCommand } from "./quickArgs.js";

/** An "Examples:" section for a command's help. */
function examples(...lines: string[]): string {
  return `\nExamples:\n${lines.map((l) => `  ${l}`).join("\n")}\n`;
}

/** Every command's name, as `program.command` registers it. */
export const COMMANDS: ReadonlySet<string> = new Set([
  "init",
  "validate",
  "plan",
  "apply",
  "status",
  "diff",
  "adopt",
  "unlink",
  "prune",
  "explain",
  "doctor",
  "import",
  "schema",
  "completion",
]);

/**
 * Runs linkman with the given arguments and returns the exit code. Everything it needs
 * from the process comes through `io`, so tests call it directly.
 */
export async function main(argv: readonly string[], io: CliIO): Promise<number> {
  // The common short runs without commander (see quickArgs); anything else with it.
  const quick = quickArgs(argv);
  // commander is a file beside the bundle in the bin: a damaged install is said in one line.
  if (!quick) return withCommander(argv, io).catch((error: unknown) => unexpected(error, argv, io));
  if (quick.command === "--version") {
    io.stdout.write(`${packageVersion()}\n`);
    return ExitCode.ok;
  }
  try {
    return await QUICK[quick.command](new Output(io, quick.options), quick.paths);
  } catch (error) {
    return unexpected(error, argv, io);
  }
}

/** The commands quickArgs parses, run as the program runs them. */
const QUICK: Readonly<Record<QuickCommand, CommandRun>> = {
  apply: async (out, args) => (await import("./commands/apply.js")).applyCommand(out, args),
  plan: async (out, args) => (await import("./commands/plan.js")).planCommand(out, args),
  status: async (out, args) => (await import("./commands/status.js")).statusCommand(out, args),
};

/** A command as the program runs it: its output (with the parsed options) and its positional arguments. */
type CommandRun = (out: Output, args: string[]) => Promise<number> | number;

/** The function commander calls for a command, made from the command. */
type Action = (command: CommandRun) => (this: Command, ...args: unknown[]) => Promise<void>;

/** The positional arguments commander passes an action (after them come its options and itself). */
function positionalOf(args: unknown[]): string[] {
  return args.flat().filter((a): a is string => typeof a === "string");
}

/** Runs linkman through commander: every command, help, completion and usage error. */
async function withCommander(argv: readonly string[], io: CliIO): Promise<number> {
  const commander = await import("commander");
  let code: number = ExitCode.ok;
  const program = programFor(
    argv,
    io,
    commander,
    (command) =>
      async function (this: Command, ...args: unknown[]) {
        const options = this.optsWithGlobals() as CommandOptions;
        code = await command(new Output(io, options), positionalOf(args));
      },
  );

  // Bare `linkman` is a request for help, not a mistake.
  if (argv.length === 0) {
    program.outputHelp();
    return ExitCode.ok;
  }
  // What the completion scripts call: candidates for the word being typed, never an error.
  if (argv[0] === "__complete") {
    const { complete } = await import("./completion.js");
    io.stdout.write(
      (await complete(program, argv.slice(argv[1] === "--" ? 2 : 1), io).catch(() => []))
        .map((w) => `${w}\n`)
        .join(""),
    );
    return ExitCode.ok;
  }

  try {
    await program.parseAsync([...argv], { from: "user" });
  } catch (error) {
    if (error instanceof commander.CommanderError) {
      // `--help` and `--version` succeed; anything else (including no command at all,
      // which prints the help as an error) is a usage error.
      const done = ["commander.helpDisplayed", "commander.version"];
      return done.includes(error.code) ? ExitCode.ok : ExitCode.invalid;
    }
    return unexpected(error, argv, io);
  }
  return code;
}

/**
 * The command, options and positional arguments commander parses from `argv`, without running
 * the command; undefined where it runs none (help, an error). What quickArgs is held to.
 */
export async function parsedByCommander(
  argv: readonly string[],
  io: CliIO,
): Promise<{ command: string; options: CommandOptions; args: string[] } | undefined> {
  let parsed: { command: string; options: CommandOptions; args: string[] } | undefined;
  const program = programFor(
    argv,
    io,
    await import("commander"),
    () =>
      async function (this: Command, ...args: unknown[]) {
        parsed = {
          command: this.name(),
          options: this.optsWithGlobals(),
          args: positionalOf(args),
        };
      },
  );
  await program.parseAsync([...argv], { from: "user" }).catch(() => undefined);
  return parsed;
}

/** An error no command expected: the machine's answer (a filesystem error, with its path), or a bug. */
function unexpected(error: unknown, argv: readonly string[], io: CliIO): number {
  // A filesystem error nobody expected is still the machine's answer, not a bug: say it
  // with its path and cause.
  const code = errorCode(error);
  if (code && typeof (error as { path?: unknown }).path === "string") {
    io.stderr.write(
      `linkman: error: ${(error as { path: string }).path}: ${code}; nothing more was done\n`,
    );
    return ExitCode.failure;
  }
  // A file of the bin's own that cannot be loaded (zod.js, yaml.js, expand.js, commander.js
  // beside main.js, loaded on first use): a damaged install, not a bug.
  const file =
    code === "MODULE_NOT_FOUND" &&
    /'\.\/((?:zod|yaml|expand|commander)\.js)'/.exec(String(error))?.[1];
  if (file) {
    io.stderr.write(
      `linkman: error: its file ${file} is missing beside its bundle; reinstall linkman\n`,
    );
    return ExitCode.failure;
  }
  const verbose = argv.includes("--verbose") || argv.includes("-v");
  const message =
    error instanceof Error
      ? verbose
        ? (error.stack ?? error.message)
        : error.message
      : String(error);
  io.stderr.write(
    `linkman: internal error (this is a bug in linkman; please report it, with --verbose for details): ${message}\n`,
  );
  return ExitCode.failure;
}

/** The program with its options and, for `argv`, the commands it may run, each run by `run`. */
function programFor(
  argv: readonly string[],
  io: CliIO,
  { Command, Option }: typeof Commander,
  run: Action,
): Command {
  const program = new Command("linkman");

  // Every subcommand's help shows the global options too (set before the commands copy it).
  program.configureHelp({ showGlobalOptions: true, sortSubcommands: false });
  program
    .description(
      "Keep this machine's symlinks, hard links and junctions in the state a YAML manifest declares.",
    )
    .version(packageVersion(), "--version", "print the version")
    .helpOption("-h, --help", "show help")
    .option("-c, --config <file>", "the manifest (default: LINKMAN_CONFIG, or searched upward)")
    .option(
      "--profile <name>",
      "activate a profile (repeatable; default: LINKMAN_PROFILE, comma-separated, else linkman.local.yaml)",
      (value: string, list: string[] | undefined) => [...(list ?? []), value],
    )
    .option("--json", "machine output on stdout, messages on stderr")
    .option("-q, --quiet", "print only errors")
    .option("-v, --verbose", "explain more")
    .addOption(
      new Option(
        "--color <when>",
        "when to colour (auto: each stream when it is a terminal)",
      ).choices(["auto", "always", "never"]),
    )
    .option(
      "--no-color",
      "no colours, as --color=never (NO_COLOR and FORCE_COLOR are honoured too)",
    )
    .option(
      "--state <file>",
      "the state file (default: one per manifest under $XDG_STATE_HOME/linkman)",
    )
    .addHelpText(
      "after",
      examples(
        "linkman init                 write a starter links.yaml here",
        "linkman plan                 what apply would do",
        "linkman apply --profile work with the work profile's entries",
        "linkman help apply           one command's options and examples",
      ),
    )
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
    });

  const collect = (value: string, list: string[] | undefined) => [...(list ?? []), value];
  const allowOutside = () =>
    new Option("--allow-outside <dir>", "also allow links under DIR (repeatable)").argParser(
      collect,
    );
  const force = () =>
    new Option(
      "--force",
      "move a file or directory in the way to a backup (as onConflict: backup)",
    );

  // A run of one command builds only it: commander's options and help texts for all of them
  // cost ~4 ms of a 100-link no-op's CPU. Help, completion, a global option first and anything
  // unrecognised get all of them (a name missing from COMMANDS only loses the shortcut).
  const wanted = (name: string) => !COMMANDS.has(argv[0] ?? "") || argv[0] === name;

  // The commands in the order a user meets them.
  program.commandsGroup("Start:");
  if (wanted("init"))
    program
      .command("init")
      .description("write a commented starter links.yaml and its schema copy (never overwrites)")
      .addHelpText(
        "after",
        examples(
          "linkman init                 links.yaml and linkman.schema.json here",
          "linkman init -c dots.yaml    another name",
        ),
      )
      .action(run(async (out) => (await import("./commands/init.js")).initCommand(out)));
  if (wanted("validate"))
    program
      .command("validate")
      .description("check the manifest and print every error (exit 2 if invalid)")
      .addHelpText(
        "after",
        examples(
          "linkman validate             check the manifest found from here",
          "linkman validate -v          and list every link it declares (stdout)",
          "linkman validate --json      the same as JSON, errors with file, line and column",
        ),
      )
      .action(run(async (out) => (await import("./commands/validate.js")).validateCommand(out)));

  program.commandsGroup("Every day:");
  if (wanted("plan"))
    program
      .command("plan [paths...]")
      .description(
        "print the plan: what apply would create, replace or leave (exit 1 on a conflict or error)",
      )
      .option("--prune", "also remove links linkman made that the manifest no longer lists")
      .option(
        "--out <file>",
        "save the plan, with what was found at each path, for `linkman apply FILE`",
      )
      .addOption(allowOutside())
      .addOption(force())
      .addHelpText(
        "after",
        examples(
          "linkman plan                 what apply would change",
          "linkman plan -v              every entry, and why",
          "linkman plan --out plan.json save it; `linkman apply plan.json` applies exactly it",
        ),
      )
      .action(run(QUICK.plan));
  if (wanted("apply"))
    program
      .command("apply [paths...]")
      .description(
        "plan (or read a saved plan, a PLANFILE.json), then apply; PATHs restrict it to links at or below them or to a package; nothing changes on a conflict, an error or a stale plan",
      )
      .option("--dry-run", "print the plan, change nothing")
      .option("--prune", "also remove links linkman made that the manifest no longer lists")
      .addOption(force())
      .option("--skip-conflicts", "apply the rest when the plan holds conflicts or errors")
      .option("-i, --interactive", "on a terminal, ask what to do with each conflict first")
      .option(
        "--onboarding",
        "for npm's prepare: under CI, LINKMAN=0, outside git or with no writable state, say why and exit 0",
      )
      .addOption(allowOutside())
      .addHelpText(
        "after",
        examples(
          "linkman apply                make the links",
          "linkman apply --force        move files in the way to backups first",
          "linkman -c ~/dotfiles/links.yaml apply --profile work",
        ),
      )
      .action(run(QUICK.apply));
  if (wanted("status"))
    program
      .command("status [paths...]")
      .description(
        "show each entry: ok, missing, wrong, conflict, broken, or stale (exit 1 on drift)",
      )
      .addOption(allowOutside())
      .addHelpText(
        "after",
        examples(
          "linkman status               each entry, and the active profiles",
          "linkman status --json        for scripts",
        ),
      )
      .action(run(QUICK.status));
  if (wanted("diff"))
    program
      .command("diff [paths...]")
      .description(
        "for each conflict and replace, a unified diff of what is there (-) against the target (+); exit 1 if anything differs",
      )
      .addOption(allowOutside())
      .addHelpText(
        "after",
        examples(
          "linkman diff                 how each file in the way differs from its target",
          "linkman diff ~/.bashrc       only that one",
        ),
      )
      .action(
        run(async (out, args) => (await import("./commands/diff.js")).diffCommand(out, args)),
      );
  if (wanted("adopt"))
    program
      .command("adopt [links...]")
      .description(
        "move real files at link paths into the repository (never over a target), then link them",
      )
      .option("--dry-run", "print the plan, change nothing")
      .addOption(allowOutside())
      .addHelpText(
        "after",
        examples(
          "linkman adopt --dry-run      which files would move into the repository",
          "linkman adopt ~/.vimrc       move that one, then link it",
        ),
      )
      .action(
        run(async (out, args) => (await import("./commands/adopt.js")).adoptCommand(out, args)),
      );

  program.commandsGroup("Undo and tidy:");
  if (wanted("unlink"))
    program
      .command("unlink [paths...]")
      .description(
        "remove the links linkman made for this manifest (only those still as it left them)",
      )
      .option("--restore", "put back the backups and previous links")
      .option("--dry-run", "print the plan, change nothing")
      .addHelpText(
        "after",
        examples(
          "linkman unlink --dry-run     which links would go",
          "linkman unlink --restore     remove them and put back what was there before",
          "linkman unlink vim           only the links of the vim package (stow -D vim)",
        ),
      )
      .action(
        run(async (out, args) => (await import("./commands/unlink.js")).unlinkCommand(out, args)),
      );
  if (wanted("prune"))
    program
      .command("prune")
      .description("remove links linkman made that the manifest no longer lists")
      .option("--dry-run", "print the plan, change nothing")
      .option(
        "--dead-links-in <dir>",
        "also remove dead symlinks in DIR that lead into the manifest's directory, whoever made them (dotbot's clean; repeatable)",
        (dir: string, dirs: string[] = []) => [...dirs, dir],
      )
      .option("--recursive", "with --dead-links-in: look in subdirectories too")
      .addOption(allowOutside())
      .addHelpText(
        "after",
        examples(
          "linkman prune --dry-run      links no longer declared",
          "linkman apply --prune        apply and prune in one run",
          "linkman prune --dead-links-in ~ --dead-links-in ~/.config   dotbot's clean",
        ),
      )
      .action(run(async (out) => (await import("./commands/prune.js")).pruneCommand(out)));

  program.commandsGroup("When something is odd:");
  if (wanted("explain"))
    program
      .command("explain <link>")
      .description("for one link path: its entry, what is there, the decision and why")
      .addOption(allowOutside())
      .addHelpText(
        "after",
        examples(
          "linkman explain ~/.vimrc     which entry, what is there, what apply would do",
          "linkman explain ~/.vimrc --json",
        ),
      )
      .action(
        run(async (out, args) => (await import("./commands/explain.js")).explainCommand(out, args)),
      );
  if (wanted("doctor"))
    program
      .command("doctor")
      .description(
        "check what this machine allows where the manifest needs it: symlinks, junctions, hard links",
      )
      .addOption(allowOutside())
      .addHelpText(
        "after",
        examples("linkman doctor               what works here", "linkman doctor --json"),
      )
      .action(run(async (out) => (await import("./commands/doctor.js")).doctorCommand(out)));

  program.commandsGroup("More:");
  if (wanted("import"))
    program
      .command("import <tool> <paths...>")
      .description(
        "write a manifest from a dotbot config (import dotbot FILE) or Stow packages (import stow DIR PACKAGE…)",
      )
      .option(
        "--dotfiles",
        "stow: a dot-name in a package is .name in the target, as stow --dotfiles",
      )
      .option(
        "--target <dir>",
        "stow: where the links go (default: the stow directory's parent, as stow)",
      )
      .option(
        "--out <file>",
        "write the manifest to FILE (never over an existing file) instead of printing it",
      )
      .addHelpText(
        "after",
        examples(
          "linkman import dotbot install.conf.yaml --out links.yaml",
          "linkman import stow ~/dotfiles vim zsh --dotfiles",
        ),
      )
      .action(
        run(async (out, args) => (await import("./commands/import.js")).importCommand(out, args)),
      );
  if (wanted("schema"))
    program
      .command("schema [name]")
      .description(
        "print a JSON Schema: the manifest's (default), or that of plan, apply or status --json",
      )
      .option("--write", "write or refresh linkman.schema.json beside the manifest")
      .addHelpText(
        "after",
        examples(
          "linkman schema --write       refresh the schema copy the manifest's $schema line names",
          "linkman schema plan          the schema of `linkman plan --json`",
        ),
      )
      .action(
        run(async (out, args) => (await import("./commands/schema.js")).schemaCommand(out, args)),
      );
  if (wanted("completion"))
    program
      .command("completion <shell>")
      .description("print a completion script: bash, zsh or fish")
      .addHelpText(
        "after",
        examples(
          "source <(linkman completion bash)     in ~/.bashrc",
          "source <(linkman completion zsh)      in ~/.zshrc",
          "linkman completion fish > ~/.config/fish/completions/linkman.fish",
        ),
      )
      .action(
        run(async (out, [shell]) => {
          if (shell !== "bash" && shell !== "zsh" && shell !== "fish") {
            out.error(`no completion for ${JSON.stringify(shell)}: choose bash, zsh or fish`);
            return ExitCode.invalid;
          }
          out.io.stdout.write((await import("./completion.js")).completionScript(shell));
          return ExitCode.ok;
        }),
      );

  return program;
}
