import type { Output } from "./output.js";

/** Waits this long before showing progress: most applies finish sooner and print nothing extra. */
const DELAY_MS = 1000;
/** Redraws at most this often. */
const EVERY_MS = 100;

/**
 * The delay before progress shows: DELAY_MS, unless `LINKMAN_PROGRESS_DELAY_MS` (for tests
 * only, so a terminal test need not make a run last a second) says otherwise.
 */
function delayFrom(env: Readonly<Record<string, string | undefined>>): number {
  const given = Number(env.LINKMAN_PROGRESS_DELAY_MS ?? "");
  return env.LINKMAN_PROGRESS_DELAY_MS?.trim() && Number.isFinite(given) && given >= 0
    ? given
    : DELAY_MS;
}

/**
 * A progress indicator for long plans and applies: on a terminal only (never with --json
 * or --quiet, never when stderr is piped), shown after a second, one line redrawn in place
 * (`linkman: 1928 of 20000 done (9%, 3400/s)…`) and cleared at the end. `what` names the
 * work: `looked at` while planning, `done` while applying. Reports without a total are
 * files a glob found before planning (`linkman: 2400 files found…`). The clock is checked on
 * each call rather than by a timer, because the work itself runs without giving timers a turn.
 */
export function progressReporter(
  out: Output,
  now: () => number = Date.now,
  what = "done",
): ((done: number, total?: number) => void) | undefined {
  const stderr = out.io.stderr;
  if (stderr.isTTY !== true || out.options.json || out.options.quiet) return undefined;
  const delay = delayFrom(out.io.env);
  const start = now();
  let drawn = 0;
  let shown = false;
  // The rate counts from the first report, not from start-up (reading the manifest is not this work).
  let first: number | undefined;
  return (done, total) => {
    const t = now();
    // The files a glob finds are not the work the rate measures: it starts at the first counted one.
    if (total === undefined) first = undefined;
    else first ??= t;
    if (total !== undefined && done >= total) {
      if (shown) stderr.write("\r\u001b[K");
      shown = false;
      return;
    }
    if (t - start < delay || t - drawn < EVERY_MS) return;
    drawn = t;
    shown = true;
    if (total === undefined || first === undefined) {
      stderr.write(
        `\r\u001b[K${out.errColors.dim(`linkman: ${done} ${done === 1 ? "file" : "files"} found…`)}`,
      );
      return;
    }
    const percent = Math.floor((done / total) * 100);
    // A rate over less than one redraw's time is noise (1 done in no time is not 1000/s).
    const rate = t - first >= EVERY_MS ? `, ${Math.round(done / ((t - first) / 1000))}/s` : "";
    stderr.write(
      `\r\u001b[K${out.errColors.dim(`linkman: ${done} of ${total} ${what} (${percent}%${rate})…`)}`,
    );
  };
}
