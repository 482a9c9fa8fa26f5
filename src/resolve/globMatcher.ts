/**
 * Glob patterns (picomatch syntax) compiled into a Thompson automaton and run without
 * backtracking: every name is read once, left to right, keeping the set of states the
 * pattern can be in. picomatch compiles extglobs and runs of `*` into backtracking regular
 * expressions that take hours on one long name (`+(@(a|aa))`, `*a*a*a*a*a*a*a*a*a*a`);
 * here a name of n characters costs at most n × MAX_GLOB_STATES steps, whatever the pattern.
 *
 * Syntax: `*`, `?`, `**` as a whole segment (any number of segments), `[…]` (ranges, `!` or
 * `^` to negate, `[:alpha:]` classes), `{a,b}`, `{1..9}`, `{a..z}`, the extglobs `@(…)`,
 * `?(…)`, `*(…)`, `+(…)`, and `\` to escape. `!(…)` is refused: its complement has no small
 * automaton, and `exclude` says the same thing.
 */

/** A pattern's automaton may hold at most this many states (a few per pattern character). */
export const MAX_GLOB_STATES = 4096;

/** Patterns are at most this long, so parsing them is cheap too. */
export const MAX_GLOB_LENGTH = 1024;

/** A pattern that cannot be matched in bounded time or is not supported. */
export class GlobSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "GlobSyntaxError";
  }
}

/**
 * Nodes of the automaton's deterministic form hold at most this many states in all; past
 * it, new steps are computed each time instead of remembered, so memory stays bounded.
 */
const MAX_CACHED_STATES = 1_000_000;

/** The states an automaton is in after reading some text: a node of its lazily built deterministic form. */
export interface GlobStates {
  readonly states: readonly number[];
  /** What these states accept: ANY, DIRECTORY, both ORed, or 0. */
  readonly accepts: number;
  readonly next: Map<string, GlobStates>;
}

/** Where a pattern compiled into a matcher ends: a match of anything, or of directories only. */
export const ANY = 1;
export const DIRECTORY = 2;

interface Fragment {
  start: number;
  end: number;
}

/** An automaton for one or more patterns; each pattern's end says what it matches (ANY, DIRECTORY). */
export class GlobMatcher {
  private readonly test: (((c: string) => boolean) | undefined)[] = [];
  private readonly next: number[] = [];
  private readonly empty: number[][] = [];
  private readonly accept: number[] = [];
  private readonly start: number;
  private seen = new Uint32Array(0);
  private generation = 0;
  private readonly nodes = new Map<string, GlobStates>();
  private cached = 0;
  /** The work done so far, in states visited: what bounds the time matching takes. */
  steps = 0;

  constructor(private readonly nocase: boolean) {
    this.start = this.state();
  }

  /** Adds a pattern; a match ends with `accepts` holding `kind`. Throws GlobSyntaxError. */
  add(pattern: string, kind: number): void {
    if (pattern.length > MAX_GLOB_LENGTH) {
      throw new GlobSyntaxError(
        `the pattern is too complex to match in bounded time (over ${MAX_GLOB_LENGTH} characters)`,
      );
    }
    // picomatch ignores a leading `./`.
    const p = (this.nocase ? pattern.toLowerCase() : pattern).replace(/^(\.\/)+/, "");
    const parser = new Parser(p, this, this.nocase);
    const body = parser.sequence("", true);
    if (parser.at < p.length) throw new GlobSyntaxError(`unexpected "${p[parser.at]}"`);
    this.edge(this.start, body.start);
    this.accept[body.end] = kind;
  }

  /** The states before reading anything. */
  initial(): GlobStates {
    return this.closure([this.start]);
  }

  /**
   * The states after reading `text` from `from`; none when no match can follow. Each step
   * is remembered, as in RE2's lazy DFA, so a character costs one lookup once it has been
   * seen in those states, and at most one pass over the automaton's states otherwise.
   */
  advance(from: GlobStates, text: string): GlobStates {
    let current = from;
    const t = this.nocase ? text.toLowerCase() : text;
    // Indexed by code point, as for...of reads it, but without an iterator result per
    // character (a walk of 10,000 names made ~2 MB of them).
    for (let i = 0; i < t.length; i++) {
      if (current.states.length === 0) break;
      let c = t[i]!;
      if (isPairAt(t, i)) {
        c = t.slice(i, i + 2);
        i++;
      }
      const known = current.next.get(c);
      if (known) {
        current = known;
        continue;
      }
      const moved: number[] = [];
      for (const s of current.states) if (this.test[s]?.(c)) moved.push(this.next[s]!);
      this.steps += current.states.length;
      const next = this.closure(moved);
      if (this.cached < MAX_CACHED_STATES) current.next.set(c, next);
      current = next;
    }
    return current;
  }

  /** A new state; consuming one character that passes `test`, or none when it has no test. */
  state(test?: (c: string) => boolean): number {
    if (this.test.length >= MAX_GLOB_STATES) {
      throw new GlobSyntaxError(
        `the pattern is too complex to match in bounded time (over ${MAX_GLOB_STATES} states)`,
      );
    }
    this.test.push(test);
    this.next.push(-1);
    this.empty.push([]);
    return this.test.length - 1;
  }

  /** An edge that reads nothing. */
  edge(from: number, to: number): void {
    this.empty[from]!.push(to);
  }

  /** One character passing `test`. */
  char(test: (c: string) => boolean): Fragment {
    const start = this.state(test);
    const end = this.state();
    this.next[start] = end;
    return { start, end };
  }

  private closure(states: readonly number[]): GlobStates {
    if (this.seen.length < this.test.length) this.seen = new Uint32Array(this.test.length);
    const mark = ++this.generation;
    // Only states that read a character or accept tell two sets apart.
    const kept: number[] = [];
    let accepts = 0;
    const stack = [...states];
    while (stack.length > 0) {
      const s = stack.pop()!;
      if (this.seen[s] === mark) continue;
      this.seen[s] = mark;
      this.steps++;
      if (this.test[s] || this.accept[s]) kept.push(s);
      accepts |= this.accept[s] ?? 0;
      for (const t of this.empty[s]!) if (this.seen[t] !== mark) stack.push(t);
    }
    kept.sort((x, y) => x - y);
    const key = kept.join(",");
    const known = this.nodes.get(key);
    if (known) return known;
    const node = { states: kept, accepts, next: new Map<string, GlobStates>() };
    if (this.cached < MAX_CACHED_STATES) {
      this.nodes.set(key, node);
      this.cached += kept.length + 1;
    }
    return node;
  }
}

/** Whether a surrogate pair (one code point, as for...of reads it) starts at `i`. */
function isPairAt(t: string, i: number): boolean {
  const high = t.charCodeAt(i);
  if (high < 0xd800 || high > 0xdbff) return false;
  const low = t.charCodeAt(i + 1);
  return low >= 0xdc00 && low <= 0xdfff;
}

const notSlash = (c: string) => c !== "/";
const anything = () => true;

const POSIX: Record<string, string> = {
  alnum: "a-zA-Z0-9",
  alpha: "a-zA-Z",
  ascii: "\\x00-\\x7F",
  blank: " \\t",
  cntrl: "\\x00-\\x1F\\x7F",
  digit: "0-9",
  graph: "\\x21-\\x7E",
  lower: "a-z",
  print: "\\x20-\\x7E",
  punct: "\\-!\"#$%&'()\\*+,.\\/:;<=>?@\\[\\\\\\]^_`{|}~",
  space: " \\t\\r\\n\\v\\f",
  upper: "A-Z",
  word: "A-Za-z0-9_",
  xdigit: "A-Fa-f0-9",
};

/** A recursive-descent parser that builds the automaton as it reads. */
class Parser {
  at = 0;

  constructor(
    private readonly p: string,
    private readonly m: GlobMatcher,
    private readonly nocase: boolean,
  ) {}

  /** Parses until one of `stops` (not consumed) or the end. `top`: outside any group, where `**` spans segments. */
  sequence(stops: string, top: boolean): Fragment {
    const { m, p } = this;
    const first = m.state();
    let end = first;
    const append = (f: Fragment) => {
      m.edge(end, f.start);
      end = f.end;
    };
    while (this.at < p.length && !stops.includes(p[this.at]!)) {
      const c = p[this.at]!;
      const segmentStart = this.at === 0 || p[this.at - 1] === "/";
      if (
        top &&
        segmentStart &&
        p.startsWith("**", this.at) &&
        /^(\/|$)/.test(p.slice(this.at + 2, this.at + 3))
      ) {
        this.at += 2;
        if (p[this.at] === "/") {
          // `**/`: any number of whole segments, none included.
          this.at++;
          const segment = this.star(m.char(notSlash));
          const slash = m.char((x) => x === "/");
          m.edge(segment.end, slash.start);
          append(this.repeat({ start: segment.start, end: slash.end }, 0));
        } else {
          // A trailing `**` matches anything below (`a/**` matches inside `a`, as in .gitignore).
          append(this.star(m.char(anything)));
        }
        continue;
      }
      if ("@?*+!".includes(c) && p[this.at + 1] === "(" && this.closing(this.at + 1, "(", ")")) {
        if (c === "!") {
          throw new GlobSyntaxError("`!(…)` is not supported; leave names out with `exclude`");
        }
        this.at += 2;
        const group = this.alternatives("|", ")");
        append(
          c === "@"
            ? group
            : c === "?"
              ? this.repeat(group, 0, 1)
              : c === "*"
                ? this.repeat(group, 0)
                : this.repeat(group, 1),
        );
        continue;
      }
      if (c === "*") {
        // A run of `*` is one `*`, up to a `*(` that starts an extglob.
        this.at++;
        while (p[this.at] === "*" && p[this.at + 1] !== "(") this.at++;
        append(this.star(m.char(notSlash)));
        continue;
      }
      if (c === "?") {
        this.at++;
        append(m.char(notSlash));
        continue;
      }
      if (c === "[") {
        const cls = this.bracket();
        if (cls) {
          append(m.char(cls));
          continue;
        }
      }
      if (c === "{") {
        const brace = this.brace();
        if (brace) {
          append(brace);
          continue;
        }
      }
      if (c === "\\" && this.at + 1 < p.length) this.at++;
      const literal = p[this.at++]!;
      append(m.char((x) => x === literal));
    }
    return { start: first, end };
  }

  /** `(a|b)` or `{a,b}` after its opening character: alternatives up to the closing one. */
  private alternatives(separator: string, close: string): Fragment {
    const { m } = this;
    const start = m.state();
    const end = m.state();
    for (;;) {
      const branch = this.sequence(separator + close, false);
      m.edge(start, branch.start);
      m.edge(branch.end, end);
      const c = this.p[this.at++];
      if (c === close) return { start, end };
      if (c === undefined) throw new GlobSyntaxError(`"${close}" is missing`);
    }
  }

  /** `f` repeated at least `min` (0 or 1) and at most `max` (1, or unbounded) times. */
  private repeat(f: Fragment, min: number, max = Infinity): Fragment {
    const { m } = this;
    const start = m.state();
    const end = m.state();
    m.edge(start, f.start);
    m.edge(f.end, end);
    if (min === 0) m.edge(start, end);
    if (max === Infinity) m.edge(f.end, f.start);
    return { start, end };
  }

  private star(f: Fragment): Fragment {
    return this.repeat(f, 0);
  }

  /** Whether the bracket at `from` closes, skipping escapes. */
  private closing(from: number, open: string, close: string): boolean {
    let depth = 0;
    for (let i = from; i < this.p.length; i++) {
      const c = this.p[i];
      if (c === "\\") i++;
      else if (c === open) depth++;
      else if (c === close && --depth === 0) return true;
    }
    return false;
  }

  /** `[…]` as a test of one character, or undefined (a literal `[`) when it does not close. */
  private bracket(): ((c: string) => boolean) | undefined {
    const { p } = this;
    let i = this.at + 1;
    let source = "";
    if (p[i] === "!" || p[i] === "^") {
      source = "^";
      i++;
    }
    const first = i;
    for (; i < p.length; i++) {
      const c = p[i]!;
      if (c === "]" && i > first) break;
      const posixEnd = c === "[" && p[i + 1] === ":" ? p.indexOf(":]", i + 2) : -1;
      const name = posixEnd > 0 ? p.slice(i + 2, posixEnd) : "";
      const posix = Object.hasOwn(POSIX, name) ? POSIX[name] : undefined;
      if (posix) {
        source += posix;
        i = posixEnd + 1;
      } else if (c === "\\" && i + 1 < p.length) {
        // An escaped character is itself, even `-` or `]`.
        const e = p[++i]!;
        source += "\\[]^-".includes(e) ? `\\${e}` : e;
      } else source += "\\[]^".includes(c) ? `\\${c}` : c;
    }
    if (i >= p.length) return undefined;
    this.at = i + 1;
    let re: RegExp;
    try {
      re = new RegExp(`^[${source}]$`, this.nocase ? "iu" : "u");
    } catch {
      throw new GlobSyntaxError(`invalid character class ${p.slice(first - 1, i + 1)}`);
    }
    // One character against one class: no backtracking is possible.
    return (c) => c !== "/" && re.test(c);
  }

  /** `{a,b}`, `{1..9}` or `{a..z}`, or undefined (a literal `{`) otherwise. */
  private brace(): Fragment | undefined {
    const { p, m } = this;
    if (!this.closing(this.at, "{", "}")) return undefined;
    const range = /^\{(-?\d+)\.\.(-?\d+)\}|^\{([a-zA-Z])\.\.([a-zA-Z])\}/.exec(
      p.slice(this.at, this.at + 48),
    );
    if (range) {
      this.at += range[0].length;
      const start = m.state();
      const end = m.state();
      const [from, to] = range[1]
        ? [Number(range[1]), Number(range[2])]
        : [range[3]!.charCodeAt(0), range[4]!.charCodeAt(0)];
      const step = from <= to ? 1 : -1;
      // Each value costs states, so a huge range ends in "too complex", not a hang.
      for (let v = from; v !== to + step; v += step) {
        const text = range[1] ? String(v) : String.fromCharCode(v);
        let f = m.state();
        const head = f;
        for (const ch of text) {
          const c = m.char((x) => x === ch);
          m.edge(f, c.start);
          f = c.end;
        }
        m.edge(start, head);
        m.edge(f, end);
      }
      return { start, end };
    }
    // Without a comma at its own level, a brace is literal text (as picomatch has it).
    let depth = 0;
    let comma = false;
    for (let i = this.at; i < p.length && !comma; i++) {
      const c = p[i];
      if (c === "\\") i++;
      else if (c === "{" || c === "(") depth++;
      else if (c === "}" || c === ")") {
        if (--depth === 0) break;
      } else if (c === "," && depth === 1) comma = true;
    }
    if (!comma) return undefined;
    this.at++;
    return this.alternatives(",", "}");
  }
}

/**
 * Whether one glob matches one text, in time bounded by their lengths (no backtracking): for
 * `when.host`. A pattern too large to match in bounded time throws GlobSyntaxError.
 */
export function globMatches(pattern: string, text: string, nocase: boolean): boolean {
  const matcher = new GlobMatcher(nocase);
  matcher.add(pattern, ANY);
  return (matcher.advance(matcher.initial(), text).accepts & ANY) !== 0;
}
