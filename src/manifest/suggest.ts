/** Edit distance between two strings (insertions, deletions, substitutions, transpositions). */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) =>
    Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  const at = (i: number, j: number): number => d[i]?.[j] ?? 0;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, at(i - 2, j - 2) + 1);
      }
      (d[i] as number[])[j] = best;
    }
  }
  return at(a.length, b.length);
}

/** The candidate closest to `word`, if it is close enough to be what was meant. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  const lower = word.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = editDistance(lower, candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  const allowed = Math.max(1, Math.floor(word.length / 3));
  return bestDistance <= allowed ? best : undefined;
}

/**
 * Keys that other dotfile managers use, and what to write in linkman instead, so a user
 * coming from dotbot or chezmoi gets a pointed hint rather than only "unknown key".
 */
const FOREIGN_KEYS: Record<string, string> = {
  path: "`target` (the file the link points to)",
  source: "`target` (the file the link points to)",
  src: "`target` (the file the link points to)",
  dest: "`link` (the path of the link)",
  destination: "`link` (the path of the link)",
  force: "`onConflict: backup` (linkman moves what is in the way to a backup, never deletes it)",
  relink: "nothing: linkman always replaces a link that points elsewhere",
  create: "`mkdirs: true` (the default)",
  if: "`when` (os, arch, host, profile, env)",
  type: "`kind` (symlink, hardlink or junction)",
  glob: "nothing: a target with glob characters is a glob",
  "ignore-missing": "`ifMissing: skip`",
  ignore: "`exclude`",
  excludes: "`exclude`",
  includes: "`include`",
  link_type: "`kind`",
};

/** A hint for an unknown key: the near miss among `known`, or the linkman word for a foreign key. */
export function unknownKeyHint(key: string, known: readonly string[]): string | undefined {
  const near = closest(key, known);
  if (near) return `did you mean \`${near}\`?`;
  // Own keys only: `constructor` or `__proto__` must not find Object.prototype's.
  const lower = key.toLowerCase();
  const foreign = Object.hasOwn(FOREIGN_KEYS, lower) ? FOREIGN_KEYS[lower] : undefined;
  return foreign ? `linkman's word for this is ${foreign}` : undefined;
}

/** Names people write for an OS or CPU, and the Node name `when` expects. */
const VALUE_ALIASES: Record<string, string> = {
  windows: "win32",
  win: "win32",
  win64: "win32",
  macos: "darwin",
  mac: "darwin",
  osx: "darwin",
  x86_64: "x64",
  amd64: "x64",
  aarch64: "arm64",
  i386: "ia32",
  i686: "ia32",
  x86: "ia32",
};

/** A hint for a value that is not one of `allowed`: a near miss or a known alias. */
export function unknownValueHint(value: string, allowed: readonly string[]): string | undefined {
  const lower = value.toLowerCase();
  const alias = Object.hasOwn(VALUE_ALIASES, lower) ? VALUE_ALIASES[lower] : undefined;
  if (alias && allowed.includes(alias)) return `did you mean \`${alias}\`? (Node's name for it)`;
  const near = closest(value, allowed);
  return near ? `did you mean \`${near}\`?` : undefined;
}
