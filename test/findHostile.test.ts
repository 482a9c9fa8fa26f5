import { execFileSync } from "node:child_process";
import { symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { linkman } from "./helpers/cli.js";
import { onLinux, onWindows } from "./helpers/systems.js";
import { makeTree } from "./helpers/tree.js";

describe("a manifest found by the search that is not a manifest file", () => {
  const cases: [string, (dir: string) => void, string, boolean][] = [
    [
      "a FIFO named links.yaml",
      (dir) => execFileSync("mkfifo", [path.join(dir, "links.yaml")]),
      "is not a regular file",
      !onWindows,
    ],
    [
      "links.yaml, a symlink to /dev/zero (a repository can hold one)",
      (dir) => symlinkSync("/dev/zero", path.join(dir, "links.yaml")),
      "is not a regular file",
      !onWindows,
    ],
    [
      "links.yaml, a symlink to /proc/self/pagemap",
      (dir) => symlinkSync("/proc/self/pagemap", path.join(dir, "links.yaml")),
      "cannot be read",
      onLinux,
    ],
    [
      "a package.json of 5 MiB",
      (dir) =>
        writeFileSync(path.join(dir, "package.json"), `{"x":"${"#".repeat(5 * 1024 * 1024)}"}`),
      "is larger than 4.0 MiB",
      true,
    ],
  ];

  // The first run in a process loads the commands' modules: seconds on a loaded machine, which
  // the time limit below is not about (it catches a read that blocks or never ends).
  beforeAll(async () => {
    await linkman(["validate"], {
      cwd: await makeTree({ "links.yaml": "version: 1\nlinks: {}\n" }),
    });
  });

  it.each(cases.filter(([, , , here]) => here))(
    "%s is reported, in well under a second",
    async (_name, make, words) => {
      const dir = await makeTree({});
      make(dir);
      const started = performance.now();
      const run = await linkman(["validate"], { cwd: dir });
      expect(performance.now() - started).toBeLessThan(1000);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(words);
    },
  );
});
