import { describe, expect, it } from "vitest";
import { activeProfiles, checkConditions, type Facts } from "../src/resolve/conditions.js";

const facts: Facts = {
  platform: "linux",
  arch: "x64",
  hostname: "Work-Laptop",
  profiles: ["work"],
  env: { CI: "true", EMPTY: "", SHELL: "/bin/zsh" },
};
const holds = (when: Parameters<typeof checkConditions>[0]) => checkConditions(when, facts).holds;

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
  ])("%s", (_name, when, expected) => {
    expect(holds(when)).toBe(expected);
  });

  it("says which condition failed", () => {
    expect(checkConditions({ os: ["darwin"] }, facts)).toEqual({
      holds: false,
      why: "os is linux, not darwin",
    });
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
