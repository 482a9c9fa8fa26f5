import { describe, expect, it } from "vitest";
import { doctorCommand } from "../src/cli/commands/doctor.js";
import type { FileSystem } from "../src/fs/fileSystem.js";
import { NodeFileSystem } from "../src/fs/nodeFileSystem.js";
import { failing } from "../src/fs/wrappers.js";
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
    const r = await doctor(
      w,
      failing(new NodeFileSystem(), [
        { operation: "writeNewFile", path: new RegExp(`^${w.root}/[^/]+$`), code: "EACCES" },
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
