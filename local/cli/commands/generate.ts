import path from 'node:path';

import {
  DAY_FILE_FORMATS,
  DEFAULT_SEED,
  DEFAULT_USERS_PER_DAY,
  generateRange,
  type DayFileFormat,
} from '../../runner/generate';
import { dayRange, int32, parseCommandLine, positionals, positiveInt, required } from '../args';
import type { Command } from '../command';
import { UsageError } from '../errors';
import { toTable } from '../format';

function dayFileFormat(value: string | undefined): DayFileFormat {
  const format = DAY_FILE_FORMATS.find((f) => f === (value ?? 'zip'));
  if (!format)
    throw new UsageError(`--format: '${value ?? ''}' is not one of ${DAY_FILE_FORMATS.join(', ')}`);
  return format;
}

export const generateCommand: Command = {
  name: 'generate',
  help: `Usage: search-stats generate --out DIR --from YYYY-MM-DD --to YYYY-MM-DD [--seed N] [--users N] [--format F]

Writes one zip per day, each holding one CSV in the upstream format (contract §1). The same seed
gives the same bytes for a day, whatever range it is generated in. Rows are streamed to the file:
memory stays flat whatever --users is.

Options:
  --out DIR        directory to write to (created if needed)
  --from, --to     first and last day, included
  --seed N         PRNG seed (default ${DEFAULT_SEED})
  --users N        users on an average weekday (default ${DEFAULT_USERS_PER_DAY}; weekends are busier)
  --format F       zip (default), csv or csv.gz
  -h, --help       show this help
`,
  async run(argv, io) {
    const { values, positionals: rest } = parseCommandLine('generate', argv, {
      out: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      seed: { type: 'string' },
      users: { type: 'string' },
      format: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    });
    if (values.help) {
      io.stdout.write(this.help);
      return 0;
    }
    positionals('generate', rest, []);
    const outDir = path.resolve(required('--out', values.out));
    const { from, to } = dayRange(values);
    const seed = int32('--seed', values.seed, DEFAULT_SEED);
    const usersPerDay = positiveInt('--users', values.users, DEFAULT_USERS_PER_DAY);
    const format = dayFileFormat(values.format);
    const days = await generateRange({ from, to, outDir, seed, usersPerDay, format });
    // All users and searches in the file; `run` counts users and searches that are valid.
    const rows = days.map((d) => ({ ...d, users_in_file: d.users, searches_in_file: d.searches }));
    io.stdout.write(toTable(['day', 'users_in_file', 'searches_in_file', 'bytes', 'file'], rows));
    return 0;
  },
};
