import { createHash } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { sha256Hex } from "../src/state/sha256.js";
import { statePathFor } from "../src/state/stateFile.js";

const nodeSha256 = (text: string) => createHash("sha256").update(text).digest("hex");

describe("linkman's SHA-256 gives node:crypto's digest", () => {
  it.each([
    ["the empty text", ""],
    ["the standard's example", "abc"],
    ["55 bytes (the length still fits in the last block)", "a".repeat(55)],
    ["56 bytes (the length needs a block of its own)", "a".repeat(56)],
    ["64 bytes (one whole block)", "a".repeat(64)],
    ["several blocks", "/home/someone/dotfiles/".repeat(40)],
    ["characters beyond ASCII, in UTF-8", "/home/zoë/ドット/links.yaml"],
    ["a lone surrogate (encoded as U+FFFD, as Node does)", "/home/\ud800/links.yaml"],
  ])("for %s", (_name, text) => {
    expect(sha256Hex(text)).toBe(nodeSha256(text));
  });

  it("for any text", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 300 }), (text) => {
        expect(sha256Hex(text)).toBe(nodeSha256(text));
      }),
      { numRuns: 2000 },
    );
  });

  it("keeps every state file's name as it was when node:crypto made it", () => {
    const name = (manifest: string, platform: string) =>
      statePathFor(manifest, { env: {}, homedir: "/home/u", cwd: "/", platform }).split("/").pop();
    // Made by the previous implementation (createHash("sha256") of the same key): existing
    // users' state must still be found.
    expect(name("/home/u/dotfiles/links.yaml", "linux")).toBe(
      "u-dotfiles-links.yaml-420d4508641f.json",
    );
    expect(name("/Users/U/Dots/Links.yaml", "darwin")).toBe("U-Dots-Links.yaml-ae4f14e84c19.json");
    expect(name("/home/zoë/ドット/links.yaml", "linux")).toBe(
      "zo_-___-links.yaml-bc74f2e7f3ab.json",
    );
  });
});
