import { spawn, execFileSync, type ChildProcessWithoutNullStreams } from "node:child_process";
import { mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { linkman } from "./helpers/cli.js";

// These directories outlive each test (the server reads them across tests); removed after all.
const dirs: string[] = [];
const tempDir = () => {
  const dir = realpathSync(mkdtempSync(path.join(os.tmpdir(), "linkman-editor-")));
  dirs.push(dir);
  return dir;
};

const root = path.resolve(import.meta.dirname, "..");
const server = path.join(root, "node_modules/yaml-language-server/bin/yaml-language-server");

/** A minimal LSP client speaking JSON-RPC over the server's stdin and stdout. */
class LanguageClient {
  private buffer = Buffer.alloc(0);
  private nextId = 1;
  private readonly waiting = new Map<number, (result: unknown) => void>();
  private readonly diagnostics = new Map<string, (d: Diagnostic[]) => void>();
  readonly process: ChildProcessWithoutNullStreams;

  constructor(private readonly settings: object) {
    this.process = spawn(process.execPath, [server, "--stdio"], { cwd: tempDir() });
    this.process.stdout.on("data", (chunk: Buffer) => this.receive(chunk));
  }

  request(method: string, params: object): Promise<unknown> {
    const id = this.nextId++;
    this.send({ jsonrpc: "2.0", id, method, params });
    return new Promise((resolve) => this.waiting.set(id, resolve));
  }

  notify(method: string, params: object): void {
    this.send({ jsonrpc: "2.0", method, params });
  }

  /** Opens a document and resolves with the first diagnostics the server publishes for it. */
  open(uri: string, text: string): Promise<Diagnostic[]> {
    const published = new Promise<Diagnostic[]>((resolve) => this.diagnostics.set(uri, resolve));
    this.notify("textDocument/didOpen", {
      textDocument: { uri, languageId: "yaml", version: 1, text },
    });
    return published;
  }

  private send(message: object): void {
    const body = JSON.stringify(message);
    this.process.stdin.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
  }

  private receive(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const end = this.buffer.indexOf("\r\n\r\n");
      if (end < 0) return;
      const length = Number(
        /Content-Length: (\d+)/i.exec(this.buffer.subarray(0, end).toString())?.[1],
      );
      if (this.buffer.length < end + 4 + length) return;
      const message = JSON.parse(this.buffer.subarray(end + 4, end + 4 + length).toString()) as {
        id?: number;
        method?: string;
        params?: { uri: string; diagnostics: Diagnostic[]; items?: { section?: string }[] };
        result?: unknown;
      };
      this.buffer = this.buffer.subarray(end + 4 + length);
      if (message.method === "textDocument/publishDiagnostics" && message.params) {
        this.diagnostics.get(message.params.uri)?.(message.params.diagnostics);
      } else if (message.method === "workspace/configuration" && message.id !== undefined) {
        const items = message.params?.items ?? [];
        const result = items.map((i) => (i.section === "yaml" ? this.settings : null));
        this.send({ jsonrpc: "2.0", id: message.id, result });
      } else if (message.method && message.id !== undefined) {
        this.send({ jsonrpc: "2.0", id: message.id, result: null });
      } else if (message.id !== undefined) {
        this.waiting.get(message.id)?.(message.result);
      }
    }
  }
}

interface Diagnostic {
  message: string;
  range: { start: { line: number; character: number } };
}

const labels = (result: unknown) =>
  (
    (Array.isArray(result) ? result : (result as { items: unknown[] }).items) as { label: string }[]
  ).map((i) => i.label);

describe("an editor with the YAML language server, in a clone on another machine", () => {
  let clone: string;
  let client: LanguageClient;
  const catalog = JSON.parse(readFileSync(path.join(root, "schemas/catalog.json"), "utf8")) as {
    schemas: { fileMatch: string[] }[];
  };

  beforeAll(async () => {
    // A dotfiles repository started with `linkman init`, committed, and cloned elsewhere.
    const repo = tempDir();
    await linkman(["init"], { cwd: repo });
    const git = (args: string[], cwd: string) =>
      execFileSync("git", args, {
        cwd,
        env: {
          ...process.env,
          GIT_AUTHOR_NAME: "t",
          GIT_AUTHOR_EMAIL: "t@t",
          GIT_COMMITTER_NAME: "t",
          GIT_COMMITTER_EMAIL: "t@t",
        },
        stdio: "ignore",
      });
    git(["init", "-q"], repo);
    git(["add", "."], repo);
    git(["commit", "-q", "-m", "dotfiles"], repo);
    clone = path.join(tempDir(), "dotfiles");
    git(["clone", "-q", repo, clone], path.dirname(clone));

    // The catalog's file names, pointed at the clone's copy (the published URL is not reachable here).
    const schemaUri = pathToFileURL(path.join(clone, "linkman.schema.json")).href;
    client = new LanguageClient({
      validate: true,
      completion: true,
      hover: true,
      schemaStore: { enable: false },
      schemas: { [schemaUri]: catalog.schemas[0]?.fileMatch },
    });
    await client.request("initialize", {
      processId: process.pid,
      rootUri: pathToFileURL(clone).href,
      capabilities: { workspace: { configuration: true }, textDocument: { completion: {} } },
    });
    client.notify("initialized", {});
    client.notify("workspace/didChangeConfiguration", { settings: { yaml: {} } });
  }, 60_000);

  afterAll(() => {
    client?.process.kill();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  const manifest = () => readFileSync(path.join(clone, "links.yaml"), "utf8");

  it("the starter's $schema line is relative and its file is in the clone", () => {
    expect(manifest().split("\n")[0]).toBe("# yaml-language-server: $schema=./linkman.schema.json");
  });

  it("completes the manifest's keys and enum values, and flags a typo'd key", async () => {
    const uri = pathToFileURL(path.join(clone, "links.yaml")).href;
    const text = manifest()
      .replace(/^ {2}kind: .*$/m, "  kind: ")
      .replace("  - link: ~/.gitconfig\n", "  - link: ~/.gitconfig\n    onConflic: fail\n    \n");
    const diagnostics = await client.open(uri, text);
    const lines = text.split("\n");
    const typo = lines.findIndex((l) => l.includes("onConflic:"));
    expect(diagnostics.map((d) => [d.range.start.line, d.message])).toContainEqual([
      typo,
      "Property onConflic is not allowed.",
    ]);

    const kindLine = lines.findIndex((l) => l.startsWith("  kind:"));
    const values = await client.request("textDocument/completion", {
      textDocument: { uri },
      position: { line: kindLine, character: "  kind: ".length },
    });
    expect(labels(values), "values of kind").toEqual(
      expect.arrayContaining(["symlink", "hardlink", "junction"]),
    );

    const keys = await client.request("textDocument/completion", {
      textDocument: { uri },
      position: { line: typo + 1, character: 4 },
    });
    expect(labels(keys), "keys of an entry").toEqual(
      expect.arrayContaining(["kind", "ifMissing", "when", "exclude"]),
    );
  }, 60_000);

  it("checks a .linkmanrc.yaml with no $schema line through the catalog's file names", async () => {
    const file = path.join(clone, ".linkmanrc.yaml");
    writeFileSync(file, "version: 1\nlinkz: []\n");
    const diagnostics = await client.open(pathToFileURL(file).href, "version: 1\nlinkz: []\n");
    expect(diagnostics.map((d) => d.message)).toContain("Property linkz is not allowed.");
  }, 60_000);
});
