/**
 * `--warehouse postgres://...` when the server goes away mid-load: like the Data API's retryable
 * errors on AWS, the load fails as WarehouseUnavailable, the state machine retries Load (retries are
 * immediate here), a restarted server is reconnected on the next attempt, and a server that stays
 * down ends the day FAILED at Load with the reason, in the run's summary. The server is this suite's
 * own, restarted or stopped from inside the warehouse between two statements of the load's
 * transaction, so the timing is deterministic.
 */
import { rm } from 'node:fs/promises';
import path from 'node:path';
import os from 'node:os';

import { printSummary } from '../../local/cli/summary';
import { synthesizePipeline, type SynthesizedPipeline } from '../../local/runner/definition';
import { dayFileName } from '../../local/runner/generate';
import type { StatementPoint } from '../../local/runner/pg-warehouse';
import { withLocalPipeline } from '../../local/runner/runner';
import { captureIo } from '../local/capture-io';
import { postgresBin, startPostgresServer, type PostgresServer } from '../support/postgres-server';
import { DAYS, generatedInput, queryRows } from './fixtures';
import { expectedStats } from './independent-counts';

const bin = postgresBin();
const DAY = DAYS[0] ?? '';
/** initdb, a CDK synth and PGlite-free loads still take minutes on a busy shared machine. */
const SLOW_MS = 600_000;

if (!bin) {
  test.skip('a PostgreSQL restart mid-load (needs PostgreSQL server binaries: apt-get install postgresql)', () =>
    undefined);
} else {
  describe('a PostgreSQL server that goes away while a day loads', () => {
    let server: PostgresServer;
    let synthesized: SynthesizedPipeline;
    let root: string;
    let input: string;

    beforeAll(async () => {
      server = await startPostgresServer(bin);
      synthesized = synthesizePipeline();
      ({ root, input } = await generatedInput());
    }, SLOW_MS);
    afterAll(async () => {
      await server?.close();
      await rm(root, { recursive: true, force: true });
    });

    /** Runs DAY with `fault` called before each warehouse statement of a load. */
    function runDay(name: string, fault: (point: StatementPoint) => Promise<void>) {
      return withLocalPipeline(
        {
          workdir: path.join(root, name),
          synthesized,
          warehouseUrl: server.url,
          beforeWarehouseStatement: (point) =>
            point.batch.startsWith('load') ? fault(point) : Promise.resolve(),
        },
        async (pipeline) => {
          await pipeline.uploadInputs(input, [DAY]);
          return pipeline.runDays([DAY], { retryIntervalMs: 0 });
        },
      );
    }

    test(
      'a restart between two statements of the load: Load is retried, reconnects and loads the day once',
      async () => {
        let restarts = 0;
        const [result] = await runDay('restart', async (point) => {
          if (point.index === 2 && restarts === 0) {
            restarts++;
            await server.restart();
          }
        });

        expect(restarts).toBe(1);
        expect(result).toMatchObject({ day: DAY, status: 'SUCCEEDED', retries: 1 });
        const expected = expectedStats(path.join(input, dayFileName(DAY)));
        const stats = await queryRows(
          { warehouseUrl: server.url },
          `SELECT day, num_users, num_searches, num_rental_searches, num_sale_searches, num_none_searches
         FROM search_stats`,
        );
        expect(stats).toEqual([{ day: DAY, ...expected }]);
        const [valid] = await queryRows(
          { warehouseUrl: server.url },
          'SELECT COUNT(*) AS n FROM valid_searches',
        );
        expect(valid?.n).toBe(expected.num_searches);
      },
      SLOW_MS,
    );

    test(
      'a server stopped mid-load and not back: the day fails at Load after its retries, named in the summary',
      async () => {
        let stopped = false;
        try {
          const results = await runDay('stop', async (point) => {
            if (point.index === 1 && !stopped) {
              stopped = true;
              await server.stop();
            }
          });

          expect(results).toHaveLength(1);
          expect(results[0]).toMatchObject({
            day: DAY,
            status: 'FAILED',
            retries: 3,
            failure: { step: 'Load', error: 'WarehouseUnavailable' },
          });
          expect(results[0]?.failure?.cause).toMatch(/PostgreSQL connection lost/);
          const io = captureIo();
          await printSummary(io, results, {
            planned: 1,
            notificationsFile: path.join(os.tmpdir(), `restart-notifications-${process.pid}.jsonl`),
          });
          expect(io.out()).toContain('0 of 1 days succeeded, 1 failed');
          expect(io.err()).toMatch(
            new RegExp(`^FAILED ${DAY} failed at Load: WarehouseUnavailable: .*connection lost`, 'm'),
          );
        } finally {
          if (stopped) await server.start();
        }
      },
      SLOW_MS,
    );
  });
}
