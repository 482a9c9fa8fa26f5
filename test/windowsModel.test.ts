import path from "node:path";
import { describe, expect, it } from "vitest";
import { errorCode, type FileSystem } from "../src/fs/fileSystem.js";
import { NodeFileSystem } from "../src/fs/nodeFileSystem.js";
import { linkFromReadlink } from "../src/platform.js";
import { makeTree } from "./helpers/tree.js";
import { onWindows } from "./helpers/systems.js";
import { macModel, windowsModel } from "./helpers/windowsModel.js";

/** The error code a call fails with, or "ok". */
async function outcome(call: Promise<unknown>): Promise<string> {
  try {
    await call;
    return "ok";
  } catch (error) {
    return errorCode(error) ?? String(error);
  }
}

/**
 * What the model claims about Windows, checked against the model here and against the real
 * filesystem when the suite runs on Windows (the CI workflow's Windows jobs): the model is
 * only as good as these claims.
 */
describe.each<[string, () => FileSystem]>(
  onWindows
    ? [["this Windows", () => new NodeFileSystem()]]
    : [["the Windows model", () => windowsModel(new NodeFileSystem())]],
)("Windows' rules, on %s", (_name, system) => {
  const world = async () => {
    const root = await makeTree({ dots: { nvim: { "init.lua": "x" }, vimrc: "set nu" } });
    return {
      fs: system(),
      root,
      dots: path.join(root, "dots"),
      j: (...p: string[]) => path.join(root, ...p),
    };
  };

  it("finds a name whatever its case, and refuses a second one that differs only in case", async () => {
    const { fs, j } = await world();
    expect((await fs.lstatIfExists(j("DOTS", "VIMRC")))?.type).toBe("file");
    expect(await outcome(fs.mkdir(j("Dots")))).toBe("EEXIST");
    expect(await outcome(fs.writeNewFile(j("dots", "VimRC"), "other"))).toBe("EEXIST");
  });

  it("gives back a junction's absolute target, whatever decoration readlink adds", async () => {
    const { fs, j, dots } = await world();
    await fs.symlink(path.join(dots, "nvim"), j("nvim-junction"), "junction");
    expect(linkFromReadlink(await fs.readlink(j("nvim-junction")), "win32")).toEqual({
      type: "junction",
      text: path.join(dots, "nvim"),
    });
    expect((await fs.statIfExists(j("nvim-junction")))?.type).toBe("directory");
  });

  it("cannot rename over a directory link or a directory, only over a file or a file link", async () => {
    const { fs, j, dots } = await world();
    await fs.symlink(path.join(dots, "nvim"), j("dir-link"), "dir");
    await fs.symlink(path.join(dots, "nvim"), j("junction"), "junction");
    await fs.symlink(path.join(dots, "vimrc"), j("file-link"), "file");
    await fs.symlink(path.join(dots, "vimrc"), j("new"), "file");
    expect(await outcome(fs.rename(j("new"), j("dir-link")))).toBe("EPERM");
    expect(await outcome(fs.rename(j("new"), j("junction")))).toBe("EPERM");
    expect(await outcome(fs.rename(j("new"), j("dots", "nvim")))).toBe("EPERM");
    expect(await outcome(fs.rename(j("new"), j("file-link")))).toBe("ok");
  });

  it("removes a directory link with rmdir, not unlink, and leaves what it leads to", async () => {
    const { fs, j, dots } = await world();
    await fs.symlink(path.join(dots, "nvim"), j("dir-link"), "dir");
    await fs.symlink(path.join(dots, "nvim"), j("junction"), "junction");
    expect(await outcome(fs.unlink(j("dir-link")))).toBe("EPERM");
    expect(await outcome(fs.unlink(j("dots", "nvim")))).toBe("EPERM");
    expect(await outcome(fs.rmdir(j("dir-link")))).toBe("ok");
    expect(await outcome(fs.rmdir(j("junction")))).toBe("ok");
    expect((await fs.readdir(j("dots", "nvim"))).map((e) => e.name)).toEqual(["init.lua"]);
  });

  it("makes hard links to files only, at most 1023 names per file", async () => {
    const { fs, j } = await world();
    expect(await outcome(fs.link(j("dots", "nvim"), j("nvim-hard")))).toBe("EPERM");
    for (let n = 2; n <= 1023; n++) await fs.link(j("dots", "vimrc"), j(`name-${n}`));
    expect((await fs.stat(j("dots", "vimrc"))).nlink).toBe(1023);
    expect(await outcome(fs.link(j("dots", "vimrc"), j("one-too-many")))).toBe("EMLINK");
  });
});

describe.skipIf(onWindows)("the Windows model, beyond what a Windows runner can show", () => {
  it("refuses symlinks, but not junctions, without the privilege", async () => {
    const root = await makeTree({ nvim: {}, vimrc: "x" });
    const fs = windowsModel(new NodeFileSystem(), { privileged: false });
    const j = (p: string) => path.join(root, p);
    expect(await outcome(fs.symlink(j("vimrc"), j("a"), "file"))).toBe("EPERM");
    expect(await outcome(fs.symlink(j("nvim"), j("b"), "dir"))).toBe("EPERM");
    expect(await outcome(fs.symlink(j("nvim"), j("c"), "junction"))).toBe("ok");
  });

  it("gives each volume its own device, and refuses hard links and renames across them", async () => {
    const root = await makeTree({ c: { vimrc: "x" }, d: { dots: { vimrc: "y" } } });
    const fs = windowsModel(new NodeFileSystem(), { volumes: [path.join(root, "d")] });
    const j = (p: string) => path.join(root, p);
    const [c, d] = [await fs.stat(j("c/vimrc")), await fs.stat(j("d/dots/vimrc"))];
    expect(c.dev).not.toBe(d.dev);
    expect(await outcome(fs.link(j("d/dots/vimrc"), j("c/hard")))).toBe("EXDEV");
    expect(await outcome(fs.rename(j("c/vimrc"), j("d/vimrc")))).toBe("EXDEV");
    expect(await outcome(fs.link(j("d/dots/vimrc"), j("d/hard")))).toBe("ok");
  });

  it("throws at a link no Windows could use: a file symlink to a directory, a relative junction", async () => {
    const root = await makeTree({ nvim: {}, vimrc: "x" });
    const fs = windowsModel(new NodeFileSystem());
    const j = (p: string) => path.join(root, p);
    await expect(fs.symlink(j("nvim"), j("a"), "file")).rejects.toThrow(/unusable/);
    await expect(fs.symlink(j("vimrc"), j("b"), "dir")).rejects.toThrow(/unusable/);
    await expect(fs.symlink("nvim", j("c"), "junction")).rejects.toThrow(/absolute directory/);
    await expect(fs.symlink(j("vimrc"), j("d"), "junction")).rejects.toThrow(/absolute directory/);
  });
});

describe.each<[string, () => FileSystem]>(
  process.platform === "darwin"
    ? [["this Mac", () => new NodeFileSystem()]]
    : [["the macOS model", () => macModel(new NodeFileSystem())]],
)("macOS' rules, on %s", (_name, system) => {
  it("finds a name whatever its case", async () => {
    const root = await makeTree({ Dots: { vimrc: "x" } });
    const fs = system();
    expect((await fs.lstatIfExists(path.join(root, "dots", "VIMRC")))?.type).toBe("file");
    expect(await outcome(fs.mkdir(path.join(root, "DOTS")))).toBe("EEXIST");
  });

  it("finds a name whatever its Unicode normalisation", async () => {
    const root = await makeTree({ "caf\u00e9": { vimrc: "x" } });
    const fs = system();
    expect((await fs.lstatIfExists(path.join(root, "cafe\u0301", "vimrc")))?.type).toBe("file");
  });
});
