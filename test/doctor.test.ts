import { lutimesSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { doctorCommand } from "../src/cli/commands/doctor.js";
import type { FileSystem } from "../src/fs/fileSystem.js";
import { NodeFileSystem } from "../src/fs/nodeFileSystem.js";
import { failing, recording } from "../src/fs/wrappers.js";
import { WRITE_OPERATIONS } from "../src/fs/fileSystem.js";
import { rootsFor } from "../src/engine/roots.js";
import { loadManifest } from "../src/session/load.js";
import { windowsSymlinkPrivilege, type Run } from "../src/cli/symlinkPrivilege.js";
import { runDoctor, type SymlinkPrivilege } from "../src/engine/doctor.js";
import { onWindows, windows } from "./helpers/systems.js";
import { commandOutput, makeWorld, type World } from "./helpers/world.js";

async function doctor(
  w: World,
  fs: FileSystem = new NodeFileSystem(),
  platform = process.platform,
  json = false,
) {
  const { out, printed } = commandOutput(w, { json }, { platform, fs });
  const code = await doctorCommand(out);
  return { code, ...printed };
}

describe("linkman doctor", () => {
  it("finds everything working here, and leaves nothing behind", async () => {
    const w = await makeWorld(
      "version: 1\nlinks:\n  ~/.vimrc: vim/vimrc\n  ~/.config/nvim: nvim\n",
    );
    const before = w.snapshot();
    const r = await doctor(w);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      "links in ~: symlinks yes, directory symlinks yes, junctions yes, hard links from the repository yes",
    );
    expect(r.stdout).toContain("everything this manifest needs works here");
    expect(w.snapshot()).toEqual(before);
  });

  it("says how to get symlinks on Windows when they are refused", async () => {
    const w = await makeWorld("version: 1\nlinks:\n  ~/.vimrc: vim/vimrc\n");
    const r = await doctor(
      w,
      failing(new NodeFileSystem(), [{ operation: "symlink", code: "EPERM" }]),
      "win32",
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`symlinks cannot be made in ${w.home} (EPERM)`);
    expect(r.stderr).toContain("Developer Mode");
    expect(r.stderr).toContain("fallback: auto");
  });

  it("says what fallback: auto would make where symlinks are refused", async () => {
    const w = await makeWorld(
      "version: 1\nlinks:\n  - { link: ~/.vimrc, target: vim/vimrc, fallback: auto }\n  - { link: ~/nvim, target: nvim, fallback: auto }\n  - { link: ~/.zshrc, target: vim/vimrc }\n",
    );
    const r = await doctor(
      w,
      failing(new NodeFileSystem(), [{ operation: "symlink", code: "EPERM" }]),
      "win32",
    );
    expect(r.stdout).toContain(
      "symlinks are refused here: fallback: auto makes 1 junction(s) and 1 hard link(s) instead; 1 symlink entry has no fallback",
    );
  });

  it("is content when every symlink entry has fallback: auto", async () => {
    const w = await makeWorld(
      "version: 1\ndefaults: { fallback: auto }\nlinks:\n  ~/.vimrc: vim/vimrc\n",
    );
    const r = await doctor(
      w,
      failing(new NodeFileSystem(), [{ operation: "symlink", code: "EPERM" }]),
      "win32",
    );
    expect(r.code).toBe(0);
  });

  it("reports hard links that cannot reach from the repository, only when the manifest has any", async () => {
    const fs = () => failing(new NodeFileSystem(), [{ operation: "link", code: "EXDEV" }]);
    const without = await makeWorld("version: 1\nlinks:\n  ~/.vimrc: vim/vimrc\n");
    expect((await doctor(without, fs())).code).toBe(0);
    const w = await makeWorld(
      "version: 1\nlinks:\n  - { link: ~/tool, target: bin/tool, kind: hardlink }\n",
    );
    const r = await doctor(w, fs());
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("hard links from the repository cannot be made");
    expect(r.stderr).toContain("the repository is on another volume");
  });

  it("reports a state directory it cannot write", async () => {
    const w = await makeWorld("version: 1\nlinks:\n  ~/.vimrc: vim/vimrc\n");
    const stateDir = path.dirname(w.stateFile);
    mkdirSync(stateDir, { recursive: true });
    const r = await doctor(
      w,
      failing(new NodeFileSystem(), [
        { operation: "writeNewFile", path: new RegExp(`^${stateDir}/[^/]+$`), code: "EACCES" },
      ]),
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("the state directory");
    expect(r.stderr).toContain("--state FILE");
  });

  it("reports as JSON with --json", async () => {
    const w = await makeWorld("version: 1\nlinks:\n  ~/.vimrc: vim/vimrc\n");
    const r = await doctor(w, new NodeFileSystem(), process.platform, true);
    expect(JSON.parse(r.stdout)).toMatchObject({
      node: process.version,
      needs: ["symlink"],
      probes: [
        { dir: w.dots, write: null },
        {
          dir: w.home,
          symlink: null,
          dirSymlink: null,
          junction: null,
          hardlinkFromRepository: null,
        },
      ],
      problems: [],
    });
  });
});

describe("linkman doctor writes only inside the roots", () => {
  /** Runs the doctor, recording every write; returns them with what it printed. */
  async function doctorRecorded(w: World) {
    const fs = recording(new NodeFileSystem());
    const r = await doctor(w, fs);
    const writes = fs.calls
      .filter((c) => (WRITE_OPERATIONS as readonly string[]).includes(c.operation))
      .map((c) => String(c.args[c.operation === "symlink" || c.operation === "link" ? 1 : 0]));
    return { ...r, writes };
  }
  const inside = (p: string, dirs: string[]) => dirs.some((d) => p.startsWith(d + path.sep));

  it("reports a link directory and a hard links' repository outside the roots as not checked, and writes nothing there", async () => {
    const w = await makeWorld(
      "version: 1\nlinks:\n  - { link: ../outside/x, target: vim/vimrc }\n  - { link: ~/tool, target: ../elsewhere/tool, kind: hardlink }\n",
      { root: { outside: {}, elsewhere: { tool: "x" } } },
    );
    const before = w.snapshot();
    const r = await doctorRecorded(w);
    expect(r.stdout).toContain(
      `links in ${path.join(w.root, "outside")}: not checked: outside the roots`,
    );
    expect(r.stdout).toContain(
      `repository ${path.join(w.root, "elsewhere")}: not checked: outside the roots`,
    );
    expect(r.stdout).toContain("links in ~: symlinks yes");
    expect(r.writes.length).toBeGreaterThan(0);
    for (const p of r.writes) expect(inside(p, [w.home, w.dots]), p).toBe(true);
    expect(w.snapshot()).toEqual(before);
  });

  it("does not follow a symlinked directory in home out of the roots", async () => {
    const w = await makeWorld("version: 1\nlinks:\n  ~/out/x: vim/vimrc\n", {
      root: { outside: {} },
      home: { out: { symlink: "../outside" } },
    });
    const r = await doctorRecorded(w);
    expect(r.stdout).toContain(`links in ~/out: not checked: outside the roots`);
    for (const p of r.writes) expect(inside(p, [w.home, w.dots]), p).toBe(true);
    expect(readdirSync(path.join(w.root, "outside"))).toEqual([]);
  });

  it("probes the state directory, which linkman owns, wherever it is", async () => {
    const w = await makeWorld("version: 1\nlinks:\n  ~/.vimrc: vim/vimrc\n");
    mkdirSync(path.dirname(w.stateFile), { recursive: true });
    const r = await doctorRecorded(w);
    expect(r.stdout).toContain("writable yes");
    expect(r.writes.some((p) => p.startsWith(path.dirname(w.stateFile) + path.sep))).toBe(true);
  });

  it("sweeps its own probes left by a killed run, and nothing else", async () => {
    const old = "0123456789ab";
    const w = await makeWorld("version: 1\nlinks:\n  ~/.vimrc: vim/vimrc\n", {
      home: {
        [`.linkman-doctor-${old}-file`]: "linkman doctor\n",
        [`.linkman-doctor-${old}-symlink`]: { symlink: `.linkman-doctor-${old}-file` },
        [`.linkman-doctor-${old}-dir`]: {},
        [`.linkman-doctor-${old}-junction`]: { kept: "a directory's contents are never touched" },
        [`.linkman-doctor-${old}-file.txt`]: "not its name",
        ".linkman-doctor-xyz-file": "not its name",
        "notes.txt": "mine",
      },
    });
    const hour = Date.now() / 1000 - 3600;
    for (const name of readdirSync(w.home)) lutimesSync(path.join(w.home, name), hour, hour);
    // A young probe may be another doctor's, running now.
    writeFileSync(path.join(w.home, ".linkman-doctor-ba9876543210-file"), "linkman doctor\n");
    const r = await doctor(w);
    expect(r.code).toBe(0);
    expect(readdirSync(w.home).sort()).toEqual(
      [
        `.linkman-doctor-${old}-junction`,
        `.linkman-doctor-${old}-file.txt`,
        ".linkman-doctor-xyz-file",
        ".linkman-doctor-ba9876543210-file",
        "notes.txt",
      ].sort(),
    );
    expect(readdirSync(path.join(w.home, `.linkman-doctor-${old}-junction`))).toEqual(["kept"]);
  });
});

describe("linkman doctor on Windows: where the symlink privilege comes from", () => {
  const reg = (value: string) =>
    `\r\nHKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\AppModelUnlock\r\n    AllowDevelopmentWithoutDevLicense    REG_DWORD    ${value}\r\n`;
  const answers =
    (regAnswer: ReturnType<Run>, netStatus: number | null): Run =>
    (command) =>
      command === "reg" ? regAnswer : { status: netStatus, stdout: "" };

  it("reads Developer Mode from the registry and elevation from net session", () => {
    expect(windowsSymlinkPrivilege(answers({ status: 0, stdout: reg("0x1") }, 2))).toEqual({
      developerMode: true,
      elevated: false,
    });
    expect(windowsSymlinkPrivilege(answers({ status: 0, stdout: reg("0x0") }, 0))).toEqual({
      developerMode: false,
      elevated: true,
    });
    // No such value: Developer Mode was never turned on.
    expect(windowsSymlinkPrivilege(answers({ status: 1, stdout: "" }, 0)).developerMode).toBe(
      false,
    );
    const missing = { status: null, stdout: "", error: new Error("spawn reg ENOENT") };
    expect(windowsSymlinkPrivilege(() => missing)).toEqual({ developerMode: null, elevated: null });
  });

  /** The doctor's report for a world on the Windows model, with the privilege given. */
  async function reportOn(w: World, privilege: SymlinkPrivilege) {
    const { out } = commandOutput(w);
    const loaded = await loadManifest(out.io, out.choice);
    if (!loaded.ok) throw new Error(loaded.errors[0]?.message);
    return runDoctor(w.fs, {
      repository: w.dots,
      links: loaded.value.links,
      stateFile: w.stateFile,
      platform: "win32",
      arch: "x64",
      roots: await rootsFor(w.fs, { homedir: w.home, manifest: w.manifest }),
      privilege,
    });
  }

  it("notes symlinks that work only because the shell is elevated, without failing", async () => {
    const w = await makeWorld("version: 1\nlinks:\n  ~/.vimrc: vim/vimrc\n", {}, windows());
    const elevatedOnly = await reportOn(w, { developerMode: false, elevated: true });
    expect(elevatedOnly.problems).toEqual([]);
    expect(elevatedOnly.notes.map((n) => n.message)).toEqual([
      "symlinks work here only because this shell is elevated; in a normal shell they will be refused",
    ]);
    expect((await reportOn(w, { developerMode: true, elevated: true })).notes).toEqual([]);
    expect((await reportOn(w, { developerMode: null, elevated: true })).notes).toEqual([]);

    const auto = await makeWorld(
      "version: 1\ndefaults: { fallback: auto }\nlinks:\n  ~/.vimrc: vim/vimrc\n",
      {},
      windows(),
    );
    expect((await reportOn(auto, { developerMode: false, elevated: true })).notes).toEqual([]);
  });

  it("shows the privilege's sources on Windows", async () => {
    const w = await makeWorld("version: 1\nlinks:\n  ~/.vimrc: vim/vimrc\n", {}, windows());
    const r = await w.cli("doctor");
    expect(r.stdout).toMatch(
      /symlink privilege: Developer Mode (yes|no|unknown), elevated shell (yes|no|unknown)/,
    );
  });

  it.runIf(onWindows)("agrees with what this Windows really allows", async () => {
    const privilege = windowsSymlinkPrivilege();
    expect(privilege.developerMode).not.toBeNull();
    expect(privilege.elevated).not.toBeNull();
    const w = await makeWorld("version: 1\nlinks:\n  ~/.vimrc: vim/vimrc\n");
    const probe = (await reportOn(w, privilege)).probes[1]!;
    expect(probe.symlink === null).toBe(
      privilege.developerMode === true || privilege.elevated === true,
    );
  });
});
