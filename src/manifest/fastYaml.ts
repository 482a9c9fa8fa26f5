import { locator } from "./lines.js";
import type { KeyPath, Located, SourceDoc } from "./source.js";

/*
 * A reader for the YAML that manifests are written in: block maps and lists by indentation,
 * plain and quoted one-line scalars, one-line flow collections, comments. It builds the plain
 * value and, instead of a node tree, the offsets of each collection's parts, from which
 * `placeOf` answers exactly as the yaml library's ranges would. Anything it is not sure of
 * (anchors, tags, block scalars, multi-line scalars or flows, tabs, duplicate keys, keys the
 * full reader refuses, numbers other than decimal integers, …) makes it decline, and the
 * caller reads the file with the yaml library, which gives every message and error position.
 */

/** Where one collection's parts are: what `placeOf` walks instead of a node tree. */
interface Spans {
  start: number;
  /** Where a one-line flow collection ends; -1 for a block one, which the yaml library ends past its first line. */
  end: number;
  /** A map's keys in order; undefined for a list. */
  keys: string[] | undefined;
  /** Four offsets per child: key start and end (-1 for a list item), value start and end. */
  at: number[];
  /** The spans of the children that are collections, by child index. */
  kids: (Spans | undefined)[];
  /** A large map's keys by name, built on its first lookup out of order. */
  index?: Map<string, number>;
  /** The child after the one last looked up: callers mostly ask for a map's keys in order. */
  next?: number;
}

/**
 * The keys of each large map the reader built, in the order `Object.keys` lists them: the checks
 * that follow the read then need not list a 10,000-key map again (V8 sorts a large map's keys on
 * each listing). Only maps without a key that may be an array index, which objects list first.
 */
const keysOfLargeMaps = new WeakMap<object, readonly string[]>();

/** A map holds this many keys before its keys are kept for `keysAsRead`. */
const LARGE_MAP = 64;

/**
 * The own keys of a map this reader built, in `Object.keys` order, for a value straight from
 * `readFastYaml` (nothing has changed it); undefined for a small map and any other object.
 * All of them are enumerable strings, none is `__proto__`, and the map's prototype is Object's.
 */
export function keysAsRead(map: object): readonly string[] | undefined {
  return keysOfLargeMaps.get(map);
}

/** Thrown to give up; `readFastYaml` turns it into "not read here". */
const DECLINE = new Error("outside the fast reader's subset");

/** Characters the fast reader leaves to the yaml library: controls (a tab, a CR among them), a BOM, Unicode line breaks. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const FORBIDDEN = /[\u0000-\u0009\u000b-\u001f\u007f\u0085\u2028\u2029\ufeff]/;

/** Plain scalars the core schema reads as numbers other than decimal integers (yaml's float, hex, octal, .inf, .nan). */
const OTHER_NUMBER =
  /^(?:0o[0-7]+|0x[0-9a-fA-F]+|[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN|[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?)$/;

const DECIMAL = /^[-+]?[0-9]+$/;

/** Nesting deeper than this is declined: no manifest comes close, and recursion stays bounded. */
const MAX_DEPTH = 64;

/** Longest plain or quoted key read here: the yaml library refuses implicit keys over 1024 characters. */
const MAX_KEY = 1000;

const NL = 10;
const SP = 32;
const HASH = 35;
const COLON = 58;
const DASH = 45;
const QUOTE = 34;
const APOS = 39;
const BACKSLASH = 92;

/** Characters that cannot start a plain scalar here (YAML's indicators; `-`, `?` and `:` too, to stay simple). */
const NOT_PLAIN_START = new Set([..."-?:,[]{}#&*!|>'\"%@`"].map((c) => c.charCodeAt(0)));

/** The double-quoted escapes read here; any other backslash declines. */
const ESCAPES: Record<string, string> = { "\\": "\\", '"': '"', "/": "/", n: "\n", t: "\t" };

/**
 * Reads a manifest in the common subset of YAML, or returns undefined to leave it to the yaml
 * library. What it returns equals the full reader's answer: the same value, the same places.
 */
export function readFastYaml(file: string, source: string, prefix: KeyPath): SourceDoc | undefined {
  // Windows line ends are read as "\n": lines and columns stay the same, and the yaml reader's
  // lines (split at "\r\n") hold no "\r" either. A lone "\r" stays, and declines.
  const text = source.includes("\r\n") ? source.replaceAll("\r\n", "\n") : source;
  let root: { value: unknown; spans: Spans };
  try {
    root = new Reader(text).document();
  } catch {
    // Anything unexpected, not only DECLINE: the full reader then decides, with its messages.
    return undefined;
  }
  let value = root.value;
  for (const key of prefix) value = (value as Record<string, unknown> | undefined)?.[key];
  const locate = locator(file, text);

  const placeOf = (path: KeyPath, options: { key?: boolean } = {}): Located => {
    const full = prefix.length ? [...prefix, ...path] : path;
    let spans: Spans | undefined = root.spans;
    let start = spans.start;
    let end = spans.end;
    for (let i = 0; i < full.length && spans; i++) {
      const child = childIndex(spans, full[i] as string | number);
      if (child < 0) break;
      const at = child * 4;
      if (i === full.length - 1 && options.key && spans.keys) {
        start = spans.at[at] as number;
        end = spans.at[at + 1] as number;
        break;
      }
      start = spans.at[at + 2] as number;
      end = spans.at[at + 3] as number;
      spans = spans.kids[child];
    }
    return locate(start, end);
  };

  return { file, prefix, value, placeOf, light: true };
}

/** The index of a map's key or a list's item, as the yaml reader's `placeOf` finds it; -1 if none. */
function childIndex(spans: Spans, key: string | number): number {
  if (!spans.keys) {
    return typeof key === "number" && Number.isInteger(key) && key >= 0 && key < spans.at.length / 4
      ? key
      : -1;
  }
  const name = String(key);
  const { keys } = spans;
  if (keys.length <= 8) return keys.indexOf(name);
  let i = spans.next ?? 0;
  if (keys[i] !== name) {
    if (!spans.index) {
      spans.index = new Map();
      for (let k = 0; k < keys.length; k++) spans.index.set(keys[k] as string, k);
    }
    i = spans.index.get(name) ?? -1;
  }
  spans.next = i + 1;
  return i;
}

/** The value of a plain scalar in YAML 1.2's core schema, or DECLINE for numbers other than decimal integers. */
function plainValue(s: string): unknown {
  if (s.length <= 5) {
    switch (s) {
      case "~":
      case "null":
      case "Null":
      case "NULL":
        return null;
      case "true":
      case "True":
      case "TRUE":
        return true;
      case "false":
      case "False":
      case "FALSE":
        return false;
    }
  }
  const c = s.charCodeAt(0);
  if ((c >= 48 && c <= 57) || c === 43 || c === DASH || c === 46) {
    if (DECIMAL.test(s)) return parseInt(s, 10);
    if (OTHER_NUMBER.test(s)) throw DECLINE;
  }
  return s;
}

/** A cursor over the text; each block reader leaves it at the next content line. */
class Reader {
  private readonly text: string;
  private readonly len: number;
  /** The first character of the next content line, or -1 at the end. */
  private pos = 0;
  /** That line's indentation. */
  private indent = 0;
  private depth = 0;
  /**
   * Where the scalar `quoted`, `plain` or `flowScalar` just read ends, and for `plain` what
   * stopped it: fields, not a returned pair, since a pair and its destructuring cost an
   * array and an iterator per scalar in code that runs once, unoptimised.
   */
  private end = 0;
  private stop = 0;

  constructor(text: string) {
    this.text = text;
    this.len = text.length;
  }

  document(): { value: unknown; spans: Spans } {
    // A byte order mark is read only as the file's first character, as the yaml library does.
    const bom = this.text.charCodeAt(0) === 0xfeff ? 1 : 0;
    if (FORBIDDEN.test(bom ? this.text.slice(1) : this.text)) throw DECLINE;
    this.toContent(this.text.startsWith("---\n", bom) ? bom + 4 : bom);
    if (this.pos < 0) throw DECLINE;
    // On the mark's own line the yaml library reads a list or an indented map differently.
    const firstEnd = this.text.indexOf("\n");
    const onMarkLine = bom === 1 && (firstEnd < 0 || this.pos < firstEnd);
    if (onMarkLine && (this.pos !== 1 || this.isItem(1))) throw DECLINE;
    const node = this.block(this.indent);
    if (this.pos >= 0) throw DECLINE;
    return node;
  }

  /** Moves to the first line at or after `from` that holds more than spaces and a comment. */
  private toContent(from: number): void {
    const { text, len } = this;
    let p = from;
    while (p < len) {
      let q = p;
      while (text.charCodeAt(q) === SP) q++;
      const c = text.charCodeAt(q);
      if (q < len && c !== NL && c !== HASH) {
        this.pos = q;
        this.indent = q - p;
        return;
      }
      const next = text.indexOf("\n", q);
      if (next < 0) break;
      p = next + 1;
    }
    this.pos = -1;
  }

  /** Moves past the rest of the current line, which may hold only spaces and a comment. */
  private endLine(p: number): void {
    const { text, len } = this;
    const from = p;
    while (text.charCodeAt(p) === SP) p++;
    if (p >= len) {
      this.pos = -1;
      return;
    }
    const c = text.charCodeAt(p);
    if (c === HASH && p > from) {
      const next = text.indexOf("\n", p);
      if (next < 0) {
        this.pos = -1;
        return;
      }
      p = next;
    } else if (c !== NL) throw DECLINE;
    this.toContent(p + 1);
  }

  private isItem(p: number): boolean {
    const next = this.text.charCodeAt(p + 1);
    return this.text.charCodeAt(p) === DASH && (next === SP || next === NL || p + 1 >= this.len);
  }

  private enter(): void {
    if (++this.depth > MAX_DEPTH) throw DECLINE;
  }

  /** A block map or list whose first line is the current one, at `indent`. */
  private block(indent: number): { value: unknown; spans: Spans } {
    return this.isItem(this.pos) ? this.blockList(indent) : this.blockMap(indent);
  }

  private blockList(indent: number): { value: unknown; spans: Spans } {
    this.enter();
    const items: unknown[] = [];
    const spans: Spans = { start: this.pos, end: -1, keys: undefined, at: [], kids: [] };
    while (this.pos >= 0 && this.indent === indent && this.isItem(this.pos)) {
      this.value(indent, false, this.pos + 1, items, spans);
    }
    if (this.pos >= 0 && this.indent > indent) throw DECLINE;
    this.depth--;
    return { value: items, spans };
  }

  private blockMap(indent: number): { value: unknown; spans: Spans } {
    this.enter();
    const map: Record<string, unknown> = {};
    const keys: string[] = [];
    const spans: Spans = { start: this.pos, end: -1, keys, at: [], kids: [] };
    let mayBeIndex = false;
    while (this.pos >= 0 && this.indent === indent) {
      const start = this.pos;
      if (indent === 0 && this.text.startsWith("...", start)) throw DECLINE;
      let key: string;
      let end: number;
      const c = this.text.charCodeAt(start);
      if (c === QUOTE || c === APOS) {
        key = this.quoted(start);
        end = this.end;
        if (this.text.charCodeAt(end) !== COLON) throw DECLINE;
      } else {
        end = this.plain(start);
        if (this.stop !== COLON) throw DECLINE;
        key = this.text.slice(start, end);
        // A key must read as text: `~`, `true` or `1` as a key is the full reader's to judge.
        if (typeof plainValue(key) !== "string") throw DECLINE;
      }
      if (end - start > MAX_KEY || key === "__proto__" || key === "<<") throw DECLINE;
      if (Object.prototype.hasOwnProperty.call(map, key)) throw DECLINE;
      const next = this.text.charCodeAt(end + 1);
      if (!(next === SP || next === NL || end + 1 >= this.len)) throw DECLINE;
      if (!mayBeIndex) {
        const d = key.charCodeAt(0);
        mayBeIndex = d >= 48 && d <= 57;
      }
      keys.push(key);
      spans.at.push(start, end);
      map[key] = this.value(indent, true, end + 1, undefined, spans);
    }
    if (this.pos >= 0 && this.indent > indent) throw DECLINE;
    this.depth--;
    if (keys.length >= LARGE_MAP && !mayBeIndex) keysOfLargeMaps.set(map, keys);
    return { value: map, spans };
  }

  /**
   * The value after a map's `:` or a list's `-` at `from`, recorded in `spans` (and pushed to
   * `items` for a list); leaves the cursor at the next content line.
   */
  private value(
    indent: number,
    inMap: boolean,
    from: number,
    items: unknown[] | undefined,
    spans: Spans,
  ): unknown {
    const { text } = this;
    if (!inMap) spans.at.push(-1, -1);
    let p = from;
    while (text.charCodeAt(p) === SP) p++;
    const c = text.charCodeAt(p);
    let value: unknown;
    let kid: Spans | undefined;
    let start = p;
    let end: number;
    if (p >= this.len || c === NL || c === HASH) {
      // Nothing on this line: the value is the block below, or empty (null) right here.
      this.endLine(from);
      const below =
        this.pos >= 0 &&
        (this.indent > indent || (inMap && this.indent === indent && this.isItem(this.pos)));
      if (below) {
        start = this.pos;
        ({ value, spans: kid } = this.block(this.indent));
        end = -1;
      } else {
        value = null;
        end = p;
      }
    } else if (c === DASH && this.isItem(p)) {
      throw DECLINE;
    } else if (c === 123 || c === 91) {
      ({ value, spans: kid } = this.flow(p));
      end = kid.end;
      this.endLine(end);
    } else if (c === QUOTE || c === APOS) {
      value = this.quoted(p);
      end = this.end;
      if (!inMap && text.charCodeAt(end) === COLON) {
        ({ value, spans: kid } = this.compactMap(p));
        end = -1;
      } else this.endLine(end);
    } else {
      const plainEnd = this.plain(p);
      if (this.stop === COLON) {
        if (inMap) throw DECLINE;
        ({ value, spans: kid } = this.compactMap(p));
        end = -1;
      } else {
        end = plainEnd;
        value = plainValue(text.slice(p, end));
        this.endLine(end);
      }
    }
    spans.at.push(start, end);
    if (kid) spans.kids[spans.at.length / 4 - 1] = kid;
    items?.push(value);
    return value;
  }

  /** A map that begins on a list item's line (`- link: …`), indented as its first key. */
  private compactMap(p: number): { value: unknown; spans: Spans } {
    const lineStart = this.text.lastIndexOf("\n", p) + 1;
    this.pos = p;
    this.indent = p - lineStart;
    return this.blockMap(this.indent);
  }

  /**
   * The end of a plain scalar in block context starting at `p`; what stopped it goes to
   * `stop`: a newline or the end (NL), a comment (HASH), or a `: ` that makes it a key (COLON).
   */
  private plain(p: number): number {
    const { text, len } = this;
    if (NOT_PLAIN_START.has(text.charCodeAt(p))) throw DECLINE;
    let end = p;
    for (let i = p; i < len; i++) {
      const c = text.charCodeAt(i);
      if (c === NL) return this.stopped(end, NL);
      if (c === SP) {
        if (text.charCodeAt(i + 1) === HASH) return this.stopped(end, HASH);
        continue;
      }
      if (c === COLON) {
        const next = text.charCodeAt(i + 1);
        if (next === SP || next === NL || i + 1 >= len) {
          // `key  :` (spaces before the colon) is left to the yaml library.
          if (i !== end) throw DECLINE;
          return this.stopped(end, COLON);
        }
      }
      end = i + 1;
    }
    return this.stopped(end, NL);
  }

  private stopped(end: number, stop: number): number {
    this.stop = stop;
    return end;
  }

  /** A one-line quoted scalar at `p`: its value; the offset after its closing quote goes to `end`. */
  private quoted(p: number): string {
    const { text, len } = this;
    const quote = text.charCodeAt(p);
    let out = "";
    let from = p + 1;
    for (let i = p + 1; i < len; i++) {
      const c = text.charCodeAt(i);
      if (c === NL) break;
      if (c === quote) {
        if (quote === APOS && text.charCodeAt(i + 1) === APOS) {
          out += text.slice(from, i + 1);
          from = i + 2;
          i++;
          continue;
        }
        this.end = i + 1;
        return out + text.slice(from, i);
      }
      if (c === BACKSLASH && quote === QUOTE) {
        const escaped = ESCAPES[text.charAt(i + 1)];
        if (escaped === undefined) break;
        out += text.slice(from, i) + escaped;
        from = i + 2;
        i++;
      }
    }
    throw DECLINE;
  }

  /** A flow map or list that opens at `p` and closes on the same line. */
  private flow(p: number): { value: unknown; spans: Spans } {
    this.enter();
    const { text } = this;
    const isMap = text.charCodeAt(p) === 123;
    const close = isMap ? 125 : 93;
    const keys: string[] | undefined = isMap ? [] : undefined;
    const map: Record<string, unknown> = {};
    const list: unknown[] = [];
    const spans: Spans = { start: p, end: -1, keys, at: [], kids: [] };
    let i = this.skipSpaces(p + 1);
    if (text.charCodeAt(i) === close) i++;
    else {
      for (;;) {
        if (keys) {
          const start = i;
          const key = this.flowScalar(i, true);
          i = this.end;
          if (typeof key !== "string") throw DECLINE;
          if (i - start > MAX_KEY || key === "__proto__" || key === "<<") throw DECLINE;
          if (Object.prototype.hasOwnProperty.call(map, key)) throw DECLINE;
          if (text.charCodeAt(i) !== COLON || text.charCodeAt(i + 1) !== SP) throw DECLINE;
          keys.push(key);
          spans.at.push(start, i);
          i = this.skipSpaces(i + 1);
        } else spans.at.push(-1, -1);
        const start = i;
        const c = text.charCodeAt(i);
        let value: unknown;
        let kid: Spans | undefined;
        if (c === 123 || c === 91) {
          ({ value, spans: kid } = this.flow(i));
          i = kid.end;
        } else {
          value = this.flowScalar(i, false);
          i = this.end;
        }
        spans.at.push(start, i);
        if (kid) spans.kids[spans.at.length / 4 - 1] = kid;
        if (keys) map[keys[keys.length - 1] as string] = value;
        else list.push(value);
        i = this.skipSpaces(i);
        const after = text.charCodeAt(i);
        if (after === close) {
          i++;
          break;
        }
        if (after !== 44) throw DECLINE;
        i = this.skipSpaces(i + 1);
        if (text.charCodeAt(i) === close) throw DECLINE;
      }
    }
    spans.end = i;
    this.depth--;
    return { value: keys ? map : list, spans };
  }

  private skipSpaces(p: number): number {
    while (this.text.charCodeAt(p) === SP) p++;
    return p;
  }

  /** A quoted or plain scalar inside a flow collection: its value; where it ends goes to `end`. */
  private flowScalar(p: number, isKey: boolean): unknown {
    const { text, len } = this;
    const c = text.charCodeAt(p);
    if (c === QUOTE || c === APOS) return this.quoted(p);
    if (NOT_PLAIN_START.has(c) || p >= len || c === NL || c === SP) throw DECLINE;
    let end = p;
    for (let i = p; i < len; i++) {
      const d = text.charCodeAt(i);
      if (d === 44 || d === 93 || d === 125 || d === NL) break;
      if (d === COLON) {
        if (isKey && text.charCodeAt(i + 1) === SP && i === end) break;
        throw DECLINE;
      }
      if (d === 91 || d === 123) throw DECLINE;
      if (d === SP) {
        if (text.charCodeAt(i + 1) === HASH) throw DECLINE;
        continue;
      }
      end = i + 1;
    }
    const s = text.slice(p, end);
    const value = plainValue(s);
    // A key must read as text, as in a block map.
    if (isKey && typeof value !== "string") throw DECLINE;
    this.end = end;
    return isKey ? s : value;
  }
}
