import { describe, expect, it } from "vitest";
import { expectSameAsFull } from "./helpers/fastYaml.js";

/** Scalars that trip readers: indicators, comments, numbers and nulls, escapes, flows, markers. */
const SCALARS = [
  "a",
  "a b",
  "a #b",
  "a#b",
  "a: b",
  "a:b",
  "a:",
  "-a",
  "- a",
  "?a",
  "? a",
  "!a",
  "%a",
  "@a",
  "`a",
  "a`",
  "a  ",
  "true",
  "True",
  "TRUE",
  "tRUE",
  "on",
  "yes",
  "~",
  "null",
  "NULL",
  "nUll",
  "0x1",
  "1e3",
  ".5",
  "+1",
  "-0",
  "0o7",
  "1_000",
  "007",
  "+.inf",
  "-.nan",
  ".NaN",
  "1.",
  "1.e3",
  "12345678901234567890",
  "0b1",
  "1:2",
  "1:20",
  "'a'",
  "'a''b'",
  "''",
  "'a'#c",
  "'a' #c",
  '"a"',
  '"\\x41"',
  '"\\u0041"',
  '"\\U00000041"',
  '"\\0"',
  '"\\N"',
  '"\\/"',
  '"a\\tb"',
  '"a\\\\"',
  '"a"#c',
  '"a" # c',
  "[a, b]",
  "[a,b]",
  "[ a , b ]",
  "['a,b', c]",
  "[[a], [b]]",
  "{a: b}",
  "{a: [b, c]}",
  "{'a': b}",
  '{"a": b}',
  "{a: b, 'a': c}",
  "[a]#c",
  "[a] #c",
  "[]",
  "{}",
  "[ ]",
  "{ }",
  "[a b]",
  "[a#b]",
  "['']",
  '[""]',
  "a\u00a0b",
  "a\u0080b",
  "a\ud800b",
  "a\uffffb",
  "a\u200bb",
  "a\u00adb",
  "...",
  "---",
  "--- # c",
  "---x",
  "a ...",
  "<<",
  "*a",
  "&a b",
  "a\\b",
  "é",
  "a  b",
  "a # b # c",
  "[a]b",
  "{a: b}c",
  '"a"b',
  "'a'b",
  "a: b: c",
  "[a: b]",
  "{a}",
  "[-1]",
  "[+1]",
  "[.5]",
  "[~]",
  "[null, true]",
  '"a\\"b"',
  "'a\\'",
  '""',
  '"a\\ b"',
  '"a\\\nb"',
];
const KEYS = [
  "a",
  '"a"',
  "'a'",
  "a b",
  "a#b",
  "1",
  '"1"',
  "true",
  '"true"',
  "yes",
  "on",
  "~",
  '"~"',
  "null",
  "~/x",
  '"~/x"',
  "<<",
  '"<<"',
  "constructor",
  "toString",
  "hasOwnProperty",
  "a.b",
  "${X}/y",
  "x?",
  "x*",
  "é",
  "-a",
  "'a''b'",
  '"a\\tb"',
  '""',
  "''",
  "a\u00a0",
];

/** Each scalar and key in the places a manifest puts them, and odd layouts. */
function* docs(): Generator<string> {
  for (const v of SCALARS) {
    yield `k: ${v}\n`;
    yield `k: ${v}`;
    yield `- ${v}\n`;
    yield `- ${v}\n- x\n`;
    yield `k:\n  - ${v}\n`;
    yield `k:\n- ${v}\nz: 1\n`;
    yield `- k: ${v}\n  z: 1\n`;
    yield `links:\n  "~/f": ${v}\n  ~/g: pkg/g\n`;
    yield `k: [${v}]\n`;
    yield `k: {z: ${v}}\n`;
    yield `${v}\n`;
    yield `---\nk: ${v}\n`;
    yield `\ufeffk: ${v}\n`;
    yield `k: ${v}\r\nz: 1\r\n`;
    yield `k: ${v}\rz: 1\n`;
    yield `k: ${v}\n...\n`;
    yield `k: ${v}   \n`;
    yield `k:   ${v}   # c\n`;
  }
  for (const k of KEYS) {
    yield `${k}: v\n`;
    yield `${k}: v\na: w\n`;
    yield `x:\n  ${k}: v\n  a: w\n`;
    yield `{${k}: v}\n`;
    yield `k: {${k}: v, a: w}\n`;
    yield `- ${k}: v\n  a: w\n`;
    yield `${k}:\n`;
    yield `${k}:    \n`;
    yield `${k}:  # c\nz: 1\n`;
    yield `${k}:\n  # c\nz: 1\n`;
  }
  const shapes = [
    "a:\n  b: 1\n c: 2\n",
    "a:\n    b: 1\n  c: 2\n",
    "- a\n  b\n",
    "a: b\n  c\n",
    "a:\n- b\n- c\nd: e\n",
    "- a: 1\n  - b\n",
    "- a:\n  - b\n  c: 1\n",
    "-   a: 1\n    b: 2\n",
    "- a: 1\n   b: 2\n",
    "-\n  a: b\n",
    "- \n- a\n",
    "a:\n-\n- b\n",
    "a: 1\n---\nb: 2\n",
    "a: 1\n...\n",
    "a: 1\n... # c\n",
    "--- # c\na: 1\n",
    "---\n- a\n",
    "---\n---\na: 1\n",
    "a: b\n#c\n  # d\n",
    "a: \n  b\n",
    "a:\n\n  b: 1\n",
    "\n\n\na: 1\n\n",
    "",
    "\n",
    "# only\n",
    "---\n",
    "a: 1\n\u2028b: 2\n",
    "a: 1\n\u0085b: 2\n",
    "a: 1\nb: 2\ufeff\n",
    "\ufeff---\na: 1\n",
    "\ufeff- a\n",
    "\ufeff  a: 1\n",
    "\ufeff# c\na: 1\n",
    "\ufeff\na: 1\n",
    "a: 1 # c\n# d\n  # e\nb: 2\n",
    "a:\n  - b\n  -   c\n",
    "a:\n  -\n    b: 1\n",
    "a: [b,\n  c]\n",
    "a: 'b\n  c'\n",
    'a: "b\n  c"\n',
    "? a\n: b\n",
    "a: &x 1\nb: *x\n",
    "a: !!str 1\n",
    "%YAML 1.2\n---\na: 1\n",
    "a:    \n  b: 1\n",
    "a:\n  b: 1\n\n\n  c: 2\n",
    "a:\n   b: 1\n   c: 2\nd:\n e: 1\n",
    "a: -\n",
    "a: - b\n",
    "- -\n",
    "- - a\n",
    "a: |\n  x\n",
    "a: >\n  x\n",
    "a: b\n\tc: d\n",
  ];
  yield* shapes;
  yield "k: " + "x".repeat(100000) + "\n";
  yield "x".repeat(1001) + ": 1\n";
  yield "x".repeat(1000) + ": 1\n";
  yield '"' + "x".repeat(1023) + '": 1\n';
  let deep = "";
  for (let i = 0; i < 63; i++) deep += " ".repeat(i) + "k:\n";
  yield deep + " ".repeat(63) + "v: 1\n";
  yield "k: " + "[".repeat(63) + "]".repeat(63) + "\n";
}

describe("the fast reader against the yaml library, by hand-picked texts", () => {
  it("reads each text the fast reader accepts exactly as the yaml library does: same values, same places", () => {
    let accepted = 0;
    for (const text of docs()) if (expectSameAsFull(text)) accepted++;
    // The list must reach the fast reader, not only its refusals.
    expect(accepted).toBeGreaterThan(1000);
  });
});
