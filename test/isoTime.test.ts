import fc from "fast-check";
import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { isoTime } from "../src/isoTime.js";

describe("isoTime", () => {
  it("writes every time as Date's toISOString does", () => {
    fc.assert(
      fc.property(fc.integer({ min: -8.64e15, max: 8.64e15 }), (ms) => {
        expect(isoTime(ms)).toBe(new Date(ms).toISOString());
      }),
      { numRuns: 5000 },
    );
  });

  it.each([
    0, -1, 1, 999, 1000, 951782400000, 253402300799999, 253402300800000, -62167219200000,
    -62167219200001,
  ])("writes %d as Date's toISOString does", (ms) =>
    expect(isoTime(ms)).toBe(new Date(ms).toISOString()),
  );

  it("is now when not told", () => {
    const before = Date.now();
    const now = Date.parse(isoTime());
    expect(now).toBeGreaterThanOrEqual(before);
    expect(now).toBeLessThanOrEqual(Date.now());
  });

  it.runIf(process.platform === "linux")("does not make V8 load the local time zone", () => {
    const module = path.resolve(import.meta.dirname, "../dist/isoTime.js");
    const run = (code: string) =>
      spawnSync(
        "strace",
        ["-f", "-e", "trace=openat", process.execPath, "--input-type=module", "-e", code],
        {
          encoding: "utf8",
        },
      );
    const probe = run(`new Date(0).toISOString()`);
    // Without strace (or ptrace) nothing can be seen; the probe shows what would be.
    if (probe.error || !probe.stderr.includes("localtime")) return;
    const ours = run(`import { isoTime } from ${JSON.stringify(module)}; isoTime();`);
    expect(ours.status).toBe(0);
    expect(ours.stderr).not.toContain("localtime");
  });
});
