import { execFileSync, spawnSync } from "node:child_process";
import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readmeLibraryExample } from "./helpers/readme.js";
import { tempDir } from "./helpers/tree.js";
import { onWindows } from "./helpers/systems.js";

const root = path.resolve(import.meta.dirname, "..");
const npm = (args: string[], cwd = root) =>
  execFileSync("npm", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });

let packed: { tarball: string; files: string[] } | undefined;
const packDir = realpathSync(mkdtempSync(path.join(os.tmpdir(), "linkman-pack-")));
afterAll(() => rmSync(packDir, { recursive: true, force: true }));

/** The package as `npm pack` makes it: its tarball and the files in it, packed once for this file. */
function pack(): { tarball: string; files: string[] } {
  if (!packed) {
    const [result] = JSON.parse(npm(["pack", "--json", "--pack-destination", packDir])) as {
      filename: string;
      files: { path: string }[];
    }[];
    if (!result) throw new Error("npm pack printed no package");
    packed = {
      tarball: path.join(packDir, result.filename),
      files: result.files.map((f) => f.path),
    };
  }
  return packed;
}

// npm is a .cmd on Windows, which Node runs only through a shell; what is packed does not depend on the OS.
describe.skipIf(onWindows)("the published package", () => {
  it("contains only the built code, the schema, README, CHANGELOG and LICENSE", () => {
    const allowed =
      /^(dist\/|schemas\/(linkman|plan|apply|status)\.schema\.json$|README\.md$|CHANGELOG\.md$|LICENSE$|package\.json$)/;
    const { files } = pack();
    expect(files.filter((f) => !allowed.test(f))).toEqual([]);
    // The standalone executables (about 100 MB each) are release assets, never in the package.
    expect(files.filter((f) => f.startsWith("dist/sea/"))).toEqual([]);
    expect(files).toEqual(
      expect.arrayContaining([
        "dist/bundle/linkman.js",
        // The bin runs the bundle from V8's code cache of it (src/cli/loader.cjs).
        "dist/bundle/main.js",
        "dist/bundle/main.cache",
        "dist/linkman.mjs",
        "dist/index.js",
        "dist/index.d.ts",
        "schemas/linkman.schema.json",
        "LICENSE",
      ]),
    );
  });

  it(
    'gives a TypeScript consumer its types from import … from "linkman"',
    // npm pack and tsc: over a minute on 2 busy cores.
    { timeout: 180_000 },
    () => {
      const dir = tempDir();
      const { tarball } = pack();
      const modules = path.join(dir, "consumer/node_modules");
      mkdirSync(path.join(modules, "linkman"), { recursive: true });
      execFileSync("tar", [
        "-xzf",
        tarball,
        "-C",
        path.join(modules, "linkman"),
        "--strip-components=1",
      ]);
      for (const dep of [
        "yaml",
        "zod",
        "cosmiconfig",
        "picomatch",
        "commander",
        "picocolors",
        "@types",
      ]) {
        symlinkSync(path.join(root, "node_modules", dep), path.join(modules, dep));
      }
      writeFileSync(path.join(dir, "consumer/package.json"), '{ "type": "module" }\n');
      writeFileSync(
        path.join(dir, "consumer/tsconfig.json"),
        JSON.stringify({
          compilerOptions: {
            module: "NodeNext",
            moduleResolution: "NodeNext",
            target: "ES2022",
            strict: true,
            noEmit: true,
            types: ["node"],
          },
          files: ["use.ts"],
        }),
      );
      // The README's library example is what a TypeScript user pastes: it must type-check.
      writeFileSync(path.join(dir, "consumer/use.ts"), readmeLibraryExample());
      const tsc = path.join(root, "node_modules/typescript/bin/tsc");
      expect(() =>
        execFileSync(process.execPath, [tsc, "-p", path.join(dir, "consumer")], {
          encoding: "utf8",
        }),
      ).not.toThrow();
    },
  );
});

describe.skipIf(onWindows)("npx linkman from the packed tarball", () => {
  it(
    "installs into an empty prefix without network (--offline: only npm's cache) and runs",
    { timeout: 300_000 },
    () => {
      const dir = tempDir();
      const { tarball } = pack();
      const prefix = path.join(dir, "empty");
      mkdirSync(prefix);
      // npm resolves a version range from the registry's package list, which `npm ci` need not
      // have cached; a lockfile with the versions npm ci installed needs only their tarballs.
      const lock = JSON.parse(readFileSync(path.join(root, "package-lock.json"), "utf8")) as {
        packages: Record<string, { dev?: boolean; devOptional?: boolean }>;
      };
      const { dependencies } = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8"));
      const installed = Object.entries(lock.packages).filter(
        ([where, entry]) => where.startsWith("node_modules/") && !entry.dev && !entry.devOptional,
      );
      writeFileSync(path.join(prefix, "package.json"), JSON.stringify({ dependencies }));
      writeFileSync(
        path.join(prefix, "package-lock.json"),
        JSON.stringify({
          lockfileVersion: 3,
          requires: true,
          packages: { "": { dependencies }, ...Object.fromEntries(installed) },
        }),
      );
      const offline = ["--offline", "--no-audit", "--no-fund", "--prefix", prefix];
      npm(["install", ...offline, tarball], dir);
      const bin = path.join(prefix, "node_modules/.bin/linkman");
      const { version } = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8"));
      expect(execFileSync(bin, ["--version"], { encoding: "utf8" }).trim()).toBe(version);
      // Installed, it still finds its code cache (Node 22.1+ uses its own instead).
      const cache = spawnSync(bin, ["--version"], {
        encoding: "utf8",
        env: { ...process.env, LINKMAN_DEBUG_CODE_CACHE: "1" },
      });
      expect(cache.stderr).toMatch(/^linkman: code cache: (used|node \d)\n$/);
      const npx = execFileSync("npx", ["--prefix", prefix, "--offline", "linkman", "--version"], {
        cwd: tempDir(),
        encoding: "utf8",
      });
      expect(npx.trim()).toBe(version);
    },
  );
});

describe("the library", () => {
  it("loads no CLI: nothing importing linkman reaches the argument parser or src/cli", () => {
    const dist = path.join(root, "dist");
    const seen = new Set<string>();
    const bare = new Set<string>();
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      const text = readFileSync(file, "utf8");
      for (const [, spec] of text.matchAll(/(?:from|import)\s*\(?\s*"([^"]+)"/g)) {
        if (!spec) continue;
        if (spec.startsWith(".")) visit(path.resolve(path.dirname(file), spec));
        else bare.add(spec.split("/")[0] ?? spec);
      }
    };
    visit(path.join(dist, "index.js"));
    expect([...seen].filter((f) => f.includes(`${path.sep}cli${path.sep}`))).toEqual([]);
    expect([...bare].filter((b) => !b.startsWith("node:")).sort()).toEqual([
      "diff",
      "picomatch",
      "yaml",
      "zod",
    ]);
  });
});
