import { ExitCode } from "../../exitCode.js";
import { diff } from "../../session/diff.js";
import { renderDiff } from "../../views/diffView.js";
import { userPath } from "../io.js";
import type { Output } from "../output.js";

/**
 * `linkman diff [PATH…]`: for each conflict and replace, what is at the link path (`-`)
 * against the target (`+`). Exit 0 when nothing differs, 1 when something does (as diff(1)).
 */
export async function diffCommand(out: Output, args: readonly string[]): Promise<ExitCode> {
  const result = await diff(out.io, {
    ...out.choice,
    force: out.options.force,
    paths: args.map((a) => userPath(out.io, a)),
  });
  return out.report(
    result,
    (r) => renderDiff(r, out.style),
    (r) => (r.different > 0 ? ExitCode.failure : ExitCode.ok),
  );
}
