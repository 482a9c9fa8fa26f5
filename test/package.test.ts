import { execFileSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { readmeLibraryExample } from "./helpers/readme.js";
import { tempDir } from "./helpers/tree.js";
import { onWindows } from "./helpers/systems.js";

const root = path.resolve(import.meta.dirname, "..");
const npm = (args: string[], cwd = root) =>
  execFileSync("npm", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });

// npm is a .cmd on Windows, which Node runs only through a shell; what is packed does not depend on the OS.
describe.skipIf(onWindows)("the published package", () => {
  it("contains only the built code, the schema, README, CHANGELOG and LICENSE", () => {
    const [pack] = JSON.parse(npm(["pack", "--dry-run", "--json"])) as {
      files: { path: string }[];
    }[];
    const allowed =
      /^(dist\/|schemas\/(linkman|plan|apply|status)\.schema\.json$|README\.md$|CHANGELOG\.md$|LICENSE$|package\.json$)/;
    const files = pack?.files.map((f) => f.path) ?? [];
    expect(files.filter((f) => !allowed.test(f))).toEqual([]);
    expect(files).toEqual(
      expect.arrayContaining([
        "dist/bundle/linkman.js",
        "dist/index.js",
        "dist/index.d.ts",
        "schemas/linkman.schema.json",
        "LICENSE",
      ]),
    );
  });

  it(
    'gives a TypeScript consumer its types from import … from "linkman"',
    { timeout: 60_000 },
    () => {
      const dir = tempDir();
      npm(["pack", "--pack-destination", dir]);
      const tarball = readdirSync(dir).find((f) => f.endsWith(".tgz")) as string;
      const modules = path.join(dir, "consumer/node_modules");
      mkdirSync(path.join(modules, "linkman"), { recursive: true });
      execFileSync("tar", [
        "-xzf",
        path.join(dir, tarball),
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
      "picomatch",
      "yaml",
      "zod",
    ]);
  });
});
