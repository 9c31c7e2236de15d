/** A bad command line: printed as one line, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** The user pressed Ctrl-C: the days that ran are summarized, the command exits 130. */
export class RunInterrupted extends Error {
  override name = 'RunInterrupted';
}
