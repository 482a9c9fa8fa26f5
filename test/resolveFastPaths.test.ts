import path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { EntryPlace } from "../src/resolve/desiredLink.js";
import { expandPath, expandTilde, expandVariables } from "../src/resolve/expand.js";
import { messages, resolveFile, testContext } from "./helpers/resolve.js";
import { onWindows } from "./helpers/systems.js";
import { makeTree, writeTree } from "./helpers/tree.js";

/** Path texts from the pieces that path.resolve rewrites: `.`, `..`, empty segments, slashes. */
const pathText = (pieces: readonly string[]) =>
  fc.array(fc.constantFrom(...pieces), { maxLength: 6 }).map((parts) => parts.join(""));

describe.skipIf(onWindows)(
  "shortcuts in resolving an entry give the answers of the long way",
  () => {
    it("a text without `$` expands as variables then `~` expand it", () => {
      const lookup = (name: string) => (name === "V" ? "v" : undefined);
      fc.assert(
        fc.property(pathText(["~", "~/", "a", "/", "$", "$V", "${V}", "${U}", "\\"]), (text) => {
          for (const lenient of [false, true]) {
            const vars = expandVariables(text, lookup, lenient);
            const tilde = vars.ok ? expandTilde(vars.value, "/home/u") : vars;
            const expected = tilde.ok || !lenient ? tilde : vars;
            expect(expandPath(text, lookup, "/home/u", lenient)).toEqual(expected);
          }
        }),
        { numRuns: 3000 },
      );
    });

    it("an entry without `when` resolves as the same entry with a `when` that holds", async () => {
      // Entries with a `when` take the long way; entries without, most of them, a short one.
      const root = await makeTree({
        home: {},
        dots: { pkg: { f: "f", d: { x: "x" } }, other: { f: "g" } },
      });
      const dots = path.join(root, "dots");
      const link = pathText(["~/", "l/", "a", "/", ".", "..", "./", "$V", "${V}", "rel/"]);
      const target = pathText(["pkg", "/", "f", "d", ".", "..", "other", "$V", dots, "~/"]);
      const resolveAs = async (name: string, entries: string[]) => {
        const manifest = `version: 1\nvars: { V: pkg }\nlinks:\n${entries.join("\n")}\n`;
        await writeTree(dots, { [name]: manifest });
        const result = await resolveFile(
          path.join(dots, name),
          testContext(path.join(root, "home")),
        );
        if (!result.ok) return messages(result.errors);
        return result.value.map((l) => {
          // The two manifests differ only in their names and in the `when` on each line.
          // A place is read as it is shown (JSON), however it is worked out.
          const { file, lineText, length, ...place } = JSON.parse(
            JSON.stringify(l.place),
          ) as EntryPlace;
          expect([path.basename(file), lineText?.length, length]).not.toContain(undefined);
          return { ...l, place };
        });
      };
      await fc.assert(
        fc.asyncProperty(fc.array(fc.tuple(link, target), { maxLength: 12 }), async (pairs) => {
          const entry = ([l, t]: [string, string], when: string) =>
            `  - { link: ${JSON.stringify(l || ".")}, target: ${JSON.stringify(t || ".")}${when} }`;
          const plain = await resolveAs(
            "plain.yaml",
            pairs.map((p) => entry(p, "")),
          );
          const withWhen = await resolveAs(
            "when.yaml",
            pairs.map((p) => entry(p, ", when: { os: linux }")),
          );
          expect(plain).toEqual(withWhen);
        }),
        { numRuns: 60 },
      );
    });

    it.each([
      [
        "links.yaml",
        'version: 1\nlinks:\n  "~/a": vim/vimrc\n',
        { line: 3, column: 3, length: 5, path: 'links["~/a"]' },
      ],
      [
        "links.yaml",
        "version: 1\nlinks:\n  - { link: ~/a, target: vim/vimrc }\n",
        { line: 3, column: 5, length: 32, path: "links[0]" },
      ],
      [
        "package.json",
        '{ "linkman": { "version": 1, "links": { "~/a": "vim/vimrc" } } }\n',
        { line: 1, column: 41, length: 5, path: 'linkman.links["~/a"]' },
      ],
    ])(
      "a plain entry in %s is placed at its key in a map, its item in a list: %j",
      async (name, text, place) => {
        const root = await makeTree({ home: {}, dots: { [name]: text, vim: { vimrc: "x" } } });
        const file = path.join(root, "dots", name);
        const result = await resolveFile(file, testContext(path.join(root, "home")));
        if (!result.ok) throw new Error(messages(result.errors).join("\n"));
        const lineText = text.split("\n")[place.line - 1];
        expect(result.value.map((l) => JSON.parse(JSON.stringify(l.place)))).toEqual([
          { file, lineText, ...place },
        ]);
      },
    );
  },
);
