import { ExitCode } from "../../exitCode.js";
import { schemaLineProblem } from "../../manifest/schemaCopy.js";
import { loadManifest } from "../../session/load.js";
import { diagnosticsJson, type Output } from "../output.js";

/** `linkman validate`: checks the manifest and prints every error; exit 0, or 2 if invalid. */
export async function validateCommand(out: Output): Promise<ExitCode> {
  const loaded = await loadManifest(out.io, out.choice);
  if (!loaded.ok) {
    if (out.options.json) out.json({ valid: false, errors: diagnosticsJson(loaded.errors) });
    out.diagnostics(loaded.errors);
    const n = loaded.errors.length;
    out.info(`${n} ${n === 1 ? "error" : "errors"}; nothing was changed.`);
    return ExitCode.invalid;
  }
  const { file, links } = loaded.value;
  const skipped = links.filter((l) => l.skipped).length;
  const schemaProblem = await schemaLineProblem(out.io.fs, file);
  if (out.options.json) {
    out.json({
      valid: true,
      manifest: file,
      warnings: schemaProblem ? [schemaProblem] : [],
      links: links.map((l) => ({
        link: l.link,
        target: l.target,
        kind: l.kind,
        skipped: l.skipped ? l.skipped.why : null,
      })),
    });
    if (schemaProblem) out.info(`warning: ${schemaProblem}`);
    return ExitCode.ok;
  }
  // The list is data, like plan's lines: stdout.
  if (out.options.verbose) {
    for (const l of links) {
      const arrow = `${out.showPath(l.link)} → ${out.showPath(l.target)}`;
      out.out(l.skipped ? `  ? ${arrow} (skipped: ${l.skipped.why})` : `  ${l.kind} ${arrow}`);
    }
  }
  if (schemaProblem) out.info(`${out.errColors.yellow("warning")}: ${schemaProblem}`);
  const active = links.length - skipped;
  out.info(
    `${out.errColors.green("✓")} ${out.showPath(file)} is valid: ${active} ${active === 1 ? "link" : "links"}` +
      (skipped ? `, ${skipped} skipped by \`when\`` : "") +
      ".",
  );
  return ExitCode.ok;
}
