/** Where something is in a manifest: an absolute file path and a 1-based line and column. */
export interface Place {
  file: string;
  line: number;
  column: number;
}

/** One problem with the input, with its place, so every message can point at the line. */
export interface Diagnostic extends Partial<Place> {
  /** The key path inside the manifest, such as `links[2].onConflict`; empty for the whole file. */
  path: string;
  /** What is wrong: what was expected and what was found. */
  message: string;
  /** What to do about it, such as "did you mean `onConflict`?". */
  hint?: string;
  /** The text of the line, for a code frame under the message. */
  lineText?: string;
  /** How many characters of the line the problem spans, for the caret under it. */
  length?: number;
}

/** Success with a value, or every problem found. Expected failures are values, not exceptions. */
export type Result<T> = { ok: true; value: T } | { ok: false; errors: Diagnostic[] };

/** A successful Result. */
export const ok = <T>(value: T): Result<T> => ({ ok: true, value });

/** A failed Result. */
export const fail = <T = never>(errors: Diagnostic[]): Result<T> => ({ ok: false, errors });

/** Formats a key path such as `["links", 2, "when", "os"]` as `links[2].when.os`. */
export function formatKeyPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else if (typeof key === "string" && /^[A-Za-z_$][\w$-]*$/.test(key))
      out += out ? `.${key}` : key;
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out;
}

/** The first line of a diagnostic: `file:line:column: path: message`, the one-line reason. */
export function diagnosticHeadline(d: Diagnostic, showFile: (file: string) => string): string {
  const where = d.file ? `${showFile(d.file)}${d.line ? `:${d.line}:${d.column ?? 1}` : ""}: ` : "";
  return `${where}${d.path ? `${d.path}: ` : ""}${d.message}`;
}

/** Sorts diagnostics by file, line and column so output reads top to bottom. */
export function sortDiagnostics(list: Diagnostic[]): Diagnostic[] {
  return [...list].sort(
    (a, b) =>
      (a.file ?? "").localeCompare(b.file ?? "") ||
      (a.line ?? 0) - (b.line ?? 0) ||
      (a.column ?? 0) - (b.column ?? 0),
  );
}

/** A zod problem in words, for a file read back (state, saved plan): where, and what is wrong. */
export function zodProblem(error: {
  issues: readonly { path: readonly PropertyKey[]; message: string }[];
}): string {
  const issue = error.issues[0];
  if (!issue) return "unknown";
  return issue.path.length > 0
    ? `${issue.path.map(String).join(".")}: ${issue.message}`
    : issue.message;
}
