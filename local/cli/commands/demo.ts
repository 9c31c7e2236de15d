import { existsSync } from 'node:fs';
import path from 'node:path';

import { daysInRange } from '../../../lambdas/domain/calendar';
import { dayFileName, generateRange } from '../../runner/generate';
import { DEFAULT_WORKDIR, workdirPaths } from '../../runner/workdir';
import { lockWorkdir } from '../../runner/workdir-lock';
import { parseCommandLine, positionals, positiveInt, nonNegativeInt, warehouseUrl } from '../args';
import type { Command } from '../command';
import { toTable } from '../format';
import { writeReport } from '../../report';
import { DEFAULT_RETRY_WAIT_MS, runRange } from '../run-range';
import { defaultReportFile } from './report';
import { DEFAULT_CONCURRENCY } from './run';

/** The seed's history, and the range the original DAG back-filled. */
export const DEMO = {
  history: { from: '2021-07-01', to: '2021-07-25' },
  backfill: { from: '2021-07-02', to: '2021-07-24' },
} as const;

export const SEARCH_STATS_SQL = `SELECT day, num_users, num_searches, num_rental_searches, num_sale_searches, num_none_searches
FROM search_stats ORDER BY day`;

export const demoCommand: Command = {
  name: 'demo',
  help: `Usage: search-stats demo [--workdir DIR] [--concurrency N] [--warehouse URL]

1. Generates sample day files for ${DEMO.history.from}..${DEMO.history.to} into <workdir>/input (if absent).
2. Back-fills ${DEMO.backfill.from}..${DEMO.backfill.to} through the local state machine, like the original
   DAG's run range (the same as: search-stats run --input <workdir>/input --from ... --to ...).
3. Prints search_stats and writes the HTML report to <workdir>/report.html.
Running it again replaces each day's rows: the warehouse ends up identical.

Options:
  --workdir DIR         local state directory (default ${DEFAULT_WORKDIR})
  --concurrency N       days run at once (default ${DEFAULT_CONCURRENCY})
  --warehouse URL       postgres://... instead of the embedded PGlite
  --retry-wait-ms N     wait before each retry (default ${DEFAULT_RETRY_WAIT_MS})
  -v, --verbose         print each failure notification in full (always kept in <workdir>/notifications.jsonl)
  -h, --help            show this help
`,
  async run(argv, io) {
    const { values, positionals: rest } = parseCommandLine('demo', argv, {
      workdir: { type: 'string' },
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
    positionals('demo', rest, []);
    const concurrency = positiveInt('--concurrency', values.concurrency, DEFAULT_CONCURRENCY);
    const retryWaitMs = nonNegativeInt('--retry-wait-ms', values['retry-wait-ms'], DEFAULT_RETRY_WAIT_MS);
    const url = warehouseUrl(values.warehouse);
    const workdir = values.workdir ?? DEFAULT_WORKDIR;
    const paths = workdirPaths(workdir);

    const history = daysInRange(DEMO.history.from, DEMO.history.to);
    if (history.some((day) => !existsSync(path.join(paths.input, dayFileName(day))))) {
      io.stderr.write(
        `generating sample data ${DEMO.history.from}..${DEMO.history.to} into ${paths.input}\n`,
      );
      // The input is in the work directory too: another process's run may be reading it.
      const lock = await lockWorkdir(paths.root);
      try {
        await generateRange({ ...DEMO.history, outDir: paths.input });
      } finally {
        await lock.release();
      }
    }
    const results = await runRange(
      io,
      {
        input: paths.input,
        ...DEMO.backfill,
        workdir,
        concurrency,
        retryWaitMs,
        verbose: values.verbose ?? false,
        ...(url ? { warehouseUrl: url } : {}),
      },
      async (pipeline) => {
        const rows = await pipeline.warehouse.query(SEARCH_STATS_SQL);
        io.stdout.write(`\nsearch_stats (${rows.length} days):\n`);
        io.stdout.write(toTable(Object.keys(rows[0] ?? {}), rows));
        const report = await writeReport((sql) => pipeline.warehouse.query(sql), defaultReportFile(workdir));
        io.stdout.write(`\nreport: ${report}\n`);
      },
    );
    io.stderr.write(
      `\nnext: npx search-stats query --workdir ${workdir} "SELECT * FROM search_stats"\n` +
        `      npx search-stats query --workdir ${workdir} --file sql/questions/04_most_engaging_searches.sql\n` +
        `      npx search-stats outputs --workdir ${workdir}\n`,
    );
    return results.some((r) => r.status === 'FAILED') ? 1 : 0;
  },
};
