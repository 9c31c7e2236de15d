/**
 * `search-stats`: the local pipeline's command line. `main` returns the exit code: 0 ok, 1 a day
 * (or the command's work) failed, 2 bad arguments (one line on stderr naming the option).
 */
import type { Command } from './command';
import { backfillCommand } from './commands/backfill';
import { demoCommand } from './commands/demo';
import { generateCommand } from './commands/generate';
import { outputsCommand } from './commands/outputs';
import { queryCommand } from './commands/query';
import { reportCommand } from './commands/report';
import { runCommand } from './commands/run';
import { watchCommand } from './commands/watch';
import { UsageError } from './errors';
import { processIo, type CliIo } from './io';
import { RunInterrupted } from './run-range';

export const COMMANDS: readonly Command[] = [
  demoCommand,
  runCommand,
  watchCommand,
  backfillCommand,
  queryCommand,
  reportCommand,
  generateCommand,
  outputsCommand,
];

export function topHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return `Usage: search-stats <command> [options]

Runs the daily search-stats pipeline on this machine: the synthesized Step Functions state machine
with the Lambda steps in-process, an embedded S3 (s3rver) and an embedded warehouse (PGlite).

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n')}

Run search-stats <command> --help for a command's options.
`;
}

export async function main(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(topHelp());
    return 0;
  }
  const names = COMMANDS.map((c) => c.name).join(', ');
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    const problem = name === undefined ? 'missing command' : `unknown command '${name}'`;
    io.stderr.write(`search-stats: ${problem} (commands: ${names}; see search-stats --help)\n`);
    return 2;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof RunInterrupted) return 130;
    if (error instanceof UsageError) {
      io.stderr.write(`search-stats ${command.name}: ${error.message}\n`);
      return 2;
    }
    const err = error instanceof Error ? error : new Error(String(error));
    io.stderr.write(`search-stats ${command.name}: ${err.name}: ${err.message}\n`);
    if (process.env.SEARCH_STATS_DEBUG) io.stderr.write(`${err.stack ?? ''}\n`);
    return 1;
  }
}

/** Entry point for bin/search-stats.js and `tsx local/cli/main.ts`. */
export function runMain(): void {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
      // Everything is closed by now; should a library keep a handle open, still exit.
      setTimeout(() => process.exit(code), 1000).unref();
    },
    (error: unknown) => {
      process.stderr.write(`search-stats: ${String(error)}\n`);
      process.exit(1);
    },
  );
}

if (require.main === module) runMain();
