import path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { resolveFile, testContext } from "./helpers/resolve.js";
import { onWindows } from "./helpers/systems.js";
import { makeTree, writeTree } from "./helpers/tree.js";

/** Path texts from the pieces that expansion and path.resolve rewrite. */
const pathText = (pieces: readonly string[]) =>
  fc.array(fc.constantFrom(...pieces), { maxLength: 6 }).map((parts) => parts.join(""));

describe.skipIf(onWindows)("a plain entry's link and target, made by one concatenation", () => {
  it("are the paths the long way gives, whatever the home and the base", async () => {
    const root = await makeTree({ home: {}, dots: { pkg: { f: "f" } } });
    const dots = path.join(root, "dots");
    const home = path.join(root, "home");
    const link = pathText(["~", "~/", "/", "a", "\\", ".", "..", "./", "$V", "*", "(x)", "~b"]);
    const target = pathText(["pkg", "/", "f", ".", "..", "~", "~/", "$V", "?", dots, "\\"]);
    // A map entry (the short way where it is plain) against the same entry with a `when`.
    const resolveAs = async (name: string, homedir: string, base: string, entries: string[]) => {
      const manifest = `version: 1\n${base}vars: { V: pkg }\nlinks:\n${entries.join("\n")}\n`;
      await writeTree(dots, { [name]: manifest });
      const result = await resolveFile(path.join(dots, name), testContext(homedir));
      // Messages without their places: a map entry and a list item are written at other columns.
      if (!result.ok) return result.errors.map((e) => e.message);
      return result.value.map((l) => [l.link, l.target, l.targetType, l.skipped?.reason]);
    };
    // One entry a run: an error in one entry would make the whole manifest's answer its messages.
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom("/", home, `${home}/`, `${home}/./x/..`),
        fc.constantFrom("", "base: /\n", "base: pkg/..\n", `base: ${dots}\n`, "base: pkg/\n"),
        link,
        target,
        async (homedir, base, l, t) => {
          const [lq, tq] = [JSON.stringify(l || "."), JSON.stringify(t || ".")];
          const plain = await resolveAs("plain.yaml", homedir, base, [`  ${lq}: ${tq}`]);
          const when = `  - { link: ${lq}, target: ${tq}, when: { os: linux } }`;
          expect(plain).toEqual(await resolveAs("long.yaml", homedir, base, [when]));
        },
      ),
      { numRuns: 600 },
    );
  });
});
