import type { Imported } from "../../import/dotbot.js";
import { ExitCode } from "../../exitCode.js";
import { errorCode, MAX_INPUT_BYTES, readTextFile } from "../../fs/fileSystem.js";
import type { Result } from "../../diagnostic.js";
import { userPath } from "../io.js";
import type { Output } from "../output.js";

/**
 * `linkman import dotbot FILE` and `linkman import stow DIR PACKAGE…`: prints (or with --out
 * writes, never over a file) the manifest that does what the other tool's setup did, and
 * notes on stderr what could not be converted, with lines.
 */
export async function importCommand(out: Output, args: readonly string[]): Promise<ExitCode> {
  const { fs } = out.io;
  const [tool, first, ...rest] = args;
  const options = out.options as { dotfiles?: boolean; target?: string; out?: string };
  const at = (p: string) => userPath(out.io, p);
  let converted: Result<Imported>;
  if (tool === "dotbot" && first && rest.length === 0) {
    const file = at(first);
    let text: string;
    try {
      text = await readTextFile(fs, file);
    } catch (error) {
      out.error(`cannot read ${out.showPath(file)}: ${unreadable(error)}`);
      return ExitCode.invalid;
    }
    converted = (await import("../../import/dotbot.js")).convertDotbot(file, text);
  } else if (tool === "stow" && first && rest.length > 0) {
    converted = await (
      await import("../../import/stow.js")
    ).convertStow(fs, {
      dir: at(first),
      packages: rest,
      dotfiles: options.dotfiles ?? false,
      target: options.target ? at(options.target) : undefined,
      homedir: out.io.homedir,
      cwd: out.io.cwd,
      env: out.io.env,
    });
  } else {
    out.error("usage: linkman import dotbot FILE, or linkman import stow DIR PACKAGE…");
    return ExitCode.invalid;
  }
  if (!converted.ok) {
    out.diagnostics(converted.errors);
    return ExitCode.invalid;
  }
  const { manifest, notes } = converted.value;
  if (options.out) {
    const file = at(options.out);
    try {
      await fs.writeNewFile(file, manifest);
    } catch (error) {
      out.error(
        `cannot write ${out.showPath(file)}: ${errorCode(error) === "EEXIST" ? "it already exists (import never overwrites a file)" : (errorCode(error) ?? String(error))}`,
      );
      return ExitCode.failure;
    }
    out.info(`Wrote ${out.showPath(file)}.`);
  } else {
    out.io.stdout.write(manifest);
  }
  for (const note of notes)
    out.info(`note: ${note.line ? `line ${note.line}: ` : ""}${note.message}`);
  return ExitCode.ok;
}

/** Why an input file could not be read, in words (the read is bounded and takes regular files only). */
function unreadable(error: unknown): string {
  switch (errorCode(error)) {
    case "ENOENT":
    case "ENOTDIR":
      return "no such file";
    case "EINVAL":
    case "EISDIR":
      return "it is not a regular file (a directory, FIFO or device); give the path of the dotbot configuration";
    case "EFBIG":
      return `it is larger than ${MAX_INPUT_BYTES / 1024 / 1024} MiB, far more than a dotbot configuration`;
    case "EACCES":
    case "EPERM":
      return "permission denied";
    default:
      return errorCode(error) ?? String(error);
  }
}
