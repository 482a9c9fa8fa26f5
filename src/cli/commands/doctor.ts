import type { Probe } from "../../engine/doctor.js";
import { ExitCode } from "../../exitCode.js";
import { doctor } from "../../session/doctor.js";
import type { Output } from "../output.js";
import { windowsSymlinkPrivilege } from "../symlinkPrivilege.js";

/**
 * `linkman doctor`: what this machine allows where the manifest needs it — symlinks,
 * directory symlinks, junctions and hard links from the repository, probed for real in
 * temporary directories — and whether the state directory is writable. Exit 1 when
 * something the manifest needs does not work, saying what to do.
 */
export async function doctorCommand(out: Output): Promise<ExitCode> {
  const result = await doctor(out.io, { ...out.choice, askPrivilege: windowsSymlinkPrivilege });
  if (!result.ok)
    return out.report(
      result,
      () => ({ out: [], messages: [] }),
      () => ExitCode.ok,
    );
  const report = result.value;
  if (out.options.json) {
    out.json(report);
  } else {
    const c = out.colors;
    const mark = (result: string | null) =>
      result === null ? c.green("yes") : c.red(`no (${result})`);
    out.out(`node ${report.node} on ${report.platform} ${report.arch}`);
    out.out(
      `manifest ${out.showPath(report.manifest)} needs: ${report.needs.join(", ") || "nothing yet"}`,
    );
    const notChecked = (why: string) => c.yellow(`not checked: ${why}`);
    const { state } = report;
    out.out(
      `state ${out.showPath(state.file)}: ${state.notChecked ? notChecked(state.notChecked) : `writable ${mark(state.writable)}`}`,
    );
    const row = (p: Probe, role: string) =>
      p.notChecked
        ? `${role} ${out.showPath(p.dir)}: ${notChecked(p.notChecked)}`
        : `${role} ${out.showPath(p.dir)}: symlinks ${mark(p.symlink)}, directory symlinks ${mark(p.dirSymlink)}, junctions ${mark(p.junction)}` +
          (role === "links in"
            ? `, hard links from the repository ${mark(p.hardlinkFromRepository)}`
            : "");
    report.probes.forEach((p, i) => out.out(row(p, i === 0 ? "repository" : "links in")));
    if (report.fallback) {
      const f = report.fallback;
      out.out(
        `symlinks are refused here: fallback: auto makes ${f.junctions} junction(s) and ${f.hardlinks} hard link(s) instead; ${f.withoutFallback} symlink entr${f.withoutFallback === 1 ? "y has" : "ies have"} no fallback`,
      );
    }
    if (report.privilege) {
      const { developerMode, elevated } = report.privilege;
      const answer = (value: boolean | null) => (value === null ? "unknown" : value ? "yes" : "no");
      out.out(
        `symlink privilege: Developer Mode ${answer(developerMode)}, elevated shell ${answer(elevated)}`,
      );
    }
    if (report.notProbed > 0) out.out(`(${report.notProbed} more link directories not probed)`);
    const e = out.errColors;
    for (const problem of report.problems) {
      out.error(problem.message);
      out.info(`  ${e.cyan("hint")}: ${problem.hint}`);
    }
    for (const note of report.notes) {
      out.info(`${e.yellow("note")}: ${note.message}`);
      out.info(`  ${e.cyan("hint")}: ${note.hint}`);
    }
    if (report.problems.length === 0)
      out.out(`${c.green("✓")} everything this manifest needs works here.`);
  }
  return report.problems.length > 0 ? ExitCode.failure : ExitCode.ok;
}
