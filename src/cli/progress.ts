import type { Output } from "./output.js";

/** Waits this long before showing progress: most applies finish sooner and print nothing extra. */
const DELAY_MS = 1000;
/** Redraws at most this often. */
const EVERY_MS = 100;

/**
 * A progress indicator for long plans and applies: on a terminal only (never with --json
 * or --quiet, never when stderr is piped), shown after a second, one line redrawn in place
 * (`linkman: 1928 of 20000 done (9%, 3400/s)…`) and cleared at the end. `what` names the
 * work: `looked at` while planning, `done` while applying. The clock is checked on each
 * call rather than by a timer, because the work itself runs without giving timers a turn.
 */
export function progressReporter(
  out: Output,
  now: () => number = Date.now,
  what = "done",
): ((done: number, total: number) => void) | undefined {
  const stderr = out.io.stderr;
  if (stderr.isTTY !== true || out.options.json || out.options.quiet) return undefined;
  const start = now();
  let drawn = 0;
  let shown = false;
  // The rate counts from the first report, not from start-up (reading the manifest is not this work).
  let first: number | undefined;
  return (done, total) => {
    const t = now();
    first ??= t;
    if (done >= total) {
      if (shown) stderr.write("\r\u001b[K");
      shown = false;
      return;
    }
    if (t - start < DELAY_MS || t - drawn < EVERY_MS) return;
    drawn = t;
    shown = true;
    const percent = Math.floor((done / total) * 100);
    const rate = Math.round(done / Math.max((t - first) / 1000, 0.001));
    stderr.write(
      `\r\u001b[K${out.colors.dim(`linkman: ${done} of ${total} ${what} (${percent}%, ${rate}/s)…`)}`,
    );
  };
}
