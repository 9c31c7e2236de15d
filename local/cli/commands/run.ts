import { stat } from 'node:fs/promises';
import path from 'node:path';

import { RUN_MODES, type RunMode } from '../../runner/run-mode';
import { DEFAULT_WORKDIR } from '../../runner/workdir';
import {
  dayRange,
  nonNegativeInt,
  parseCommandLine,
  positionals,
  positiveInt,
  required,
  warehouseUrl,
} from '../args';
import type { Command } from '../command';
import { UsageError } from '../errors';
import { DEFAULT_RETRY_WAIT_MS, runRange } from '../run-range';

export const DEFAULT_CONCURRENCY = 2;

function runMode(value: string | undefined): RunMode {
  const mode = RUN_MODES.find((m) => m === (value ?? 'auto'));
  if (!mode) throw new UsageError(`--mode: '${value ?? ''}' is not one of ${RUN_MODES.join(', ')}`);
  return mode;
}

export async function existingDirectory(field: string, value: string): Promise<string> {
  const dir = path.resolve(value);
  const info = await stat(dir).catch(() => undefined);
  if (!info?.isDirectory()) throw new UsageError(`${field}: '${value}' is not a directory`);
  return dir;
}

export const runCommand: Command = {
  name: 'run',
  help: `Usage: search-stats run --input DIR --from YYYY-MM-DD --to YYYY-MM-DD [options]

Uploads the day files found in DIR (session_user_data<YYYYMMDD>.zip|.csv|.csv.gz) to the embedded
incoming bucket, then runs the synthesized state machine once per day (Validate -> Clean -> Load)
against the embedded S3 and warehouse. Progress goes to stderr, the summary table to stdout.
Exit code 1 when any day failed (each failure is named with its step and reason).

Options:
  --input DIR           directory holding the day files
  --from, --to          first and last day, included
  --workdir DIR         local state: S3 objects, warehouse (default ${DEFAULT_WORKDIR})
  --concurrency N       days run at once (default ${DEFAULT_CONCURRENCY})
  --warehouse URL       postgres://... to load a PostgreSQL server instead of the embedded PGlite
  --mode M              cleaning path: auto (default: the deployed rule, by the day file's size
                        when the deployed stack has the scale-out path, else single), single
                        (one Clean step) or scale-out (Prepare -> CleanBatches -> Combine)
  --retry-wait-ms N     wait before each retry (default ${DEFAULT_RETRY_WAIT_MS}; AWS waits 300000)
  -v, --verbose         print each failure notification in full (always kept in <workdir>/notifications.jsonl)
  --allow-volume-drop   let days far below their recent days (or with no row) load: the
                        execution input's "allowVolumeDrop": true
  -h, --help            show this help
`,
  async run(argv, io) {
    const { values, positionals: rest } = parseCommandLine('run', argv, {
      input: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      workdir: { type: 'string' },
      concurrency: { type: 'string' },
      warehouse: { type: 'string' },
      'retry-wait-ms': { type: 'string' },
      mode: { type: 'string' },
      verbose: { type: 'boolean', short: 'v' },
      'allow-volume-drop': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    });
    if (values.help) {
      io.stdout.write(this.help);
      return 0;
    }
    positionals('run', rest, []);
    const inputArg = required('--input', values.input);
    const { from, to } = dayRange(values);
    const concurrency = positiveInt('--concurrency', values.concurrency, DEFAULT_CONCURRENCY);
    const retryWaitMs = nonNegativeInt('--retry-wait-ms', values['retry-wait-ms'], DEFAULT_RETRY_WAIT_MS);
    const url = warehouseUrl(values.warehouse);
    const mode = runMode(values.mode);
    const input = await existingDirectory('--input', inputArg);
    const results = await runRange(io, {
      input,
      from,
      to,
      workdir: values.workdir ?? DEFAULT_WORKDIR,
      concurrency,
      retryWaitMs,
      verbose: values.verbose ?? false,
      mode,
      ...(url ? { warehouseUrl: url } : {}),
      ...(values['allow-volume-drop'] ? { executionInput: { allowVolumeDrop: true } } : {}),
    });
    return results.some((r) => r.status === 'FAILED') ? 1 : 0;
  },
};
