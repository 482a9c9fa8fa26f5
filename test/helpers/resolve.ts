import path from "node:path";
import { NodeFileSystem } from "../../src/fs/nodeFileSystem.js";
import { readManifest } from "../../src/manifest/read.js";
import type { Diagnostic, Result } from "../../src/diagnostic.js";
import type { DesiredLink } from "../../src/resolve/desiredLink.js";
import { resolveLinks, type ResolveContext } from "../../src/resolve/resolveLinks.js";

/** Facts for a test run: Linux on x64, host `box`, no profiles, an empty environment. */
export function testContext(home: string, overrides: Partial<ResolveContext> = {}): ResolveContext {
  return {
    fs: new NodeFileSystem(),
    platform: "linux",
    arch: "x64",
    hostname: "box",
    homedir: home,
    profiles: [],
    env: {},
    ...overrides,
  };
}

/** Reads and resolves the manifest at `file`, returning links or every diagnostic. */
export async function resolveFile(
  file: string,
  ctx: ResolveContext,
): Promise<Result<DesiredLink[]>> {
  const manifest = await readManifest(file, { fs: ctx.fs, homedir: ctx.homedir });
  if (!manifest.ok) return manifest;
  return resolveLinks(manifest.value, ctx);
}

/** The links of a resolution that must succeed, as `link → target` relative to `root`. */
export function pairs(result: Result<DesiredLink[]>, root: string): string[] {
  if (!result.ok) throw new Error(`expected success, got:\n${messages(result.errors).join("\n")}`);
  return result.value.map(
    (l) =>
      `${path.relative(root, l.link)} → ${path.relative(root, l.target)}${l.skipped ? " (skipped)" : ""}`,
  );
}

/** `line:column message` of each diagnostic, for assertions. */
export function messages(errors: Diagnostic[]): string[] {
  return errors.map((e) => `${e.line ?? "-"}:${e.column ?? "-"} ${e.message}`);
}

/** The diagnostics of a resolution that must fail. */
export function failure(result: Result<unknown>): Diagnostic[] {
  if (result.ok) throw new Error("expected failure, got success");
  return result.errors;
}
