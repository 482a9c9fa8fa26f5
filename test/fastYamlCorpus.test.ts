import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { parseYamlSource } from "../src/manifest/yamlSource.js";
import { expectSameAsFull, FILE } from "./helpers/fastYaml.js";

const root = path.resolve(import.meta.dirname, "..");

/** Every YAML file under examples/, and links.example.yaml. */
function exampleFiles(): { name: string; text: string; prefix: string[] }[] {
  const files = readdirSync(path.join(root, "examples"), { recursive: true, encoding: "utf8" })
    .filter((f) => /\.(ya?ml|example)$|(^|\/)package\.json$/.test(f))
    .map((f) => path.join("examples", f));
  return [...files, "links.example.yaml"].map((name) => ({
    name,
    text: readFileSync(path.join(root, name), "utf8"),
    prefix: name.endsWith("package.json") ? ["linkman"] : [],
  }));
}

/**
 * The manifests the tests write: every string or template literal in test/ that holds
 * `version: 1`, with each `${…}` of a template read as a plain word.
 */
function testManifests(): { name: string; text: string; prefix: string[] }[] {
  const found: { name: string; text: string; prefix: string[] }[] = [];
  for (const file of readdirSync(path.join(root, "test"), { recursive: true, encoding: "utf8" })) {
    if (!file.endsWith(".ts")) continue;
    const source = ts.createSourceFile(
      file,
      readFileSync(path.join(root, "test", file), "utf8"),
      ts.ScriptTarget.Latest,
    );
    const visit = (node: ts.Node): void => {
      let text: string | undefined;
      if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) text = node.text;
      else if (ts.isTemplateExpression(node)) {
        text = node.head.text + node.templateSpans.map((s) => `x${s.literal.text}`).join("");
      }
      if (text?.includes("version: 1")) {
        const { line } = source.getLineAndCharacterOfPosition(node.getStart(source));
        found.push({ name: `test/${file}:${line + 1}`, text, prefix: [] });
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return found;
}

describe("the fast manifest reader on the project's own manifests", () => {
  const corpus = [...exampleFiles(), ...testManifests()];

  it("answers as the yaml library does, or declines, for every example and test manifest", () => {
    expect(corpus.length).toBeGreaterThan(300);
    let valid = 0;
    let read = 0;
    for (const { text, prefix } of corpus) {
      if (parseYamlSource(FILE, text, prefix).ok) valid++;
      if (expectSameAsFull(text, prefix)) read++;
    }
    // Most real manifests are in the subset; the rest use what only the yaml library reads.
    expect(read / valid).toBeGreaterThan(0.9);
  });
});
