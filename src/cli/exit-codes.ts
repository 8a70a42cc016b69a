/** Exit codes (docs/exit-codes.md): 0 ok, 1 findings/issues under --strict, 2 bad input or usage, 3 internal error. */
export const ExitCode = {
  ok: 0,
  findings: 1,
  badInput: 2,
  internal: 3,
} as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];
