import { Command, CommanderError, Option } from "commander";
import { ExitCode } from "../exitCode.js";
import { errorCode } from "../fs/fileSystem.js";
import { packageVersion } from "../packageInfo.js";
import type { CliIO } from "./io.js";
import { Output, type GlobalOptions } from "./output.js";

/**
 * Runs linkman with the given arguments and returns the exit code. Everything it needs
 * from the process comes through `io`, so tests call it directly.
 */
export async function main(argv: readonly string[], io: CliIO): Promise<number> {
  let code: number = ExitCode.ok;
  const program = new Command("linkman");
  const run = (command: (out: Output, args: string[]) => Promise<number> | number) =>
    async function (this: Command, ...args: unknown[]) {
      const options = this.optsWithGlobals() as GlobalOptions;
      const positional = args.flat().filter((a): a is string => typeof a === "string");
      code = await command(new Output(io, options), positional);
    };

  program
    .description(
      "Keep this machine's symlinks, hard links and junctions in the state a YAML manifest declares.",
    )
    .version(packageVersion(), "--version", "print the version")
    .helpOption("-h, --help", "show help")
    .option("-c, --config <file>", "the manifest (default: LINKMAN_CONFIG, or searched upward)")
    .option(
      "--profile <name>",
      "activate a profile (repeatable; default: LINKMAN_PROFILE, comma-separated)",
      (value: string, list: string[] | undefined) => [...(list ?? []), value],
    )
    .option("--json", "machine output on stdout, messages on stderr")
    .option("-q, --quiet", "print only errors")
    .option("-v, --verbose", "explain more")
    .option("--no-color", "no colours (also NO_COLOR)")
    .option(
      "--state <file>",
      "the state file (default: one per manifest under $XDG_STATE_HOME/linkman)",
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

  program
    .command("plan")
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
    .action(run(async (out) => (await import("./commands/plan.js")).planCommand(out)));
  program
    .command("apply [planfile]")
    .description(
      "plan (or read a saved plan), then apply; nothing changes on a conflict, an error or a stale plan",
    )
    .option("--dry-run", "print the plan, change nothing")
    .option("--prune", "also remove links linkman made that the manifest no longer lists")
    .addOption(force())
    .option("--skip-conflicts", "apply the rest when the plan holds conflicts or errors")
    .option(
      "--onboarding",
      "for npm's prepare: under CI, LINKMAN=0, outside git or with no writable state, say why and exit 0",
    )
    .addOption(allowOutside())
    .action(
      run(async (out, args) => (await import("./commands/apply.js")).applyCommand(out, args)),
    );
  program
    .command("status")
    .description("show each entry: ok, missing, wrong, conflict or broken (exit 1 on drift)")
    .addOption(allowOutside())
    .action(run(async (out) => (await import("./commands/status.js")).statusCommand(out)));
  program
    .command("unlink")
    .description(
      "remove the links linkman made for this manifest (only those still as it left them)",
    )
    .option("--restore", "put back the backups and previous links")
    .option("--dry-run", "print the plan, change nothing")
    .action(run(async (out) => (await import("./commands/unlink.js")).unlinkCommand(out)));
  program
    .command("prune")
    .description("remove links linkman made that the manifest no longer lists")
    .option("--dry-run", "print the plan, change nothing")
    .action(run(async (out) => (await import("./commands/prune.js")).pruneCommand(out)));
  program
    .command("adopt [links...]")
    .description(
      "move real files at link paths into the repository (never over a target), then link them",
    )
    .option("--dry-run", "print the plan, change nothing")
    .addOption(allowOutside())
    .action(
      run(async (out, args) => (await import("./commands/adopt.js")).adoptCommand(out, args)),
    );
  program
    .command("doctor")
    .description(
      "check what this machine allows where the manifest needs it: symlinks, junctions, hard links",
    )
    .addOption(allowOutside())
    .action(run(async (out) => (await import("./commands/doctor.js")).doctorCommand(out)));
  program
    .command("explain <link>")
    .description("for one link path: its entry, what is there, the decision and why")
    .addOption(allowOutside())
    .action(
      run(async (out, args) => (await import("./commands/explain.js")).explainCommand(out, args)),
    );
  program
    .command("completion <shell>")
    .description("print a completion script: bash, zsh or fish")
    .action(
      run(async (out, [shell]) => {
        if (shell !== "bash" && shell !== "zsh" && shell !== "fish") {
          out.error(`no completion for ${JSON.stringify(shell)}: choose bash, zsh or fish`);
          return ExitCode.invalid;
        }
        out.io.stdout.write((await import("./completion.js")).completionScript(shell, program));
        return ExitCode.ok;
      }),
    );
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
    .action(
      run(async (out, args) => (await import("./commands/import.js")).importCommand(out, args)),
    );
  program
    .command("validate")
    .description("check the manifest and print every error (exit 2 if invalid)")
    .action(run(async (out) => (await import("./commands/validate.js")).validateCommand(out)));
  program
    .command("schema [name]")
    .description(
      "print a JSON Schema: the manifest's (default), or that of plan, apply or status --json",
    )
    .action(
      run(async (out, args) => (await import("./commands/schema.js")).schemaCommand(out, args)),
    );
  program
    .command("init")
    .description("write a commented starter links.yaml (never overwrites)")
    .action(run(async (out) => (await import("./commands/init.js")).initCommand(out)));

  try {
    await program.parseAsync([...argv], { from: "user" });
  } catch (error) {
    if (error instanceof CommanderError) {
      // `--help` and `--version` succeed; anything else (including no command at all,
      // which prints the help as an error) is a usage error.
      const done = ["commander.helpDisplayed", "commander.version"];
      return done.includes(error.code) ? ExitCode.ok : ExitCode.invalid;
    }
    // A filesystem error nobody expected is still the machine's answer, not a bug: say it
    // with its path and cause.
    const code = errorCode(error);
    if (code && typeof (error as { path?: unknown }).path === "string") {
      io.stderr.write(
        `linkman: error: ${(error as { path: string }).path}: ${code}; nothing more was done\n`,
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
  return code;
}
