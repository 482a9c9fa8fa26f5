import path from "node:path";
import { describe, expect, it } from "vitest";
import { applyCommand } from "../src/cli/commands/apply.js";
import { unlinkCommand } from "../src/cli/commands/unlink.js";
import type { FileSystem, Operation } from "../src/fs/fileSystem.js";
import { SYSTEMS } from "./helpers/systems.js";
import { failing } from "../src/fs/wrappers.js";
import { commandOutput, expectNothingLost, makeWorld, type World } from "./helpers/world.js";

const manifest =
  "version: 1\ndefaults: { onConflict: backup }\nlinks:\n" +
  "  - { link: ~/.config/deep/vimrc, target: vim/vimrc }\n" +
  "  - { link: ~/.zshrc, target: vim/vimrc }\n" +
  "  - { link: ~/.bashrc, target: vim/vimrc }\n" +
  "  - { link: ~/bin/tool, target: bin/tool, kind: hardlink }\n";
const home = { ".zshrc": { symlink: "/old" }, ".bashrc": "the user's\n", bin: {} };

/** Runs a command in-process with JSON output, through `fs`. */
async function run(w: World, command: typeof applyCommand | typeof unlinkCommand, fs: FileSystem) {
  const { out, printed } = commandOutput(w, { json: true }, { fs });
  const code = await command(out);
  const { stdout, stderr } = printed;
  return {
    code,
    stderr,
    json: JSON.parse(stdout || "null") as {
      actions: { link: string; result: string; error: string | null }[];
    } | null,
  };
}

const CODES = ["EACCES", "EPERM", "ENOSPC", "EEXIST", "EXDEV", "ENOENT"];
/** Each operation, and the entry whose paths it fails on: the one that uses it. */
const WHERE: [Operation, RegExp, string][] = [
  ["mkdir", /\.config\/deep$/, ".config/deep/vimrc"],
  ["symlink", /\.zshrc/, ".zshrc"],
  ["rename", /\.bashrc/, ".bashrc"],
  ["link", /bin\/tool$/, "bin/tool"],
];
const cases = WHERE.flatMap(([op, pattern, entry]) =>
  CODES.map((code) => [op, code, pattern, entry] as const),
);
const userFiles = (w: World) =>
  Object.entries(w.snapshot()).filter(([p, v]) => p.startsWith("home/") && v.startsWith("file:"));

describe.each(SYSTEMS.map((s) => [s.name, s] as const))(
  "a failing operation while applying, on %s",
  (_name, system) => {
    it.each(cases)(
      "%s failing with %s: named with its path and cause, the rest applied, a rerun converges",
      async (op, code, pattern, entry) => {
        const w = await makeWorld(manifest, { home }, system);
        const before = userFiles(w);
        const r = await run(
          w,
          applyCommand,
          failing(w.fs, [{ operation: op, path: pattern, code }]),
        );
        expect(r.code).toBe(1);
        const failed = r.json?.actions.filter((a) => a.result === "failed") ?? [];
        expect(failed.map((a) => path.relative(w.home, a.link))).toEqual([entry]);
        expect(failed[0]?.error).toMatch(new RegExp(`^${w.home}/.*\\(${code}\\)$`));
        expect(r.json?.actions.filter((a) => a.result === "done")).toHaveLength(3);
        expect(r.stderr).toContain("1 operation failed");

        expect((await run(w, applyCommand, w.fs)).code).toBe(0);
        expect(
          (await w.plan()).actions.every((a) => a.op === "skip" && a.reason === "up-to-date"),
        ).toBe(true);
        expectNothingLost(before, Object.entries(w.snapshot()));
      },
    );

    it.each(CODES)(
      "unlink failing with %s: named, the rest removed, a rerun finishes the job",
      async (code) => {
        const w = await makeWorld(manifest, { home }, system);
        expect((await run(w, applyCommand, w.fs)).code).toBe(0);
        const r = await run(
          w,
          unlinkCommand,
          failing(w.fs, [{ operation: "unlink", path: /\.zshrc$/, code }]),
        );
        expect(r.code).toBe(1);
        expect(
          r.json?.actions
            .filter((a) => a.result === "failed")
            .map((a) => [path.relative(w.home, a.link), a.error]),
        ).toEqual([[".zshrc", expect.stringContaining(`(${code})`)]]);
        expect((await run(w, unlinkCommand, w.fs)).code).toBe(0);
        expect(Object.keys(w.snapshot()).filter((p) => p.startsWith("home/"))).toEqual([
          "home/.bashrc.linkman-backup",
          "home/bin",
        ]);
      },
    );
  },
);
