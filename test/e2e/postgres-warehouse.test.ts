/**
 * `--warehouse postgres://...`: the same back-fill loading a real PostgreSQL server instead of
 * PGlite (COPY through pg-copy-streams). `.ci/run` starts a throwaway PostgreSQL and sets
 * TEST_POSTGRES_URL; without it this suite fails under CI=true and is skipped, saying so, elsewhere.
 */
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { Client } from 'pg';

import { synthesizePipeline } from '../../local/runner/definition';
import { dayFileName } from '../../local/runner/generate';
import { withLocalPipeline } from '../../local/runner/runner';
import { describeWith, postgresServer } from '../support/required-parts';
import { DAYS, generatedInput, queryRows } from './fixtures';
import { expectedStats } from './independent-counts';

/** A database of this suite's own: other suites use the server's default database at the same time. */
const DATABASE = 'search_stats_e2e';
const SEARCH_STATS = `SELECT day, num_users, num_searches, num_rental_searches, num_sale_searches, num_none_searches
  FROM search_stats ORDER BY day`;

describeWith(postgresServer(), 'a local back-fill into a real PostgreSQL server', (serverUrl) => {
  let root: string;
  let input: string;
  const databaseUrl = new URL(serverUrl);
  databaseUrl.pathname = `/${DATABASE}`;
  const url = databaseUrl.toString();

  beforeAll(async () => {
    ({ root, input } = await generatedInput());
    const client = new Client({ connectionString: serverUrl });
    await client.connect();
    await client.query(`DROP DATABASE IF EXISTS ${DATABASE}`);
    await client.query(`CREATE DATABASE ${DATABASE}`);
    await client.end();
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  async function backfill(): Promise<string[]> {
    const synthesized = synthesizePipeline();
    const workdir = path.join(root, 'pg');
    const results = await withLocalPipeline({ workdir, synthesized, warehouseUrl: url }, async (pipeline) => {
      await pipeline.uploadInputs(input, DAYS);
      return pipeline.runDays(DAYS, { retryIntervalMs: 0 });
    });
    return results.map((r) => `${r.day} ${r.status}`);
  }

  test('loads search_stats equal to the counts computed from the files, and a re-run changes nothing', async () => {
    expect(await backfill()).toEqual(DAYS.map((d) => `${d} SUCCEEDED`));
    const expected = DAYS.map((day) => ({ day, ...expectedStats(path.join(input, dayFileName(day))) }));
    expect(await queryRows({ warehouseUrl: url }, SEARCH_STATS)).toEqual(expected);

    expect(await backfill()).toEqual(DAYS.map((d) => `${d} SUCCEEDED`));
    expect(await queryRows({ warehouseUrl: url }, SEARCH_STATS)).toEqual(expected);
    const [count] = await queryRows(
      { warehouseUrl: url },
      'SELECT COUNT(*) AS n, SUM(num_searches) AS total FROM search_stats',
    );
    const validRows = await queryRows({ warehouseUrl: url }, 'SELECT COUNT(*) AS n FROM valid_searches');
    expect(Number(validRows[0]?.n)).toBe(Number(count?.total));
  });
});
