/** The exit codes of SPEC.md. */
export const ExitCode = {
  /** Everything is as it should be. */
  ok: 0,
  /** A conflict, an error in the plan, drift, or a failed operation. */
  failure: 1,
  /** Invalid input: a bad flag, no manifest, or an invalid one. Nothing was changed. */
  invalid: 2,
} as const;

/** One of the exit codes. */
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
