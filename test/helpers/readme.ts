import { readFileSync } from "node:fs";
import path from "node:path";

/** The repository's root. */
export const ROOT = path.resolve(import.meta.dirname, "../..");

/** The TypeScript block under README.md's "## Library" heading, as a user would paste it. */
export function readmeLibraryExample(): string {
  const readme = readFileSync(path.join(ROOT, "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("\n## Library\n"));
  const block = /```ts\n([\s\S]*?)```/.exec(section);
  if (!block?.[1]) throw new Error("README.md has no ```ts block under ## Library");
  return block[1];
}
