import { describe, expect, it } from "vitest";
import { Output } from "../src/cli/output.js";
import { NodeFileSystem } from "../src/fs/nodeFileSystem.js";

/** An Output whose streams record each write. */
function recorded() {
  const writes = { stdout: [] as string[], stderr: [] as string[] };
  const out = new Output(
    {
      stdout: { write: (s: string) => writes.stdout.push(s) },
      stderr: { write: (s: string) => writes.stderr.push(s) },
      env: { NO_COLOR: "1" },
      cwd: "/",
      homedir: "/home/u",
      platform: "linux",
      arch: "x64",
      hostname: "test-host",
      fs: new NodeFileSystem(),
    },
    { color: false },
  );
  return { out, writes };
}

const lines = (n: number) =>
  Array.from({ length: n }, (_, i) => `+ create  ~/.f${i} → ~/dots/f${i}`);

describe("a command's lines on stdout", () => {
  it("are written in one write for a plan of 100 links, each line ended", () => {
    const { out, writes } = recorded();
    out.show({ out: lines(100), messages: [{ level: "info", text: "Plan: 100 to create." }] });
    expect(writes.stdout).toEqual([
      lines(100)
        .map((l) => `${l}\n`)
        .join(""),
    ]);
    expect(writes.stderr).toEqual(["Plan: 100 to create.\n"]);
  });

  it("are written 256 lines a write for a long plan, the same bytes in the same order", () => {
    const { out, writes } = recorded();
    out.show({ out: lines(600), messages: [] });
    expect(writes.stdout.map((w) => w.split("\n").length - 1)).toEqual([256, 256, 88]);
    expect(writes.stdout.join("")).toBe(
      lines(600)
        .map((l) => `${l}\n`)
        .join(""),
    );
  });

  it("are not written at all when there are none", () => {
    const { out, writes } = recorded();
    out.show({ out: [], messages: [] });
    expect(writes.stdout).toEqual([]);
  });
});
