import pc from "picocolors";
import type { Diagnostic, Result } from "../diagnostic.js";
import { diagnosticHeadline, sortDiagnostics } from "../diagnostic.js";
import { ExitCode } from "../exitCode.js";
import { pathShower } from "../display.js";
import type { ViewStyle } from "../views/planView.js";
import type { Rendered } from "../views/render.js";
import { userPath, type CliIO, type Sink } from "./io.js";
import { writeJson } from "./jsonPieces.js";

/** The options every command takes. */
export interface GlobalOptions {
  config?: string;
  profile?: string[];
  json?: boolean;
  quiet?: boolean;
  verbose?: boolean;
  /** `--color=auto|always|never`; `--no-color` gives false. */
  color?: string | boolean;
  state?: string;
}

/** Every flag a command may have, parsed once by commander into one typed value. */
export interface CommandOptions extends GlobalOptions {
  allowOutside?: string[];
  force?: boolean;
  dryRun?: boolean;
  skipConflicts?: boolean;
  interactive?: boolean;
  onboarding?: boolean;
  prune?: boolean;
  out?: string;
  restore?: boolean;
  deadLinksIn?: string[];
  recursive?: boolean;
  dotfiles?: boolean;
  target?: string;
  write?: boolean;
}

type Colors = ReturnType<typeof pc.createColors>;

/**
 * Whether to colour one stream, by the common conventions: `--color=always|never` (and
 * `--no-color`) win; then `FORCE_COLOR` (`0` or `false` turns colour off), then `NO_COLOR`
 * (set and non-empty), then `TERM=dumb`; otherwise colour exactly when the stream is a terminal.
 */
export function colorFor(
  setting: string | boolean | undefined,
  env: Readonly<Record<string, string | undefined>>,
  stream: Pick<Sink, "isTTY">,
): boolean {
  if (setting === false || setting === "never") return false;
  if (setting === "always") return true;
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force !== "0" && force !== "false";
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  if (env.TERM === "dumb") return false;
  return stream.isTTY === true;
}

/**
 * How a command talks: data on stdout, messages on stderr, each stream coloured by its own
 * terminal (see `colorFor`); JSON is never coloured.
 */
export class Output {
  /** Colours for stdout: the plan, the status, every line of data. */
  readonly colors: Colors;
  /** Colours for stderr: errors, warnings, summaries. */
  readonly errColors: Colors;
  /** `showPath` for this run's directory and home, made once: a report shows 20,000 paths. */
  private readonly shower: (p: string) => string;

  constructor(
    readonly io: CliIO,
    readonly options: CommandOptions,
  ) {
    this.colors = pc.createColors(!options.json && colorFor(options.color, io.env, io.stdout));
    this.errColors = pc.createColors(colorFor(options.color, io.env, io.stderr));
    this.shower = pathShower(io);
  }

  /** How views show paths and colours. */
  get style(): ViewStyle {
    return { showPath: this.shower, colors: this.colors };
  }

  /** A line of the command's result (stdout). */
  out(line: string): void {
    this.io.stdout.write(`${line}\n`);
  }

  /** A machine-readable result (stdout). */
  json(value: unknown): void {
    writeJson(value, (text) => this.io.stdout.write(text));
  }

  /** A progress or summary message (stderr), silenced by --quiet. */
  info(line: string): void {
    if (!this.options.quiet) this.io.stderr.write(`${line}\n`);
  }

  /** Detail shown only with --verbose (stderr). */
  verbose(line: string): void {
    if (this.options.verbose && !this.options.quiet) this.io.stderr.write(`${line}\n`);
  }

  /** An error message (stderr), never silenced. */
  error(line: string): void {
    this.io.stderr.write(`${this.errColors.red("error")}: ${line}\n`);
  }

  /** Every diagnostic, compiler style: `file:line:col: error: …`, the line, a caret, a hint. */
  diagnostics(list: Diagnostic[]): void {
    const c = this.errColors;
    for (const d of sortDiagnostics(list)) {
      const headline = diagnosticHeadline(d, (f) => this.showPath(f));
      const [where, ...rest] = splitWhere(headline, d);
      this.io.stderr.write(`${c.bold(where)}${c.red("error")}: ${rest.join("")}\n`);
      if (d.lineText !== undefined && d.line !== undefined && d.column !== undefined) {
        const gutter = String(d.line).length;
        const { text, column } = frameWindow(d.lineText, d.column);
        const width = Math.max(1, Math.min(d.length ?? 1, 80, text.length - column + 1));
        const caret = " ".repeat(Math.max(0, column - 1)) + "^".repeat(width);
        this.io.stderr.write(`${c.dim(`${d.line} |`)} ${text}\n`);
        this.io.stderr.write(`${c.dim(`${" ".repeat(gutter)} |`)} ${c.red(caret)}\n`);
      }
      if (d.hint) this.io.stderr.write(`  ${c.cyan("hint")}: ${d.hint}\n`);
    }
  }

  /** A path as the user reads it: relative to the current directory when inside it, else with `~`. */
  showPath(p: string): string {
    return this.shower(p);
  }

  /** The choices every session is told: manifest, profiles, state file, and extra roots. */
  get choice() {
    return {
      config: this.options.config,
      profiles: this.options.profile,
      state: this.options.state,
      allowOutside: this.options.allowOutside?.map((d) => userPath(this.io, d)),
    };
  }

  /** A rendered value: its lines on stdout, its messages on stderr. */
  show(rendered: Rendered): void {
    // The same bytes in a write per 256 lines, not per line (a syscall and a Buffer each); not
    // one write for all: 10,000 lines would be megabytes of fresh string and Buffer at once.
    const lines = rendered.out;
    for (let i = 0; i < lines.length; i += 256) {
      this.io.stdout.write(`${lines.slice(i, i + 256).join("\n")}\n`);
    }
    for (const m of rendered.messages) {
      if (m.level === "error") this.error(m.text);
      else if (m.level === "notice") this.io.stderr.write(`${m.text}\n`);
      else this.info(m.text);
    }
  }

  /**
   * A session's answer, printed once for every command: invalid input as diagnostics (exit
   * 2), else the value as JSON (exactly the library's value) or as `render` shows it.
   */
  report<T>(
    result: Result<T>,
    render: (value: T) => Rendered,
    exit: (value: T) => ExitCode,
  ): ExitCode {
    if (!result.ok) {
      if (this.options.json) this.json({ errors: diagnosticsJson(result.errors) });
      this.diagnostics(result.errors);
      const n = result.errors.length;
      this.info(`${n === 1 ? "1 error" : `${n} errors`}; nothing was changed.`);
      return ExitCode.invalid;
    }
    const rendered = render(result.value);
    if (this.options.json) {
      // Machine output on stdout; the messages still go to stderr.
      this.json(result.value);
      this.show({ out: [], messages: rendered.messages });
    } else this.show(rendered);
    return exit(result.value);
  }

  /** How far a view goes: `--quiet` and `--verbose`. */
  get detail() {
    return { quiet: this.options.quiet, verbose: this.options.verbose };
  }
}

/** At most this much of a source line is shown under a message. */
const FRAME_WIDTH = 100;

/** The part of a long line around `column`, and where the column falls in it (1-based). */
export function frameWindow(line: string, column: number): { text: string; column: number } {
  if (line.length <= FRAME_WIDTH) return { text: line, column: Math.min(column, line.length + 1) };
  const start = Math.max(0, Math.min(column - 1 - FRAME_WIDTH / 2, line.length - FRAME_WIDTH));
  const head = start > 0 ? "…" : "";
  const tail = start + FRAME_WIDTH < line.length ? "…" : "";
  return {
    text: head + line.slice(start, start + FRAME_WIDTH) + tail,
    column: column - start + head.length,
  };
}

/** Splits `file:1:2: message` into the place (with its colon and space) and the rest. */
function splitWhere(headline: string, d: Diagnostic): [string, string] {
  if (!d.file) return ["", headline];
  const colon = headline.indexOf(": ");
  return [headline.slice(0, colon + 2), headline.slice(colon + 2)];
}

/** Diagnostics as JSON: absolute file, line, column, key path, message, hint. */
export function diagnosticsJson(list: Diagnostic[]): object[] {
  return sortDiagnostics(list).map((d) => ({
    file: d.file ?? null,
    line: d.line ?? null,
    column: d.column ?? null,
    path: d.path,
    message: d.message,
    hint: d.hint ?? null,
  }));
}
