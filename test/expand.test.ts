import { describe, expect, it } from "vitest";
import { expandPath, expandTilde, expandVariables } from "../src/resolve/expand.js";
import { onWindows } from "./helpers/systems.js";

const env: Record<string, string> = { HOME: "/home/u", XDG: "/xdg", EMPTY: "", NAME: "vim" };
const lookup = (name: string) => env[name];
const expand = (text: string) => expandVariables(text, lookup);

describe.skipIf(onWindows)("variables (written with POSIX paths)", () => {
  it.each([
    ["$NAME/rc", "vim/rc"],
    ["${NAME}rc", "vimrc"],
    ["${XDG:-~/.config}/x", "/xdg/x"],
    ["${UNSET:-~/.config}/x", "~/.config/x"],
    ["${EMPTY:-fallback}", "fallback"],
    ["${UNSET:-${NAME}}", "vim"],
    ["${UNSET:-${ALSO_UNSET:-deep}}", "deep"],
    ["cost $$5", "cost $5"],
    ["a$", "a$"],
    ["$1 and $-", "$1 and $-"],
    ["$EMPTY|", "|"],
    ["no variables", "no variables"],
  ])("%s expands to %s", (text, expected) => {
    expect(expand(text)).toEqual({ ok: true, value: expected });
  });

  it("names an unset variable", () => {
    expect(expand("${CONFIG}/nvim")).toEqual({
      ok: false,
      error: { message: "variable CONFIG is not set", variable: "CONFIG" },
    });
  });

  it("names an unset $VARIABLE", () => {
    expect(expand("$NOPE/x")).toMatchObject({ ok: false, error: { variable: "NOPE" } });
  });

  it("refuses an unclosed ${", () => {
    expect(expand("${NAME/x")).toMatchObject({
      ok: false,
      error: { message: expect.stringContaining("unclosed") },
    });
  });

  it("refuses an operator it does not know", () => {
    expect(expand("${NAME:=x}")).toMatchObject({
      ok: false,
      error: { message: expect.stringContaining("not a variable") },
    });
  });

  it("leaves unset variables as written when lenient", () => {
    expect(expandVariables("${APPDATA}/Code", lookup, true)).toEqual({
      ok: true,
      value: "${APPDATA}/Code",
    });
  });
});

describe.skipIf(onWindows)("tilde (written with POSIX paths)", () => {
  it.each([
    ["~", "/home/u"],
    ["~/.vimrc", "/home/u/.vimrc"],
    ["a/~/b", "a/~/b"],
  ])("%s is %s", (text, expected) => {
    expect(expandTilde(text, "/home/u")).toEqual({ ok: true, value: expected });
  });

  it("refuses another user's home", () => {
    expect(expandTilde("~bob/.vimrc", "/home/u")).toMatchObject({
      ok: false,
      error: { message: "`~bob` (another user's home) is not supported" },
    });
  });

  it("expands ~ that a variable's fallback produced", () => {
    expect(expandPath("${UNSET:-~/.config}/nvim", lookup, "/home/u")).toEqual({
      ok: true,
      value: "/home/u/.config/nvim",
    });
  });
});
