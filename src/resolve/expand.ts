/** Looks a variable up; `undefined` means unset. */
export type Lookup = (name: string) => string | undefined;

/** Why expansion failed, and which variable. */
export interface ExpandError {
  message: string;
  variable?: string;
}

export type Expanded = { ok: true; value: string } | { ok: false; error: ExpandError };

/** An expansion longer than this is an error: no path is that long, and `$A$A` chains double. */
export const MAX_EXPANSION = 65_536;

const NAME_START = /[A-Za-z_]/;
const NAME_PART = /[A-Za-z0-9_]/;

/**
 * Expands `$NAME`, `${NAME}` and `${NAME:-fallback}` (the fallback when NAME is unset or
 * empty; it may itself hold variables), and `$$` for a literal `$`. An unset variable
 * without a fallback is an error naming it; with `lenient`, it is left as written.
 */
export function expandVariables(text: string, lookup: Lookup, lenient = false): Expanded {
  let out = "";
  let i = 0;
  while (i < text.length) {
    if (out.length > MAX_EXPANSION) {
      return {
        ok: false,
        error: { message: `expands to more than ${MAX_EXPANSION.toLocaleString("en")} characters` },
      };
    }
    if (text.charCodeAt(i) !== 36) {
      // Up to the next `$` in one piece: a character at a time made a string per character.
      const dollar = text.indexOf("$", i);
      const end = dollar < 0 ? text.length : dollar;
      out += text.slice(i, end);
      i = end;
      continue;
    }
    const next = text[i + 1];
    if (next === "$") {
      out += "$";
      i += 2;
      continue;
    }
    if (next !== undefined && NAME_START.test(next)) {
      let end = i + 1;
      while (end < text.length && NAME_PART.test(text[end] as string)) end++;
      const name = text.slice(i + 1, end);
      const value = lookup(name);
      if (value === undefined && !lenient) return unset(name);
      out += value ?? text.slice(i, end);
      i = end;
      continue;
    }
    if (next === "{") {
      const close = matchingBrace(text, i + 1);
      if (close < 0) {
        return { ok: false, error: { message: `unclosed \${ at character ${i + 1}` } };
      }
      const inner = text.slice(i + 2, close);
      const expanded = expandBraced(inner, lookup, lenient);
      if (!expanded.ok) return expanded;
      out += expanded.value ?? text.slice(i, close + 1);
      i = close + 1;
      continue;
    }
    out += "$";
    i++;
  }
  if (out.length > MAX_EXPANSION) {
    return {
      ok: false,
      error: { message: `expands to more than ${MAX_EXPANSION.toLocaleString("en")} characters` },
    };
  }
  return { ok: true, value: out };
}

/** The inside of `${…}`: a name, optionally followed by `:-fallback`. */
function expandBraced(
  inner: string,
  lookup: Lookup,
  lenient: boolean,
): { ok: true; value: string | undefined } | { ok: false; error: ExpandError } {
  const match = /^([A-Za-z_][A-Za-z0-9_]*)(?::-([\s\S]*))?$/.exec(inner);
  if (!match) {
    return {
      ok: false,
      error: {
        message: `\${${inner}} is not a variable: write \${NAME} or \${NAME:-fallback}`,
      },
    };
  }
  const name = match[1] as string;
  const fallback = match[2];
  const value = lookup(name);
  if (fallback !== undefined && (value === undefined || value === "")) {
    return expandVariables(fallback, lookup, lenient);
  }
  if (value === undefined) return lenient ? { ok: true, value: undefined } : unset(name);
  return { ok: true, value };
}

function unset(name: string): Expanded {
  return {
    ok: false,
    error: {
      message: `variable ${name} is not set`,
      variable: name,
    },
  };
}

/** The index of the `}` that closes the `{` at `open`, counting nested `${…}`; -1 if none. */
function matchingBrace(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === "{") depth++;
    else if (text[i] === "}" && --depth === 0) return i;
  }
  return -1;
}

/**
 * Expands a leading `~` to the home directory (after variables, so `${X:-~/.config}`
 * works). `~user` is refused rather than read as a relative path.
 */
export function expandTilde(text: string, homedir: string): Expanded {
  if (!text.startsWith("~")) return { ok: true, value: text };
  const rest = text.slice(1);
  if (rest === "" || rest.startsWith("/") || rest.startsWith("\\")) {
    return { ok: true, value: homedir + rest };
  }
  return {
    ok: false,
    error: {
      message: `\`${text.split(/[/\\]/)[0]}\` (another user's home) is not supported`,
    },
  };
}

/** Variables, then `~`: the whole expansion of a link, target or base. */
export function expandPath(
  text: string,
  lookup: Lookup,
  homedir: string,
  lenient = false,
): Expanded {
  // Most links and targets name no variable: their text is used as it is.
  const vars = text.includes("$")
    ? expandVariables(text, lookup, lenient)
    : ({ ok: true, value: text } as const);
  if (!vars.ok) return vars;
  const tilde = expandTilde(vars.value, homedir);
  return tilde.ok || !lenient ? tilde : vars;
}
