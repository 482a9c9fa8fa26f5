import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { tempDir } from "./helpers/tree.js";

const bin = path.resolve(import.meta.dirname, "../dist/bundle/linkman.js");
const hasPython = spawnSync("python3", ["--version"]).status === 0;

/** The clean environment of a run in its own home. */
function envIn(home: string) {
  return { PATH: process.env.PATH, HOME: home, XDG_STATE_HOME: path.join(home, ".state") };
}

/** A manifest of `count` links whose targets come later (so a plan prints one line each). */
function manifestOf(count: number): string {
  const dots = tempDir();
  const file = path.join(dots, "links.yaml");
  const links = Array.from({ length: count }, (_, i) => `  "~/.f${i}": pkg/f${i}\n`).join("");
  writeFileSync(file, `version: 1\ndefaults: { ifMissing: link }\nlinks:\n${links}`);
  return file;
}

/** Runs the bin and lists the Node modules it loaded beyond `node -e 0`'s. */
function modulesLoaded(args: string[], home: string): string[] {
  const preload = path.join(tempDir(), "modules.cjs");
  writeFileSync(
    preload,
    'process.on("exit", () => require("node:fs").writeSync(3, process.moduleLoadList.join("\\n")));',
  );
  const list = (rest: string[]) => {
    const result = spawnSync(process.execPath, ["-r", preload, ...rest], {
      env: { ...envIn(home), NO_COLOR: "1" },
      stdio: ["ignore", "ignore", "pipe", "pipe"],
    });
    expect(result.status, String(result.stderr)).toBe(0);
    return String(result.output[3]).split("\n");
  };
  const node = new Set(list(["-e", "0"]));
  return list([bin, ...args]).filter((m) => !node.has(m));
}

describe("the bin's start-up", () => {
  it("applies, and applies again, without loading crypto, v8 or the process's streams", () => {
    const manifest = manifestOf(20);
    const home = tempDir();
    for (const run of ["fresh", "no-op"]) {
      const loaded = modulesLoaded(["apply", "-q", "-c", manifest], home);
      const unwanted = loaded.filter((m) =>
        /(NativeModule (crypto|v8|tty|net|internal\/fs\/sync_write_stream)|Internal Binding v8)$/.test(
          m,
        ),
      );
      expect(unwanted, run).toEqual([]);
      expect(loaded, run).toContain("NativeModule vm"); // the list is the bin's
    }
  });

  it("keeps the young generation small once the manifest is large, through V8's binding, not node:v8", () => {
    const loaded = modulesLoaded(["plan", "-q", "-c", manifestOf(6000)], tempDir());
    expect(loaded).toContain("Internal Binding v8");
    expect(loaded).not.toContain("NativeModule v8");
  });
});

describe("the bin's output, written to its descriptors", () => {
  it("ends quietly with the plan's exit code when the reader goes away (| head)", () => {
    const manifest = manifestOf(3000);
    const result = spawnSync(
      "sh",
      ["-c", `"${process.execPath}" "${bin}" plan -c "${manifest}" | head -n 1`],
      {
        env: envIn(tempDir()),
        encoding: "utf8",
      },
    );
    expect(result.stdout).toMatch(/^\+ create/);
    expect(result.stderr).toBe("");
  });

  it.runIf(hasPython && process.platform !== "win32")(
    "writes all of it, in order, to a pipe left non-blocking that a slow reader empties",
    () => {
      const manifest = manifestOf(3000);
      const home = tempDir();
      const args = [bin, "plan", "-c", manifest];
      const plain = spawnSync(process.execPath, args, { env: envIn(home), encoding: "utf8" });
      expect(plain.stdout.length).toBeGreaterThan(2 * 65536); // more than a pipe holds
      // The pipe is made non-blocking before the bin starts, so its writes meet EAGAIN.
      const slowReader = `
import os, subprocess, sys, time
r, w = os.pipe()
os.set_blocking(w, False)
p = subprocess.Popen(sys.argv[1:], stdout=w)
os.close(w)
time.sleep(0.5)
out = b""
while chunk := os.read(r, 65536):
    out += chunk
    time.sleep(0.01)
sys.stdout.buffer.write(out)
sys.exit(p.wait())`;
      const result = spawnSync("python3", ["-c", slowReader, process.execPath, ...args], {
        env: envIn(home),
        encoding: "utf8",
        maxBuffer: 64 * 1024 * 1024,
      });
      expect(result.stderr).toBe(plain.stderr);
      expect(result.stdout).toBe(plain.stdout);
      expect(result.status).toBe(plain.status);
    },
  );
});

describe("the bin's stand-in for node:crypto", () => {
  it.runIf(process.platform !== "win32")(
    "gives random bytes of the size asked from the system's source",
    async () => {
      const { randomBytes } = await import("../src/cli/cryptoOnDemand.js");
      const names = new Set(Array.from({ length: 100 }, () => randomBytes(6).toString("hex")));
      expect(names.size).toBe(100);
      for (const name of names) expect(name).toMatch(/^[0-9a-f]{12}$/);
    },
  );
});
