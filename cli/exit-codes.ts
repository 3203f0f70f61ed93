/** Process exit codes, documented in docs/cli.md ("Errors and exit codes"). Scripts branch on these, so never renumber. */
export const Exit = {
  OK: 0,
  /** Bad command line: unknown command or flag, missing file or prompt. */
  USAGE: 1,
  /** The API answered with an error envelope (code != 0). */
  API: 2,
  /** The service could not be reached (connection refused, DNS, timeout). */
  NETWORK: 3,
  /** The render finished with status "failed" or timed out. */
  RENDER_FAILED: 4,
  /** The chat turn reported an error (errorCode event); the draft was left as it was. */
  TURN_FAILED: 5,
  /** Interrupted with Ctrl-C. */
  INTERRUPTED: 130,
} as const;
export type ExitCode = (typeof Exit)[keyof typeof Exit];
