/** Where a command writes: stdout for results (pipeable), stderr for progress and messages. */
export interface CliIo {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown; readonly isTTY?: boolean };
  /** Standard input, for commands that read a file named `-`. @default none: `-` is refused */
  readonly stdin?: AsyncIterable<string | Uint8Array>;
}

export const processIo: CliIo = { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin };
