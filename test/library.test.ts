import { readlinkSync } from "node:fs";
import path from "node:path";
import { expect, it } from "vitest";
import {
  applyPlan,
  NodeFileSystem,
  planLinks,
  processContext,
  readManifest,
  resolveLinks,
} from "../src/index.js";
import { makeWorld } from "./helpers/world.js";

it("runs the README's library example: read, resolve, plan, apply", async () => {
  const w = await makeWorld("version: 1\nlinks:\n  ~/.vimrc: vim/vimrc\n  ~/.config/nvim: nvim\n");
  const fs = new NodeFileSystem();
  const ctx = processContext({ fs, homedir: w.home, env: {} });
  const manifest = await readManifest(w.manifest, ctx);
  if (!manifest.ok) throw new Error(manifest.errors.map((e) => e.message).join("\n"));
  const links = await resolveLinks(manifest.value, ctx);
  if (!links.ok) throw new Error(links.errors.map((e) => e.message).join("\n"));
  const plan = await planLinks(links.value, { ...ctx, manifest: manifest.value.file });
  expect(plan.summary).toMatchObject({ create: 2, replace: 0 });
  const result = await applyPlan(plan, { fs, platform: process.platform });
  expect(result.actions.map((a) => a.result)).toEqual(["done", "done"]);
  expect(readlinkSync(path.join(w.home, ".config/nvim"))).toBe(path.join(w.dots, "nvim"));
});
