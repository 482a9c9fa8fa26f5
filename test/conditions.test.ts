import { chmodSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { NodeFileSystem } from "../src/fs/nodeFileSystem.js";
import { activeProfiles, checkConditions, type Facts } from "../src/resolve/conditions.js";
import { makeTree } from "./helpers/tree.js";

const fs = new NodeFileSystem();

const facts: Facts = {
  platform: "linux",
  arch: "x64",
  hostname: "Work-Laptop",
  profiles: ["work"],
  env: { CI: "true", EMPTY: "", SHELL: "/bin/zsh" },
};
const holds = async (when: Parameters<typeof checkConditions>[0]) =>
  (await checkConditions(when, facts, fs)).holds;

describe("when", () => {
  it.each([
    ["no conditions", undefined, true],
    ["os listed", { os: ["linux", "darwin"] }, true],
    ["os not listed", { os: ["win32"] }, false],
    ["arch listed", { arch: ["x64"] }, true],
    ["arch not listed", { arch: ["arm64"] }, false],
    ["host glob matches, case-insensitively", { host: ["work-*"] }, true],
    ["host glob does not match", { host: ["home-*", "server"] }, false],
    ["an active profile", { profile: ["home", "work"] }, true],
    ["no active profile", { profile: ["home"] }, false],
    ["env true: set and non-empty", { env: { CI: true } }, true],
    ["env true: empty is not set", { env: { EMPTY: true } }, false],
    ["env false: unset", { env: { MISSING: false } }, true],
    ["env false: empty", { env: { EMPTY: false } }, true],
    ["env false: set", { env: { CI: false } }, false],
    ["env value equal", { env: { SHELL: "/bin/zsh" } }, true],
    ["env value different", { env: { SHELL: "/bin/bash" } }, false],
    ["every key must hold", { os: ["linux"], profile: ["home"] }, false],
  ])("%s", async (_name, when, expected) => {
    expect(await holds(when)).toBe(expected);
  });

  it("says which condition failed", async () => {
    expect(await checkConditions({ os: ["darwin"] }, facts, fs)).toEqual({
      holds: false,
      why: "os is linux, not darwin",
    });
  });
});

describe("when: command", () => {
  async function pathDirs() {
    const root = await makeTree({
      bin: { nvim: "#!/bin/sh\n", notes: "not a program" },
      sbin: { brew: "#!/bin/sh\n", "git.EXE": "MZ" },
      empty: {},
    });
    chmodSync(path.join(root, "bin", "nvim"), 0o755);
    chmodSync(path.join(root, "bin", "notes"), 0o644);
    chmodSync(path.join(root, "sbin", "brew"), 0o700);
    return root;
  }
  const check = (command: string[], env: Facts["env"], platform = "linux") =>
    checkConditions({ command }, { ...facts, platform, env }, fs);

  it.each([
    ["an executable in a PATH directory", ["nvim"], true],
    ["an executable in a later PATH directory", ["brew"], true],
    ["any of a list", ["vim", "nvim"], true],
    ["no such file on PATH", ["vim"], false],
    ["a file without execute permission", ["notes"], false],
    ["a directory of that name", ["empty"], false],
  ])("holds for %s: %j → %s", async (_name, command, expected) => {
    const root = await pathDirs();
    const PATH = ["empty", "bin", "sbin"].map((d) => path.join(root, d)).join(":");
    expect((await check(command, { PATH })).holds).toBe(expected);
  });

  it("fails without PATH, and says which command is missing", async () => {
    expect(await check(["nvim"], {})).toEqual({ holds: false, why: "no nvim on PATH" });
  });

  it("on Windows, finds a command by PATHEXT's extensions and reads Path in any case", async () => {
    const root = await pathDirs();
    const env = {
      Path: `${path.join(root, "bin")};${path.join(root, "sbin")}`,
      PATHEXT: ".EXE;.CMD",
    };
    expect((await check(["git"], env, "win32")).holds).toBe(true);
    expect((await check(["brew"], env, "win32")).holds).toBe(false);
    expect((await check(["git.EXE"], env, "win32")).holds).toBe(true);
  });
});

describe("profiles", () => {
  it("takes --profile flags over LINKMAN_PROFILE", () => {
    expect(activeProfiles(["a", "b"], { LINKMAN_PROFILE: "c" })).toEqual(["a", "b"]);
  });
  it("reads LINKMAN_PROFILE comma-separated", () => {
    expect(activeProfiles([], { LINKMAN_PROFILE: "work, laptop,,work" })).toEqual([
      "work",
      "laptop",
    ]);
  });
  it("has none by default", () => {
    expect(activeProfiles(undefined, {})).toEqual([]);
  });
});
