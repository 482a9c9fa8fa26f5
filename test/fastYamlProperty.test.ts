import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { readFastYaml } from "../src/manifest/fastYaml.js";
import { parseYamlSource } from "../src/manifest/yamlSource.js";
import { expectSameAsFull, FILE } from "./helpers/fastYaml.js";

/** A YAML node as a manifest writer might lay it out. */
type Node =
  | { t: "scalar"; text: string; style: Style }
  | { t: "empty" }
  | { t: "map"; flow: boolean; pairs: [Scalar, Node][] }
  | { t: "list"; flow: boolean; items: Node[] };
type Style = "plain" | "single" | "double";
type Scalar = { text: string; style: Style };

/** Layout choices drawn once per text. */
interface Layout {
  width: number;
  /** A list under a key at the key's own indentation (`include:\n- a`). */
  flushLists: boolean;
  /** `- link: …` on the dash's line rather than below it. */
  compact: boolean;
  comments: boolean;
  /** A comment after (roughly) every how-many values. */
  noise: number[];
  docStart: boolean;
  /** Spaces after `:` and `-`, inside flow brackets, and at the ends of lines. */
  gap: number;
  flowPad: boolean;
  trail: number;
  /** Windows line ends, and a byte order mark. */
  crlf: boolean;
  bom: boolean;
}

/** Words manifests hold. */
const COMMON = [
  ...["version", "links", "link", "target", "kind", "include", "exclude", "when", "os", "env"],
  ...["~/.vimrc", "vim/vimrc", "~/", "pkg/**", "**/*.swp", "${CONFIG}/nvim", "local.yaml?"],
  ...["C:/Users", "http://x", "a,b", "x]", "x}", "x#y", "true", "1", "it's", "é", "日本"],
];

/** Words that trip readers: numbers, nulls, indicators, quotes, markers. */
const TRICKY = [
  ...["{a}", "[x]", "a #b", "a: b", "a:", ":a", "False", "TRUE", "yes", "null", "Null", "~", ""],
  ...["007", "+3", "-1", "1.5", "0x1F", "0o17", ".inf", "-.Inf", ".nan", "1e3", "1.", ".5", "-"],
  ...["--", "-x", "?x", "? x", "&a", "*a", "!t", "|", ">", "%x", "@x", "`x", "'q'", '"q"', "..."],
  ...["---", "__proto__", "<<", "constructor", "a\\b", " lead", "trail ", "a  b", 'say "hi"'],
];

const CHARS = [..."ab~/.*-_:#,[]{}?!&|>%@`'\"\\ 1 0\t"];

const textArb = fc.oneof(
  { weight: 20, arbitrary: fc.constantFrom(...COMMON) },
  { weight: 2, arbitrary: fc.constantFrom(...TRICKY) },
  { weight: 1, arbitrary: fc.string({ unit: fc.constantFrom(...CHARS), maxLength: 8 }) },
);
const styleArb = fc.constantFrom<Style>("plain", "plain", "plain", "single", "double");
const scalarArb: fc.Arbitrary<Scalar> = fc.record({ text: textArb, style: styleArb });

const { node: nodeArb } = fc.letrec<{ node: Node }>((tie) => ({
  node: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    { weight: 4, arbitrary: scalarArb.map((s): Node => ({ t: "scalar", ...s })) },
    { weight: 1, arbitrary: fc.constant<Node>({ t: "empty" }) },
    {
      weight: 2,
      arbitrary: fc.record({
        t: fc.constant("map" as const),
        flow: fc.boolean(),
        pairs: fc.array(fc.tuple(scalarArb, tie("node")), { minLength: 1, maxLength: 4 }),
      }),
    },
    {
      weight: 2,
      arbitrary: fc.record({
        t: fc.constant("list" as const),
        flow: fc.boolean(),
        items: fc.array(tie("node"), { minLength: 1, maxLength: 4 }),
      }),
    },
  ),
}));

/** A whole document: mostly a block map, as manifests are, sometimes a list (dotbot's) or anything. */
const rootArb: fc.Arbitrary<Node> = fc.oneof(
  {
    weight: 4,
    arbitrary: nodeArb.filter((n) => n.t === "map").map((n) => ({ ...n, flow: false })),
  },
  {
    weight: 1,
    arbitrary: nodeArb.filter((n) => n.t === "list").map((n) => ({ ...n, flow: false })),
  },
  { weight: 1, arbitrary: nodeArb },
);

const layoutArb: fc.Arbitrary<Layout> = fc.record({
  width: fc.integer({ min: 1, max: 4 }),
  flushLists: fc.boolean(),
  compact: fc.boolean(),
  comments: fc.boolean(),
  noise: fc.array(fc.nat(9), { minLength: 8, maxLength: 8 }),
  docStart: fc.boolean(),
  gap: fc.integer({ min: 1, max: 3 }),
  flowPad: fc.boolean(),
  trail: fc.integer({ min: 0, max: 2 }),
  crlf: fc.boolean(),
  bom: fc.boolean(),
});

function scalar({ text, style }: Scalar): string {
  if (style === "single") return `'${text.replaceAll("'", "''")}'`;
  if (style === "double") return `"${text.replaceAll("\\", "\\\\").replaceAll('"', '\\"')}"`;
  return text;
}

function flow(node: Node, pad = " "): string {
  switch (node.t) {
    case "scalar":
      return scalar(node);
    case "empty":
      return "";
    case "map": {
      const pairs = node.pairs.map(([k, v]) => `${scalar(k)}: ${flow(v, pad)}`);
      return `{${pad}${pairs.join(", ")}${pad}}`;
    }
    case "list":
      return `[${node.items.map((item) => flow(item, pad)).join(", ")}]`;
  }
}

/** Renders a top-level node as block YAML with the layout's choices. */
function render(root: Node, layout: Layout): string {
  const lines: string[] = [];
  let n = 0;
  const comment = () => {
    n++;
    return layout.comments && (layout.noise[n % 8] ?? 0) < 3 ? ` # c${n}` : "";
  };
  const extraLine = (indent: number) => {
    const roll = layout.noise[(n + 3) % 8] ?? 0;
    const shift = (layout.noise[(n + 5) % 8] ?? 0) % 4;
    if (layout.comments && roll === 0) lines.push(`${" ".repeat(indent + shift)}# note`);
    if (roll === 1) lines.push("");
  };
  const isBlock = (node: Node) => (node.t === "map" || node.t === "list") && !node.flow;
  // `head` is what stands before the value on its line: `key:` or `-`.
  const value = (head: string, node: Node, indent: number) => {
    const gap = " ".repeat(layout.gap);
    if (!isBlock(node)) {
      const inline = flow(node, layout.flowPad ? " " : "");
      lines.push(
        `${head}${inline ? `${gap}${inline}` : ""}${" ".repeat(layout.trail)}${comment()}`,
      );
      return;
    }
    if (node.t === "map" && head.endsWith("-") && layout.compact) {
      const inner = head.length + layout.gap;
      node.pairs.forEach(([k, v], i) =>
        value(`${i === 0 ? `${head}${gap}` : " ".repeat(inner)}${scalar(k)}:`, v, inner),
      );
      return;
    }
    lines.push(`${head}${comment()}`);
    extraLine(indent);
    const flush = node.t === "list" && head.endsWith(":") && layout.flushLists;
    block(node, flush ? indent : indent + layout.width);
  };
  const block = (node: Node, indent: number) => {
    const pad = " ".repeat(indent);
    if (node.t === "map") {
      for (const [k, v] of node.pairs) {
        value(`${pad}${scalar(k)}:`, v, indent);
        extraLine(indent);
      }
    } else if (node.t === "list") {
      for (const item of node.items) {
        value(`${pad}-`, item, indent);
        extraLine(indent);
      }
    }
  };
  if (isBlock(root)) block(root, 0);
  else lines.push(flow(root));
  const text = `${layout.docStart ? "---\n" : ""}${lines.join("\n")}\n`;
  return `${layout.bom ? "\ufeff" : ""}${layout.crlf ? text.replaceAll("\n", "\r\n") : text}`;
}

/** Small edits that turn a valid text into a near miss: a character in, a character out, a line moved or re-indented. */
const editArb = fc.oneof(
  fc.record({
    op: fc.constant("insert" as const),
    at: fc.nat(),
    text: fc.constantFrom(..."\t :-#\"'{}[],&*!|>?\n\r\ufeff%@\\~".split(""), "  ", "---\n", "..."),
  }),
  fc.record({ op: fc.constant("delete" as const), at: fc.nat(), text: fc.constant("") }),
  fc.record({ op: fc.constant("duplicate" as const), at: fc.nat(), text: fc.constant("") }),
  fc.record({ op: fc.constant("indent" as const), at: fc.nat(), text: fc.constantFrom(" ", "") }),
);
type Edit = typeof editArb extends fc.Arbitrary<infer E> ? E : never;

function edit(text: string, { op, at, text: piece }: Edit): string {
  const i = at % (text.length + 1);
  if (op === "insert") return text.slice(0, i) + piece + text.slice(i);
  if (op === "delete") return text.slice(0, i) + text.slice(i + 1);
  const lines = text.split("\n");
  const line = at % lines.length;
  if (op === "duplicate") lines.splice(line, 0, lines[line] ?? "");
  else lines[line] = piece ? ` ${lines[line]}` : (lines[line] ?? "").replace(/^ /, "");
  return lines.join("\n");
}

describe("the fast manifest reader agrees with the yaml library", () => {
  it("on generated manifest-shaped texts: the same value and places, or it declines", () => {
    let read = 0;
    fc.assert(
      fc.property(rootArb, layoutArb, (root, layout) => {
        if (expectSameAsFull(render(root, layout))) read++;
      }),
      { numRuns: 400 },
    );
    // The comparison means something only if the fast reader takes a fair share itself.
    expect(read).toBeGreaterThan(60);
  });

  it("on near misses of them: it never accepts what the library refuses or reads otherwise", () => {
    let read = 0;
    fc.assert(
      fc.property(
        rootArb,
        layoutArb,
        fc.array(editArb, { minLength: 1, maxLength: 3 }),
        (root, layout, edits) => {
          if (expectSameAsFull(edits.reduce(edit, render(root, layout)))) read++;
        },
      ),
      { numRuns: 600 },
    );
    expect(read).toBeGreaterThan(30);
  });

  it("on one-line JSON and flow texts, with and without the linkman prefix", () => {
    fc.assert(
      fc.property(nodeArb, fc.boolean(), (root, prefixed) => {
        const text = `${prefixed ? "name: pkg\nlinkman:\n  " : ""}${flow(root)}\n`;
        expectSameAsFull(text, prefixed ? ["linkman"] : []);
      }),
      { numRuns: 200 },
    );
  });
});

/** Names and values that the common subset reads: no numbers but integers, no indicators. */
const safeWord = fc
  .stringMatching(/^[a-z~][a-z0-9_./~*-]{0,10}$/)
  .filter((w) => !/^(?:~|null|true|false)$/.test(w));
const safeScalarArb = fc.record({ text: safeWord, style: styleArb });
const { safe: safeNodeArb } = fc.letrec<{ safe: Node }>((tie) => ({
  safe: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    safeScalarArb.map((s): Node => ({ t: "scalar", ...s })),
    fc.constant<Node>({ t: "empty" }),
    fc.record({
      t: fc.constant("map" as const),
      flow: fc.boolean(),
      pairs: fc.uniqueArray(fc.tuple(safeScalarArb, tie("safe")), {
        minLength: 1,
        maxLength: 4,
        selector: ([k]) => k.text,
      }),
    }),
    fc.record({
      t: fc.constant("list" as const),
      flow: fc.boolean(),
      items: fc.array(tie("safe"), { minLength: 1, maxLength: 4 }),
    }),
  ),
}));

describe("the fast manifest reader takes the common subset", () => {
  it("reads every block map of plain words, quoted words, flow items and comments itself", () => {
    fc.assert(
      fc.property(safeNodeArb, layoutArb, (root, layout) => {
        fc.pre(root.t === "map" && !root.flow);
        // A flow collection holding an empty value (`{ a: }`, `[ , ]`) is left to the library.
        const text = render(root, layout);
        fc.pre(!/[{[,:] *[,\]}]/.test(text.replace(/"[^"]*"|'[^']*'/g, "q")));
        expect(readFastYaml(FILE, text, []), text).toBeDefined();
        expect(parseYamlSource(FILE, text, []).ok).toBe(true);
        expectSameAsFull(text);
      }),
      { numRuns: 300 },
    );
  });
});
