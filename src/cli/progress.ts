import type { Output } from "./output.js";

/** Waits this long before showing progress: most applies finish sooner and print nothing extra. */
const DELAY_MS = 1000;
/** Redraws at most this often. */
const EVERY_MS = 100;

/**
 * A progress indicator for long applies: on a terminal only (never with --json or --quiet,
 * never when stderr is piped), shown after a second, one line redrawn in place and cleared
 * at the end. The clock is checked on each call rather than by a timer, because the work
 * itself runs without giving timers a turn.
 */
export function progressReporter(
  out: Output,
  now: () => number = Date.now,
): ((done: number, total: number) => void) | undefined {
  const stderr = out.io.stderr;
  if (stderr.isTTY !== true || out.options.json || out.options.quiet) return undefined;
  const start = now();
  let drawn = 0;
  let shown = false;
  return (done, total) => {
    const t = now();
    if (done >= total) {
      if (shown) stderr.write("\r\u001b[K");
      return;
    }
    if (t - start < DELAY_MS || t - drawn < EVERY_MS) return;
    drawn = t;
    shown = true;
    stderr.write(`\r\u001b[K${out.colors.dim(`linkman: ${done} of ${total} done…`)}`);
  };
}
