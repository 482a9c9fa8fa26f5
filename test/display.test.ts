import path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { printable, showPath } from "../src/display.js";

/** showPath as it was written with path.relative, which the shortcut must equal. */
function byRelative(p: string, where: { homedir: string; cwd?: string }): string {
  const rel = where.cwd === undefined ? "" : path.relative(where.cwd, p);
  if (rel && !rel.startsWith("..") && !path.isAbsolute(rel)) return printable(rel);
  const home = where.homedir;
  return printable(p === home || p.startsWith(home + path.sep) ? `~${p.slice(home.length)}` : p);
}

// Paths from a few names, so one is often inside another, equal to it, or a `..name` beside it.
const spelled = fc
  .array(fc.constantFrom("/", "/", "a", "b", ".", "..", "..a", "a\n"), { maxLength: 8 })
  .map((parts) => parts.join(""));
const absolute = fc.oneof(
  spelled.map((p) => `/${p}`),
  fc.array(fc.constantFrom("a", "b", "..a", "c d"), { maxLength: 4 }).map((n) => `/${n.join("/")}`),
);

describe("showPath", () => {
  it.each([
    ["/h/dots/vim/vimrc", "/h/dots", "vim/vimrc"],
    ["/h/dots", "/h/dots", "~/dots"],
    ["/h/dots/..vimrc", "/h/dots", "~/dots/..vimrc"],
    ["/h/.vimrc", "/h/dots", "~/.vimrc"],
    ["/etc/hosts", "/", "etc/hosts"],
    ["/other/x", "/h", "/other/x"],
  ])("shows %s from %s as %s", (p, cwd, shown) => {
    expect(showPath(p, { homedir: "/h", cwd })).toBe(shown);
  });

  it.skipIf(path.sep !== "/")(
    "shows every path as it did by path.relative, however the path and the directory are spelled",
    () => {
      fc.assert(
        fc.property(absolute, fc.oneof(absolute, spelled), absolute, (p, cwd, homedir) => {
          expect(showPath(p, { homedir, cwd })).toBe(byRelative(p, { homedir, cwd }));
        }),
        { numRuns: 5000 },
      );
    },
  );
});
