import type { CliIo } from './io';

/** A CLI command (listed, with its one-line summary, in commands/index.ts): `run` returns the exit code (0 ok, 1 failed work, 2 bad arguments via UsageError). */
export interface Command {
  readonly name: string;
  /** The full `--help` text. */
  readonly help: string;
  run(argv: readonly string[], io: CliIo): Promise<number>;
}
