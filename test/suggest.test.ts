import { describe, expect, it } from "vitest";
import {
  closest,
  editDistance,
  unknownKeyHint,
  unknownValueHint,
} from "../src/manifest/suggest.js";

describe("suggestions", () => {
  it.each([
    ["kitten", "sitting", 3],
    ["onConflict", "onConflict", 0],
    ["ab", "ba", 1],
  ])("distance from %s to %s is %i", (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
  });

  it("finds a near miss, ignoring case", () => {
    expect(closest("onconflict", ["link", "onConflict"])).toBe("onConflict");
    expect(closest("trget", ["link", "target"])).toBe("target");
  });

  it("does not suggest something far away", () => {
    expect(closest("zzz", ["link", "target"])).toBeUndefined();
  });

  it("names linkman's word for another tool's key", () => {
    expect(unknownKeyHint("path", ["link", "target"])).toContain("`target`");
    expect(unknownKeyHint("force", ["link", "target"])).toContain("onConflict: backup");
  });

  it("knows other names for operating systems and CPUs", () => {
    expect(unknownValueHint("macos", ["darwin", "linux"])).toContain("`darwin`");
    expect(unknownValueHint("aarch64", ["arm64", "x64"])).toContain("`arm64`");
  });
});
