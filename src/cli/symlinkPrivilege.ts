import { spawnSync } from "node:child_process";
import type { SymlinkPrivilege } from "../engine/doctor.js";

/** Runs a program and says how it ended, as `spawnSync` does. */
export type Run = (
  command: string,
  args: string[],
) => { status: number | null; stdout: string; error?: Error | undefined };

const run: Run = (command, args) => {
  // reg and net answer for Windows only (another system may have a `net` of its own).
  if (process.platform !== "win32") {
    return { status: null, stdout: "", error: new Error("not on Windows") };
  }
  const result = spawnSync(command, args, { encoding: "utf8", windowsHide: true, timeout: 5000 });
  return { status: result.status, stdout: result.stdout ?? "", error: result.error };
};

const DEVELOPER_MODE_KEY = "HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\AppModelUnlock";

/**
 * Asks Windows where the symlink privilege would come from: the registry's Developer Mode
 * switch, and whether this shell is elevated (`net session` succeeds only for an
 * administrator). Only meaningful on Windows.
 */
export function windowsSymlinkPrivilege(runProgram: Run = run): SymlinkPrivilege {
  const reg = runProgram("reg", [
    "query",
    DEVELOPER_MODE_KEY,
    "/v",
    "AllowDevelopmentWithoutDevLicense",
  ]);
  const developerMode = reg.error
    ? null
    : reg.status === 0 &&
      /AllowDevelopmentWithoutDevLicense\s+REG_DWORD\s+0x0*1\b/i.test(reg.stdout);
  const net = runProgram("net", ["session"]);
  const elevated = net.error ? null : net.status === 0;
  return { developerMode, elevated };
}
