import type { Located } from "./source.js";

/**
 * Places in one text by offset: its line (lines end at "\n"; a "\r" before it is not part of
 * the line's text), 1-based column, the line's text, and the length of what is pointed at,
 * from `start` to `end` but within the line and at least 1; `end` below 0 means to the end
 * of the line. Line starts are found on the first call, and each place by a binary search.
 */
export function locator(file: string, text: string): (start: number, end?: number) => Located {
  let lineStarts: number[] | undefined;
  return (start, end = start + 1) => {
    lineStarts ??= startsOfLines(text);
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((lineStarts[mid] as number) <= start) lo = mid;
      else hi = mid - 1;
    }
    const lineStart = lineStarts[lo] as number;
    const next = text.indexOf("\n", lineStart);
    const whole = text.slice(lineStart, next < 0 ? text.length : next);
    const lineText = next >= 0 && whole.endsWith("\r") ? whole.slice(0, -1) : whole;
    const column = start - lineStart + 1;
    const rest = lineText.length - column + 1;
    const length = Math.max(1, end < 0 ? rest : Math.min(end - start, rest));
    return { file, line: lo + 1, column, lineText, length };
  };
}

function startsOfLines(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) starts.push(i + 1);
  return starts;
}
