import { execFileSync } from "node:child_process";
import { cpSync, lstatSync, readFileSync, readlinkSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { linkman } from "./helpers/cli.js";
import { SYSTEMS } from "./helpers/systems.js";
import { tempDir } from "./helpers/tree.js";

const root = path.resolve(import.meta.dirname, "..");

describe.each(SYSTEMS.map((s) => [s.name, s] as const))(
  "the shipped examples, on %s",
  (_name, system) => {
    it("links.example.yaml applies into an empty home, with the work profile", async () => {
      const home = tempDir();
      const appData = path.join(home, "AppData/Roaming");
      const env = { XDG_STATE_HOME: path.join(home, ".state"), APPDATA: appData };
      const on = { cwd: root, home, env, platform: system.platform, fs: system.fs() };
      const run = await linkman(["apply", "-c", "links.example.yaml", "--profile", "work"], on);
      expect(run.code, run.stderr).toBe(0);
      const dots = path.join(root, "examples/dotfiles");
      expect(readlinkSync(path.join(home, ".gitconfig"))).toBe(path.join(dots, "git/gitconfig"));
      expect(readlinkSync(path.join(home, ".zshrc"))).toBe(
        path.relative(home, path.join(dots, "zsh/zshrc")),
      );
      expect(readlinkSync(path.join(home, ".config/nvim"))).toBe(path.join(dots, "nvim"));
      expect(statSync(path.join(home, "bin/tool")).ino).toBe(
        statSync(path.join(dots, "bin/tool")).ino,
      );
      expect(readFileSync(path.join(home, ".config/alacritty/alacritty.toml"), "utf8")).toContain(
        "size = 12",
      );
      expect(() => lstatSync(path.join(home, ".config/alacritty/.alacritty.toml.swp"))).toThrow();
      if (system.platform === "win32") {
        // A junction, and no ~/.ssh/config: that entry is for Linux and macOS.
        expect(readlinkSync(path.join(appData, "PowerShell"))).toBe(
          path.join(dots, "windows/powershell"),
        );
        expect(() => lstatSync(path.join(home, ".ssh/config"))).toThrow();
      } else {
        expect(readlinkSync(path.join(home, ".ssh/config"))).toBe(path.join(dots, "ssh/config"));
      }
      const status = await linkman(["status", "-c", "links.example.yaml", "--profile", "work"], on);
      expect(status.code, status.stdout).toBe(0);
      const unlink = await linkman(["unlink", "-c", "links.example.yaml"], on);
      expect(unlink.code, unlink.stderr).toBe(0);
      expect(() => lstatSync(path.join(home, ".gitconfig"))).toThrow();
    });

    it("repo-onboarding links its hooks and shared configs into a fresh clone", async () => {
      const clone = path.join(tempDir(), "clone");
      cpSync(path.join(root, "examples/repo-onboarding"), clone, { recursive: true });
      // A real repository: a made-up .git/hooks is not one, and its hooks would be skipped.
      execFileSync("git", ["init", "-q"], { cwd: clone, stdio: "ignore" });
      const home = tempDir();
      const on = {
        home,
        env: { XDG_STATE_HOME: path.join(home, ".state") },
        platform: system.platform,
        fs: system.fs(),
      };
      const run = await linkman(["apply"], { cwd: path.join(clone, "packages/web"), ...on });
      expect(run.code, run.stderr).toBe(0);
      // The hook is a wrapper script that runs the tracked hook by its path.
      expect(readFileSync(path.join(clone, ".git/hooks/pre-commit"), "utf8")).toContain(
        "tools/hooks/pre-commit",
      );
      expect(readlinkSync(path.join(clone, "packages/web/.editorconfig"))).toBe(
        "../../shared/.editorconfig",
      );
      expect(readFileSync(path.join(clone, "packages/web/.prettierrc.json"), "utf8")).toContain(
        "printWidth",
      );
      const again = await linkman(["plan"], { cwd: clone, ...on });
      expect(again.stdout).toContain(
        "Plan: 0 to create, 0 to replace, 0 to remove, 5 unchanged, 0 conflicts.",
      );
    });
  },
);
