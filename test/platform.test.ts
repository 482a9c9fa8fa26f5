import { describe, expect, it } from "vitest";
import {
  isInside,
  linkFromReadlink,
  maxHardLinks,
  nameProblem,
  pathKey,
  samePath,
} from "../src/platform.js";

describe("comparing paths on each platform", () => {
  it.each([
    ["win32", "C:\\Users\\Ana\\dotfiles\\nvim", "c:\\users\\ana\\dotfiles\\nvim"],
    ["win32", "\\\\?\\C:\\Users\\Ana\\dotfiles\\nvim\\", "C:\\Users\\Ana\\dotfiles\\nvim"],
    ["win32", "\\??\\C:\\Users\\Ana\\dotfiles\\nvim", "C:/Users/Ana/dotfiles/nvim"],
    ["win32", "\\\\?\\UNC\\server\\share\\dots", "\\\\server\\share\\dots"],
    ["darwin", "/private/var/folders/x/dots", "/var/folders/x/dots"],
    ["darwin", "/Users/Ana/Dotfiles/", "/users/ana/dotfiles"],
    ["darwin", "/Users/ana/caf\u00e9", "/Users/ana/cafe\u0301"],
    ["linux", "/home/ana/dots/", "/home/ana/dots"],
  ])("on %s, %s is %s", (platform, a, b) => {
    expect(samePath(a, b, platform)).toBe(true);
  });

  it.each([
    ["linux", "/home/Ana/dots", "/home/ana/dots"],
    ["linux", "/home/ana/caf\u00e9", "/home/ana/cafe\u0301"],
    ["win32", "C:\\Users\\caf\u00e9", "C:\\Users\\cafe\u0301"],
    ["darwin", "/private/home/x", "/home/x"],
    ["win32", "C:\\a\\b", "D:\\a\\b"],
  ])("on %s, %s is not %s", (platform, a, b) => {
    expect(samePath(a, b, platform)).toBe(false);
  });

  it("keeps a drive's root as it is", () => {
    expect(pathKey("C:\\", "win32")).toBe("c:\\");
  });

  it("tells inside from beside, on each platform", () => {
    expect(isInside("C:\\Users\\Ana\\.config\\nvim", "c:\\users\\ana", "win32")).toBe(true);
    expect(isInside("C:\\Users\\Anastasia", "C:\\Users\\Ana", "win32")).toBe(false);
    expect(isInside("/private/var/x/home/.vimrc", "/var/x/home", "darwin")).toBe(true);
    expect(isInside("/home/ana2", "/home/ana", "linux")).toBe(false);
  });

  it("knows NTFS's limit of names per file", () => {
    expect(maxHardLinks("win32")).toBe(1023);
    expect(maxHardLinks("linux")).toBeGreaterThan(1023);
  });
});

describe("reading a link's text on each platform", () => {
  it.each([
    ["C:\\Users\\Ana\\dots\\nvim\\", { type: "junction", text: "C:\\Users\\Ana\\dots\\nvim" }],
    ["\\??\\C:\\Users\\Ana\\dots\\nvim", { type: "junction", text: "C:\\Users\\Ana\\dots\\nvim" }],
    [
      "\\\\?\\C:\\Users\\Ana\\dots\\nvim\\",
      { type: "junction", text: "C:\\Users\\Ana\\dots\\nvim" },
    ],
    ["..\\dots\\vimrc", { type: "symlink", text: "..\\dots\\vimrc" }],
    ["C:\\", { type: "symlink", text: "C:\\" }],
  ])("on win32, readlink's %s is %o", (text, expected) => {
    expect(linkFromReadlink(text, "win32")).toEqual(expected);
  });

  it("leaves every link a symlink, its text untouched, elsewhere", () => {
    expect(linkFromReadlink("/home/ana/dots/nvim/", "linux")).toEqual({
      type: "symlink",
      text: "/home/ana/dots/nvim/",
    });
  });
});

describe("names a link cannot have", () => {
  it.each([
    ["C:\\Users\\Ana\\nul", "device name"],
    ["C:\\Users\\Ana\\Aux.txt", "device name"],
    ["C:\\Users\\Ana\\COM1\\x", "device name"],
    ["C:\\Users\\Ana\\vimrc.", "ends in a dot"],
    ["C:\\Users\\Ana\\notes ", "ends in a space"],
    ["C:\\Users\\Ana\\what?", '"?"'],
    ["/home/ana/a:b", '":"'],
    ["\\\\?\\C:\\Users\\Ana\\con", "device name"],
  ])("on win32, %s: %s", (p, problem) => {
    expect(nameProblem(p, "win32")).toContain(problem);
  });

  it.each([
    "C:\\Users\\Ana\\.vimrc",
    "C:\\Users\\Ana\\console",
    "C:\\Users\\Ana\\..\\Ana\\nullable.txt",
    "\\\\?\\UNC\\server\\share\\dots",
    "\\\\server\\share\\a.b",
  ])("on win32, %s is fine", (p) => {
    expect(nameProblem(p, "win32")).toBeUndefined();
  });

  it("leaves every name to the filesystem elsewhere", () => {
    expect(nameProblem("/home/ana/nul", "linux")).toBeUndefined();
    expect(nameProblem("/Users/ana/what?", "darwin")).toBeUndefined();
  });
});
