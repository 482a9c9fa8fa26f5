import { spawn } from "node:child_process";
import path from "node:path";

/** The built CLI, run in the pseudo-terminal. */
const BIN = path.resolve(import.meta.dirname, "..", "..", "dist", "bundle", "linkman.js");

/** What a prompt writes when its question has been answered: the cursor shown again. */
const ANSWERED = "\u001b[?25h";

/** What a run in a pseudo-terminal printed (everything the terminal showed) and its exit code. */
export interface PtyRun {
  code: number;
  screen: string;
}

/**
 * Runs the built `linkman …args` in a pseudo-terminal made by util-linux `script`, and
 * each time a question (`waitFor`) is asked, types the next of `keys`. The terminal stays
 * open until the command exits.
 */
export function inTerminal(
  args: string[],
  options: { cwd: string; env: Record<string, string>; waitFor?: string; keys?: string[] },
): Promise<PtyRun> {
  const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  const command = [process.execPath, BIN, ...args].map(quote).join(" ");
  const child = spawn("script", ["-qfec", command, "/dev/null"], {
    cwd: options.cwd,
    env: { PATH: process.env.PATH ?? "", TERM: "xterm", ...options.env },
  });
  const keys = [...(options.keys ?? [])];
  let screen = "";
  // Where the next question must appear: after the previous one was answered (the prompt
  // shows the cursor again when it is done), so no key is typed before its question is asked.
  let from = 0;
  let waiting = true;
  child.stdout.on("data", (chunk: Buffer) => {
    screen += chunk.toString("utf8");
    if (!options.waitFor) return;
    for (;;) {
      if (waiting) {
        const at = screen.indexOf(options.waitFor, from);
        if (at < 0) return;
        const key = keys.shift();
        if (key === undefined) return;
        child.stdin.write(key);
        waiting = false;
        from = at;
      }
      const done = screen.indexOf(ANSWERED, from);
      if (done < 0) return;
      from = done + ANSWERED.length;
      waiting = true;
    }
  });
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => {
      child.stdin.end();
      resolve({ code: code ?? -1, screen });
    });
  });
}
