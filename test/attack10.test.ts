import { execFileSync, spawn, spawnSync } from "node:child_process";
import { chmodSync, existsSync, lstatSync, readFileSync, readlinkSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { wrapperScript } from "../src/engine/wrapper.js";
import { readManifest } from "../src/manifest/read.js";
import { resolveLinks } from "../src/resolve/resolveLinks.js";
import { writeState } from "../src/state/stateFile.js";
import { gitHome } from "./helpers/git.js";
import { linkRecord } from "./helpers/records.js";
import { testContext } from "./helpers/resolve.js";
import { makeTree } from "./helpers/tree.js";
import { makeWorld, type World } from "./helpers/world.js";

const token = "0123456789ab";

/** A state as a run killed under `token` left it (edited by hand here), recording `links`. */
async function interrupted(w: World, links: string[]): Promise<void> {
  await mkdir(path.dirname(w.stateFile), { recursive: true });
  await writeState(w.fs, w.stateFile, {
    version: 2,
    manifest: w.manifest,
    links: links.map((link) => linkRecord(link)),
    directories: [],
    applying: token,
  });
}

describe("the sweep of an interrupted run's temporaries, when the state was edited by hand", () => {
  // ~/.config leads outside the roots; the state names a link below it and a token, and a
  // file with that token's temporary name sits there: nothing outside the roots is touched.
  it("never renames a name outside the roots back into place through a symlinked directory", async () => {
    const w = await makeWorld("version: 1\nlinks:\n  ~/a: vim/vimrc\n", {
      home: { ".config": { symlink: "../outside" } },
      root: { outside: { ".nvim.linkman-0123456789ab-old": { symlink: "/somewhere" } } },
    });
    await interrupted(w, [path.join(w.home, ".config", "nvim", "init.lua")]);
    const run = await w.cli("apply");
    expect(run.stderr).not.toContain("Error");
    const outside = path.join(w.root, "outside");
    expect(readlinkSync(path.join(outside, ".nvim.linkman-0123456789ab-old"))).toBe("/somewhere");
    expect(existsSync(path.join(outside, "nvim"))).toBe(false);
  });

  it("never removes a link outside the roots beside a recorded link below a symlinked directory", async () => {
    const w = await makeWorld("version: 1\nlinks:\n  ~/a: vim/vimrc\n", {
      home: { ".config": { symlink: "../outside" } },
      root: {
        outside: {
          nvim: { ".init.lua.linkman-0123456789ab": { symlink: "/somewhere" } },
          ".nvim.linkman-0123456789ab-old": { symlink: "/somewhere" },
        },
      },
    });
    await interrupted(w, [path.join(w.home, ".config", "nvim", "init.lua")]);
    await w.cli("apply");
    const outside = path.join(w.root, "outside");
    expect(
      lstatSync(path.join(outside, "nvim", ".init.lua.linkman-0123456789ab")).isSymbolicLink(),
    ).toBe(true);
    expect(readlinkSync(path.join(outside, ".nvim.linkman-0123456789ab-old"))).toBe("/somewhere");
  });

  it.runIf(process.platform !== "win32")(
    "never deletes a named pipe that has a temporary's name: only links and second names of files",
    async () => {
      const w = await makeWorld("version: 1\nlinks:\n  ~/a: vim/vimrc\n", {
        home: { ".config": { nvim: {} } },
      });
      const pipes = [
        path.join(w.home, ".a.linkman-0123456789ab"),
        path.join(w.home, ".config", ".nvim.linkman-0123456789ab-old"),
      ];
      execFileSync("mkfifo", pipes);
      await interrupted(w, [
        path.join(w.home, "a"),
        path.join(w.home, ".config", "nvim", "init.lua"),
      ]);
      await w.cli("apply");
      for (const pipe of pipes) expect(lstatSync(pipe).isFIFO(), pipe).toBe(true);
    },
  );
});

/**
 * A proc-receive hook (git's AGit flow): it talks with receive-pack in pkt-lines, answering
 * the version before git sends the commands, and reports each ref ok. Logs what it was told.
 */
const PROC_RECEIVE = `
const fs = require("node:fs");
let buffered = Buffer.alloc(0);
function read() {
  for (;;) {
    if (buffered.length >= 4) {
      const n = parseInt(buffered.subarray(0, 4).toString(), 16);
      if (n === 0) { buffered = buffered.subarray(4); return ""; }
      if (buffered.length >= n) {
        const text = buffered.subarray(4, n).toString();
        buffered = buffered.subarray(n);
        return text;
      }
    }
    const chunk = Buffer.alloc(65536);
    const got = fs.readSync(0, chunk);
    if (got === 0) throw new Error("stdin ended");
    buffered = Buffer.concat([buffered, chunk.subarray(0, got)]);
  }
}
const write = (t) => fs.writeSync(1, t === null ? "0000" : (t.length + 5).toString(16).padStart(4, "0") + t + "\\n");
while (read() !== "");
write("version=1"); write(null);
const refs = [];
for (let line; (line = read()) !== "";) refs.push(line.trim().split(" ")[2]);
for (const ref of refs) write("ok " + ref);
write(null);
fs.appendFileSync(process.env.GIT_DIR + "/../../proc-receive.log", refs.join(" ") + "\\n");
`;

describe.runIf(process.platform !== "win32")(
  "a wrapper chaining a proc-receive hook, which talks with git on stdin and stdout",
  () => {
    it("lets the push through: the chained hook is given git's stdin as it comes, not read to its end first", async () => {
      const { git, env } = gitHome();
      const w = await makeWorld(
        "version: 1\nlinks:\n  - { link: .git/hooks/proc-receive, target: hooks/proc-receive, kind: wrapper, onConflict: chain }\n",
        { dots: { hooks: { "proc-receive": "#!/bin/sh\nexit 0\n" } } },
      );
      chmodSync(path.join(w.dots, "hooks", "proc-receive"), 0o755);
      git(w.dots, "init", "-q", "-b", "main");
      git(w.dots, "config", "receive.procReceiveRefs", "refs/for");
      git(w.dots, "add", "-A");
      git(w.dots, "commit", "-q", "--no-verify", "-m", "start");
      const script = path.join(w.root, "proc-receive.cjs");
      await writeFile(script, PROC_RECEIVE);
      const hook = `#!/bin/sh\nexec '${process.execPath}' '${script}'\n`;
      await writeFile(path.join(w.dots, ".git", "hooks", "proc-receive"), hook, { mode: 0o755 });
      expect((await w.cli("apply")).code).toBe(0);
      expect(existsSync(path.join(w.dots, ".git", "hooks", "proc-receive.linkman-chained"))).toBe(
        true,
      );

      const clone = path.join(w.root, "clone");
      git(w.root, "clone", "-q", w.dots, clone);
      // In a process group of its own, so that a hung push is ended with its receive-pack and hooks.
      const child = spawn("git", ["push", "-q", "origin", "HEAD:refs/for/main"], {
        cwd: clone,
        env,
        detached: true,
        stdio: ["ignore", "ignore", "pipe"],
      });
      let stderr = "";
      child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
      const hung = setTimeout(() => process.kill(-child.pid!, "SIGKILL"), 10_000);
      const code = await new Promise((resolve) => child.on("close", resolve));
      clearTimeout(hung);
      expect(code, stderr || "git push hung").toBe(0);
      expect(readFileSync(path.join(w.root, "proc-receive.log"), "utf8")).toBe("refs/for/main\n");
    });
  },
);

describe("a links map's entries, as a library script sees them", () => {
  async function read() {
    const w = await makeWorld('version: 1\nlinks:\n  "~/a": vim/vimrc\n  "~/b": vim/vimrc\n');
    const manifest = await readManifest(w.manifest, { fs: w.fs, homedir: w.home });
    if (!manifest.ok) throw new Error(manifest.errors[0]?.message);
    const resolve = async () => {
      const links = await resolveLinks(manifest.value, testContext(w.home));
      if (!links.ok) throw new Error(links.errors[0]?.message);
      return links.value.map((l) => path.basename(l.link));
    };
    return { file: manifest.value.root, resolve };
  }

  it("can be read from a frozen manifest, the same array each time", async () => {
    const { file, resolve } = await read();
    Object.freeze(file);
    expect(file.entries.map((e) => e.link)).toEqual(["~/a", "~/b"]);
    expect(file.entries).toBe(file.entries);
    expect(await resolve()).toEqual(["a", "b"]);
  });

  it("are the ones a script defined in their place with defineProperty", async () => {
    const { file, resolve } = await read();
    Object.defineProperty(file, "entries", { value: [], enumerable: true, configurable: true });
    expect(await resolve()).toEqual([]);
  });

  it("are the ones a script set, as before", async () => {
    const { file, resolve } = await read();
    file.entries = file.entries.filter((e) => e.link === "~/b");
    expect(await resolve()).toEqual(["b"]);
  });
});

/** The shells a wrapper may meet as /bin/sh that are installed here (Debian's is dash). */
const shells = ["sh", "dash", "bash"].filter((sh) => spawnSync(sh, ["-c", "exit 0"]).status === 0);

describe.runIf(process.platform !== "win32")("a chaining wrapper's stdin, under each shell", () => {
  const inputs: [string, Buffer][] = [
    ["no trailing newline", Buffer.from("a b\nc d")],
    ["several trailing newlines", Buffer.from("a\n\n\n")],
    [
      "%, backslashes, $(…), backquotes and quotes",
      Buffer.from("%s %d \\n \\ $(id) `id` \"q\" 's'\n-n\n"),
    ],
    ["bytes that are not UTF-8", Buffer.from([0x61, 0xe2, 0x80, 0x0a, 0xff, 0xc3])],
    [
      "2 MB of refs",
      Buffer.from(
        `${"0".repeat(40)} refs/heads/main ${"1".repeat(40)} refs/heads/main\n`.repeat(20_000),
      ),
    ],
  ];

  it.each(shells.flatMap((sh) => inputs.map(([name, bytes]) => [sh, name, bytes] as const)))(
    "%s gives both hooks the same bytes: %s",
    async (sh, _name, bytes) => {
      const dir = await makeTree({ "hooks dir 'q'": {} });
      const hooks = path.join(dir, "hooks dir 'q'");
      const copy = (to: string) => `#!/bin/sh\ncat > '${path.join(dir, to)}'\n`;
      await writeFile(
        path.join(hooks, "pre-push"),
        wrapperScript(path.join(hooks, "pre-push"), path.join(hooks, "tracked"), true),
      );
      await writeFile(path.join(hooks, "pre-push.linkman-chained"), copy("chained"), {
        mode: 0o755,
      });
      await writeFile(path.join(hooks, "tracked"), copy("tracked") + "exit 7\n", { mode: 0o755 });
      const run = spawnSync(sh, [path.join(hooks, "pre-push"), "origin", "url"], { input: bytes });
      expect(run.status).toBe(7);
      expect(readFileSync(path.join(dir, "chained")).equals(bytes)).toBe(true);
      expect(readFileSync(path.join(dir, "tracked")).equals(bytes)).toBe(true);
    },
  );

  it.each(shells)(
    "%s: a chained hook that stops reading early is no error, and says nothing, where SIGPIPE is ignored",
    async (sh) => {
      const dir = await makeTree({ hooks: {} });
      const hooks = path.join(dir, "hooks");
      await writeFile(
        path.join(hooks, "pre-push"),
        wrapperScript(path.join(hooks, "pre-push"), path.join(hooks, "tracked"), true),
      );
      await writeFile(path.join(hooks, "pre-push.linkman-chained"), "#!/bin/sh\nexit 0\n", {
        mode: 0o755,
      });
      await writeFile(path.join(hooks, "tracked"), "#!/bin/sh\ncat >/dev/null\n", {
        mode: 0o755,
      });
      const run = spawnSync(
        sh,
        ["-c", `trap '' PIPE; exec ${sh} "$0"`, path.join(hooks, "pre-push")],
        {
          input: Buffer.from("x".repeat(1_000_000)),
          encoding: "utf8",
        },
      );
      expect([run.status, run.stderr]).toEqual([0, ""]);
    },
  );

  it.skipIf(process.platform === "win32")(
    "leaves the stdin of a hook git gives none alone: a chained pre-commit run with a pipe that never closes ends",
    async () => {
      const dir = await makeTree({ hooks: {} });
      const hooks = path.join(dir, "hooks");
      const ran = (who: string) => `#!/bin/sh\necho ${who} >> '${path.join(dir, "ran")}'\n`;
      await writeFile(
        path.join(hooks, "pre-commit"),
        wrapperScript(path.join(hooks, "pre-commit"), path.join(hooks, "tracked"), true),
      );
      await writeFile(path.join(hooks, "pre-commit.linkman-chained"), ran("chained"), {
        mode: 0o755,
      });
      await writeFile(path.join(hooks, "tracked"), ran("tracked"), { mode: 0o755 });
      // stdin a pipe this test holds open, as a tool running hooks might pass on its own.
      const child = spawn("sh", [path.join(hooks, "pre-commit")], {
        stdio: ["pipe", "ignore", "ignore"],
      });
      const code = await new Promise<number | null>((resolve) => {
        const timer = setTimeout(() => {
          child.kill("SIGKILL");
          resolve(null);
        }, 5000);
        child.on("exit", (c) => {
          clearTimeout(timer);
          resolve(c);
        });
      });
      child.stdin.destroy();
      expect(code).toBe(0);
      expect(readFileSync(path.join(dir, "ran"), "utf8")).toBe("chained\ntracked\n");
    },
  );
});
