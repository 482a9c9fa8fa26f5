import { printable } from "../display.js";
import type { DiffReport } from "../session/diff.js";
import type { ViewStyle } from "./planView.js";
import type { Rendered } from "./render.js";

/** One link's difference: its unified diff coloured as diff(1) users expect, or its description under a header. */
export function diffLines(d: DiffReport["diffs"][number], style: ViewStyle): string[] {
  const c = style.colors;
  if (d.patch !== null) {
    // Each line through printable: a file's bytes must not move the cursor or forge lines.
    return d.patch
      .replace(/\n$/, "")
      .split("\n")
      .map((line) => {
        const shown = printable(line);
        if (line.startsWith("---") || line.startsWith("+++")) return c.dim(shown);
        if (line.startsWith("@@")) return c.cyan(shown);
        if (line.startsWith("-")) return c.red(shown);
        if (line.startsWith("+")) return c.green(shown);
        return shown;
      });
  }
  const header = `${d.op === "conflict" ? "!" : "~"} ${style.showPath(d.link)} → ${style.showPath(d.target)}`;
  return [header, ...(d.description ?? "").split("\n").map((l) => `    ${printable(l)}`)];
}

/** Every difference, then a line saying how many there were. */
export function renderDiff(report: DiffReport, style: ViewStyle): Rendered {
  const out = report.diffs.flatMap((d) => diffLines(d, style));
  const n = report.different;
  const summary =
    report.diffs.length === 0
      ? "No conflicts or replacements to compare."
      : `Compared ${report.diffs.length}: ${n} ${n === 1 ? "differs from its target" : "differ from their targets"}.`;
  return { out, messages: [{ level: "info", text: summary }] };
}
