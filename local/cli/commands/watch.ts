import { DEFAULT_WORKDIR } from '../../runner/workdir';
import { nonNegativeInt, parseCommandLine, positionals, positiveInt, required, warehouseUrl } from '../args';
import type { Command } from '../command';
import { DEFAULT_RETRY_WAIT_MS } from '../run-range';
import { watchInput } from '../watch-loop';
import { DEFAULT_CONCURRENCY, existingDirectory } from './run';

export const DEFAULT_INTERVAL_MS = 2000;

export const watchCommand: Command = {
  name: 'watch',
  help: `Usage: search-stats watch --input DIR [--workdir DIR] [--interval-ms N] [--once] [options]

Watches DIR (polling) and does locally what the deployed stack does when a file lands in the
incoming bucket: each new or replaced file (new bytes: a touch is not a change) is uploaded to the
embedded incoming bucket, and a day file whose day is over starts that day's run through the
synthesized state machine, named day-<YYYYMMDD>-<ETag> with the input
{"date", "source": {"key", "etag"}, "skipIfLoaded": true}, the same name and input the deployed
Trigger uses. A name already run in this work directory is not run again (Step Functions refuses a
name twice); a run whose file version is already loaded loads nothing. A file of a day that is not
over (today's) is left to the schedule: there is none locally, so watch runs it once the day is over.
Files that are not day files are ignored, one line each. Progress on stderr, a summary table on
stdout after each scan that ran something. Exit code 1 when a run failed; Ctrl-C stops cleanly.

Options:
  --input DIR           the directory to watch
  --workdir DIR         local state: S3 objects, warehouse, executions (default ${DEFAULT_WORKDIR})
  --interval-ms N       between two scans; a changed file is read once it stayed unchanged this
                        long (default ${DEFAULT_INTERVAL_MS})
  --once                scan once, run what is due, exit (for scripts and tests)
  --concurrency N       runs at once (default ${DEFAULT_CONCURRENCY})
  --warehouse URL       postgres://... to load a PostgreSQL server instead of the embedded PGlite
  --retry-wait-ms N     wait before each retry (default ${DEFAULT_RETRY_WAIT_MS}; AWS waits 300000)
  -v, --verbose         print each failure notification in full (always kept in <workdir>/notifications.jsonl)
  -h, --help            show this help
`,
  async run(argv, io) {
    const { values, positionals: rest } = parseCommandLine('watch', argv, {
      input: { type: 'string' },
      workdir: { type: 'string' },
      'interval-ms': { type: 'string' },
      once: { type: 'boolean' },
      concurrency: { type: 'string' },
      warehouse: { type: 'string' },
      'retry-wait-ms': { type: 'string' },
      verbose: { type: 'boolean', short: 'v' },
      help: { type: 'boolean', short: 'h' },
    });
    if (values.help) {
      io.stdout.write(this.help);
      return 0;
    }
    positionals('watch', rest, []);
    const inputArg = required('--input', values.input);
    const intervalMs = positiveInt('--interval-ms', values['interval-ms'], DEFAULT_INTERVAL_MS);
    const concurrency = positiveInt('--concurrency', values.concurrency, DEFAULT_CONCURRENCY);
    const retryWaitMs = nonNegativeInt('--retry-wait-ms', values['retry-wait-ms'], DEFAULT_RETRY_WAIT_MS);
    const url = warehouseUrl(values.warehouse);
    const input = await existingDirectory('--input', inputArg);
    const session = await watchInput(io, {
      input,
      workdir: values.workdir ?? DEFAULT_WORKDIR,
      intervalMs,
      once: values.once ?? false,
      concurrency,
      retryWaitMs,
      verbose: values.verbose ?? false,
      ...(url ? { warehouseUrl: url } : {}),
    });
    const failed = session.outcomes.some((o) => o.kind === 'ran' && o.result.status === 'FAILED');
    return failed ? 1 : 0;
  },
};
