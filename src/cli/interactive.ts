import expand from "@inquirer/expand";
import type { Action } from "../engine/action.js";
import { ExitCode } from "../exitCode.js";
import { adopt } from "../session/adopt.js";
import { apply } from "../session/apply.js";
import { diffAction } from "../session/diff.js";
import { plan } from "../session/plan.js";
import { changeExitCode, isRefusal } from "../session/report.js";
import { diffLines } from "../views/diffView.js";
import { planLines } from "../views/planView.js";
import { renderChange } from "../views/render.js";
import type { Output } from "./output.js";

/** What the user chose for one conflict. */
type Answer = "diff" | "backup" | "skip" | "adopt" | "stop";

/** Where a problem can be answered: a file or directory in the way, with the target there (a conflict) or not yet (adopt it). */
function askable(a: Action): "conflict" | "adopt" | undefined {
  const real = a.found.type === "file" || a.found.type === "directory";
  if (a.op === "conflict" && a.rule === "in-the-way") return "conflict";
  if (a.op === "error" && a.rule === "missing-target" && real) return "adopt";
  return undefined;
}

/** Why `apply --interactive` cannot ask here, or nothing when it can. */
export function cannotAsk(out: Output, planFile: string | undefined): string | undefined {
  if (out.options.json) return "apply --interactive asks on a terminal; it cannot print --json";
  if (planFile) return "apply --interactive makes its own plan; it does not take a PLANFILE";
  if (out.io.stdin?.isTTY !== true || out.io.stderr.isTTY !== true) {
    return "apply --interactive needs a terminal to ask on; without one, see the differences with `linkman diff`, then pass --force or set onConflict";
  }
  return undefined;
}

/**
 * `linkman apply --interactive`: plans, asks about each file or directory in the way (show
 * the diff, back it up and link, skip, adopt it, or stop), then runs the normal adopt and
 * apply with the answers as per-link `onConflict` and `ifMissing`, so every check of a
 * normal run is made again. Nothing is changed until every question is answered; `q` stops
 * with nothing changed.
 */
export async function interactiveApply(out: Output): Promise<ExitCode> {
  const o = out.options;
  const choice = { ...out.choice, force: o.force, prune: o.prune };
  const planned = await plan(out.io, choice);
  if (!planned.ok || isRefusal(planned.value)) {
    if (planned.ok && isRefusal(planned.value)) {
      out.error(planned.value.message);
      return ExitCode.failure;
    }
    return out.report(
      planned,
      () => ({ out: [], messages: [] }),
      () => ExitCode.invalid,
    );
  }
  const overrides: Record<string, { onConflict?: "backup" | "skip"; ifMissing?: "skip" }> = {};
  const adopted: string[] = [];
  const stderr = out.io.stderr;
  for (const action of planned.value.actions) {
    const kind = askable(action);
    if (!kind) continue;
    for (;;) {
      stderr.write(`${planLines({ actions: [action] }, out.style).join("\n")}\n`);
      const answer = await ask(out, kind).catch((error: unknown) => {
        // Ctrl-C (or the terminal closing) at a question is a stop, not a crash.
        if (error instanceof Error && error.name === "ExitPromptError") return "stop" as const;
        throw error;
      });
      if (answer === "diff") {
        const shown = diffLines(await diffAction(out.io, action), out.style);
        stderr.write(`${shown.join("\n")}\n`);
        continue;
      }
      if (answer === "stop") {
        out.error("stopped: nothing was changed");
        return ExitCode.failure;
      }
      if (answer === "adopt") adopted.push(action.link);
      else if (answer === "skip") {
        overrides[action.link] = kind === "adopt" ? { ifMissing: "skip" } : { onConflict: "skip" };
      } else overrides[action.link] = { onConflict: "backup" };
      break;
    }
  }
  if (adopted.length > 0) {
    const result = await adopt(out.io, { ...out.choice, links: adopted });
    const code = out.report(result, (r) => renderChange(r, out.style, out.detail), changeExitCode);
    if (code !== ExitCode.ok) return code;
  }
  const result = await apply(out.io, { ...choice, overrides });
  return out.report(result, (r) => renderChange(r, out.style, out.detail), changeExitCode);
}

/** One question, one key and Enter: what to do with the thing in the way. */
async function ask(out: Output, kind: "conflict" | "adopt"): Promise<Answer> {
  const choice = (key: "d" | "b" | "a" | "s" | "q", name: string, value: Answer) => ({
    key,
    name,
    value,
  });
  const choices = [
    choice("d", "show the diff", "diff"),
    kind === "conflict"
      ? choice("b", "move it to a backup and link", "backup")
      : choice("a", "adopt it: move it into the repository as the target", "adopt"),
    choice("s", "skip it", "skip"),
    choice("q", "stop: change nothing", "stop"),
  ];
  return expand<Answer>(
    { message: "What should linkman do?", choices, expanded: true },
    {
      input: out.io.stdin as NodeJS.ReadableStream,
      output: out.io.stderr.stream ?? (out.io.stderr as unknown as NodeJS.WritableStream),
    },
  );
}
