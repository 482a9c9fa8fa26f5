import { describe, expect, it } from "vitest";
import { Output } from "../src/cli/output.js";
import { progressReporter } from "../src/cli/progress.js";
import { NodeFileSystem } from "../src/fs/nodeFileSystem.js";

function output(tty: boolean, flags: { json?: boolean; quiet?: boolean } = {}) {
  let stderr = "";
  const out = new Output(
    {
      stdout: { write: () => true, isTTY: tty },
      stderr: { write: (s: string) => (stderr += s), isTTY: tty },
      env: { NO_COLOR: "1" },
      cwd: "/",
      homedir: "/home/u",
      platform: "linux",
      arch: "x64",
      hostname: "test-host",
      fs: new NodeFileSystem(),
    },
    { color: false, ...flags },
  );
  return { out, stderr: () => stderr };
}

describe("the progress indicator", () => {
  it("appears after a second on a terminal, redraws in place, and clears itself at the end", () => {
    const { out, stderr } = output(true);
    let clock = 0;
    const report = progressReporter(out, () => clock);
    report?.(10, 1000);
    expect(stderr()).toBe("");
    clock = 1200;
    report?.(400, 1000);
    clock = 1250;
    report?.(450, 1000); // too soon to redraw
    clock = 1400;
    report?.(700, 1000);
    report?.(1000, 1000);
    expect(stderr()).toBe(
      "\r\u001b[Klinkman: 400 of 1000 done (40%, 333/s)…\r\u001b[Klinkman: 700 of 1000 done (70%, 500/s)…\r\u001b[K",
    );
  });

  it("names the work while planning, with the rate counted from the first link looked at", () => {
    const { out, stderr } = output(true);
    let clock = 0;
    const report = progressReporter(out, () => clock, "looked at");
    clock = 500; // reading the manifest took half a second
    report?.(1, 20000);
    clock = 2500;
    report?.(5000, 20000);
    expect(stderr()).toBe("\r\u001b[Klinkman: 5000 of 20000 looked at (25%, 2500/s)…");
  });

  it("prints nothing for an apply that finishes within a second", () => {
    const { out, stderr } = output(true);
    let clock = 0;
    const report = progressReporter(out, () => clock);
    report?.(500, 1000);
    clock = 900;
    report?.(1000, 1000);
    expect(stderr()).toBe("");
  });

  it.each([
    ["stderr is not a terminal", false, {}],
    ["--json is given", true, { json: true }],
    ["--quiet is given", true, { quiet: true }],
  ])("is off when %s", (_why, tty, flags) => {
    expect(progressReporter(output(tty, flags).out)).toBeUndefined();
  });
});

describe("the progress indicator while a glob is walked", () => {
  it("counts the files found, then rates only the links looked at", () => {
    const { out, stderr } = output(true);
    let clock = 0;
    const report = progressReporter(out, () => clock, "looked at");
    clock = 1000;
    report?.(2400);
    clock = 3000;
    report?.(5000, 5000); // the walk is over: its line is cleared
    report?.(1, 5000);
    clock = 4000;
    report?.(2000, 5000);
    expect(stderr()).toBe(
      "\r\u001b[Klinkman: 2400 files found…\r\u001b[K" +
        "\r\u001b[Klinkman: 1 of 5000 looked at (0%)…\r\u001b[Klinkman: 2000 of 5000 looked at (40%, 2000/s)…",
    );
  });
});
