import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger } from '@aws-lambda-powertools/logger';
import { DeleteObjectCommand } from '@aws-sdk/client-s3';
import { loadDay } from '../../lambdas/load/load-day';
import { WarehouseStatementFailed } from '../../lambdas/shared/errors';
import { openLocalWarehouse, type LocalWarehouse } from '../../local/runner/pg-warehouse';
import { startLocalS3, type LocalS3 } from '../../local/runner/s3-server';
import { describeWith, postgresServer } from '../support/required-parts';
import { CLEAN_BUCKET, JULY_2, dayFixture, putDay, searchesCsv, type FixtureSearch } from './day-fixture';

const logger = new Logger({ serviceName: 'test', logLevel: 'SILENT' });
const LOADED_AT = new Date('2021-07-03T00:30:05.250Z');

let dir: string;
let s3: LocalS3;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'load-day-'));
  s3 = await startLocalS3({ directory: join(dir, 's3'), buckets: [CLEAN_BUCKET] });
});

afterAll(async () => {
  await s3?.close();
  rmSync(dir, { recursive: true, force: true });
});

/**
 * The same behaviour on PGlite (url undefined) and on a real PostgreSQL server (url: a scratch
 * database; its search_stats and valid_searches tables are dropped first).
 */
function loadDayBehaviour(url: string | undefined): void {
  let warehouse: LocalWarehouse;

  beforeAll(async () => {
    warehouse = await openLocalWarehouse(url === undefined ? { s3: s3.client } : { s3: s3.client, url });
    if (url !== undefined) {
      await warehouse.query('DROP TABLE IF EXISTS valid_searches');
      await warehouse.query('DROP TABLE IF EXISTS search_stats');
      // Versioned migrations: without their record the tables above are created again.
      await warehouse.query('DROP TABLE IF EXISTS schema_migrations');
    }
    await warehouse.migrate();
  });

  afterAll(async () => {
    await warehouse?.close();
  });

  beforeEach(async () => {
    await warehouse.query('DELETE FROM valid_searches');
    await warehouse.query('DELETE FROM search_stats');
  });

  const load = (clean: Parameters<typeof loadDay>[1]) =>
    loadDay({ warehouse, logger, now: () => LOADED_AT }, clean);

  const stats = () => warehouse.query('SELECT * FROM search_stats ORDER BY day');
  const searches = () => warehouse.query('SELECT * FROM valid_searches ORDER BY day, user_id, search_seq');

  test('loading a day writes its search_stats row from the clean result and copies its valid searches', async () => {
    const day = dayFixture('2021-07-02', JULY_2);
    await putDay(s3.client, day);

    const result = await load(day.clean);

    expect(result).toEqual({
      date: '2021-07-02',
      runId: 'run-20210702',
      searchStatsRows: 1,
      validSearchRows: 3,
      statementId: expect.stringMatching(/^local:/),
      millis: 0,
    });
    expect(await stats()).toEqual([
      {
        day: '2021-07-02',
        num_users: 2,
        num_searches: 3,
        num_rental_searches: 1,
        num_sale_searches: 1,
        num_none_searches: 1,
        rows_read: 4,
        rows_kept: 3,
        rows_duplicate: 1,
        rows_rejected: 0,
        source_key: 'user-data/session_user_data20210702.zip',
        source_etag: '"0123abcd"',
        run_id: 'run-20210702',
        code_version: 'test',
        loaded_at: '2021-07-03 00:30:05.25',
      },
    ]);
    expect(await searches()).toEqual([
      {
        day: '2021-07-02',
        user_id: '500',
        search_seq: 1,
        search_id: 4410,
        clicks: 4,
        created_at: '20210702',
        listings: 6,
        type: 'Rental',
        type_bucket: 'rental',
      },
      {
        day: '2021-07-02',
        user_id: '501',
        search_seq: 2,
        search_id: 78,
        clicks: 3,
        created_at: '20210702',
        listings: 5,
        type: 'Sales',
        type_bucket: 'sale',
      },
      {
        day: '2021-07-02',
        user_id: '501',
        search_seq: 3,
        search_id: 79,
        clicks: 9,
        created_at: '20210702',
        listings: 1,
        type: '',
        type_bucket: 'none',
      },
    ]);
  });

  test('loading the same day twice leaves exactly the rows of one load', async () => {
    const day = dayFixture('2021-07-02', JULY_2);
    await putDay(s3.client, day);

    await load(day.clean);
    const once = { stats: await stats(), searches: await searches() };
    await load(day.clean);

    expect({ stats: await stats(), searches: await searches() }).toEqual(once);
  });

  test('re-running a day replaces its rows and leaves the other days alone', async () => {
    const july3 = dayFixture('2021-07-03', [
      { userId: '9', seq: 1, searchId: 1, clicks: 5, listings: 2, type: 'Sales' },
    ]);
    await putDay(s3.client, july3);
    await load(july3.clean);
    const first = dayFixture('2021-07-02', JULY_2);
    await putDay(s3.client, first);
    await load(first.clean);

    const fixed = dayFixture('2021-07-02', JULY_2.slice(0, 1), { runId: 'run-fixed' });
    await putDay(s3.client, fixed);
    await load(fixed.clean);

    expect((await stats()).map((r) => [r['day'], r['num_searches'], r['run_id']])).toEqual([
      ['2021-07-02', 1, 'run-fixed'],
      ['2021-07-03', 1, 'run-20210703'],
    ]);
    expect((await searches()).map((r) => [r['day'], r['search_id']])).toEqual([
      ['2021-07-02', 4410],
      ['2021-07-03', 1],
    ]);
  });

  test('a COPY that fails after the day was deleted rolls back: the previous rows are intact', async () => {
    const good = dayFixture('2021-07-02', JULY_2);
    await putDay(s3.client, good);
    await load(good.clean);
    const before = { stats: await stats(), searches: await searches() };

    const broken = dayFixture('2021-07-02', JULY_2, {
      runId: 'run-broken',
      csv: searchesCsv('2021-07-02', JULY_2).replace(',4,20210702,', ',four,20210702,'),
    });
    await putDay(s3.client, broken);

    const failure = load(broken.clean);
    await expect(failure).rejects.toThrow(WarehouseStatementFailed);
    await expect(failure).rejects.toThrow(/statement 4 of 6 \(load\/040_copy_valid_searches\.sql\).*four/);
    expect({ stats: await stats(), searches: await searches() }).toEqual(before);
  });

  test('copied rows that disagree with the aggregates fail the load, leaving the previous rows', async () => {
    const good = dayFixture('2021-07-02', JULY_2);
    await putDay(s3.client, good);
    await load(good.clean);
    const before = { stats: await stats(), searches: await searches() };

    // A stale file: one search short of what the clean result counted.
    const stale = dayFixture('2021-07-02', JULY_2, {
      runId: 'run-stale',
      csv: searchesCsv('2021-07-02', JULY_2.slice(1)),
    });
    await putDay(s3.client, stale);

    await expect(load(stale.clean)).rejects.toThrow(
      /load\/060_check_day_consistency\.sql\): division by zero/,
    );
    expect({ stats: await stats(), searches: await searches() }).toEqual(before);
  });

  test('a missing manifest fails the load without changing anything', async () => {
    const day = dayFixture('2021-07-04', JULY_2);
    await putDay(s3.client, day);
    await s3.client.send(
      new DeleteObjectCommand({ Bucket: CLEAN_BUCKET, Key: day.clean.outputs.validSearchesManifestKey }),
    );

    await expect(load(day.clean)).rejects.toThrow(
      /COPY manifest s3:\/\/clean\/valid-searches\/valid_searches20210704\.csv\.manifest does not exist/,
    );
    expect(await stats()).toEqual([]);
  });

  test('a day without valid searches loads a row of zeros and no searches', async () => {
    const empty = dayFixture('2021-07-05', []);
    await putDay(s3.client, empty);

    const result = await load(empty.clean);

    expect(result.validSearchRows).toBe(0);
    expect((await stats()).map((r) => [r['num_users'], r['num_searches']])).toEqual([[0, 0]]);
    expect(await searches()).toEqual([]);
  });

  describe('a run that asked to skip a version already loaded (skipIfLoaded)', () => {
    test('the same ETag loaded: nothing changes, not even loaded_at, and the result says AlreadyLoaded', async () => {
      const day = dayFixture('2021-07-02', JULY_2);
      await putDay(s3.client, day);
      await load(day.clean);
      const before = await stats();

      const result = await loadDay(
        { warehouse, logger, now: () => new Date('2021-08-01T00:00:00Z') },
        { ...day.clean, runId: 'run-again', skipIfLoaded: true },
      );

      expect(result).toMatchObject({ runId: 'run-again', searchStatsRows: 0, skipped: 'AlreadyLoaded' });
      expect(await stats()).toEqual(before);
    });

    test('another ETag loaded (a corrected file): the day is replaced by the new version', async () => {
      const day = dayFixture('2021-07-02', JULY_2);
      await putDay(s3.client, day);
      await load(day.clean);

      const corrected = {
        ...day.clean,
        source: { ...day.clean.source, etag: 'corrected' },
        skipIfLoaded: true,
      };
      const result = await load(corrected);

      expect(result).not.toHaveProperty('skipped');
      expect(await stats()).toEqual([expect.objectContaining({ source_etag: 'corrected' })]);
    });

    test('a day not loaded yet is loaded', async () => {
      const day = dayFixture('2021-07-02', JULY_2);
      await putDay(s3.client, day);

      const result = await load({ ...day.clean, skipIfLoaded: true });

      expect(result).toMatchObject({ searchStatsRows: 1 });
      expect(await stats()).toHaveLength(1);
    });
  });

  test('days loaded at the same time all land, each once', async () => {
    const days = ['2021-07-10', '2021-07-11', '2021-07-12', '2021-07-13'].map((date, i) =>
      dayFixture(
        date,
        Array.from({ length: i + 1 }, (_, seq): FixtureSearch => ({
          userId: `u${seq}`,
          seq: 1,
          searchId: seq,
          clicks: 3,
          listings: 1,
          type: 'Rental',
        })),
      ),
    );
    for (const day of days) await putDay(s3.client, day);

    await Promise.all([...days, ...days].map((day) => load(day.clean)));

    expect((await stats()).map((r) => [r['day'], r['num_searches']])).toEqual([
      ['2021-07-10', 1],
      ['2021-07-11', 2],
      ['2021-07-12', 3],
      ['2021-07-13', 4],
    ]);
    expect(await searches()).toHaveLength(10);
  });
}

describe('loadDay on PGlite', () => loadDayBehaviour(undefined));
describeWith(postgresServer(), 'loadDay on PostgreSQL', loadDayBehaviour);

test('a PGlite warehouse in a data directory keeps its rows across reopening', async () => {
  const dataDir = join(dir, 'pgdata');
  const first = await openLocalWarehouse({ s3: s3.client, dataDir });
  await first.migrate();
  const day = dayFixture('2021-07-02', JULY_2);
  await putDay(s3.client, day);
  await loadDay({ warehouse: first, logger }, day.clean);
  await first.close();

  const reopened = await openLocalWarehouse({ s3: s3.client, dataDir });
  await reopened.migrate();
  try {
    expect(await reopened.query('SELECT day, num_searches FROM search_stats')).toEqual([
      { day: '2021-07-02', num_searches: 3 },
    ]);
  } finally {
    await reopened.close();
  }
});

/**
 * On a real server each load gets its own connection, as concurrent Lambdas get their own Data API
 * sessions: the loads really overlap, and only the LOCK at the start of each keeps a day loaded
 * twice at once from failing on search_stats' key (PostgreSQL enforces it).
 */
describeWith(postgresServer(), 'loads on separate connections to a real PostgreSQL', (postgresUrl) => {
  test('loads of several days, each twice, at once on separate PostgreSQL connections all succeed', async () => {
    const connections = await Promise.all(
      [1, 2, 3, 4].map(() => openLocalWarehouse({ s3: s3.client, url: postgresUrl })),
    );
    try {
      const [first] = connections as [LocalWarehouse];
      await first.query('DROP TABLE IF EXISTS valid_searches');
      await first.query('DROP TABLE IF EXISTS search_stats');
      await first.query('DROP TABLE IF EXISTS schema_migrations');
      await first.migrate();
      const days = ['2021-07-20', '2021-07-21'].map((date) => dayFixture(date, JULY_2));
      for (const day of days) await putDay(s3.client, day);

      const results = await Promise.allSettled(
        [...days, ...days].map((day, i) =>
          loadDay({ warehouse: connections[i] as LocalWarehouse, logger }, day.clean),
        ),
      );

      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'fulfilled']);
      expect(await first.query('SELECT day, num_searches FROM search_stats ORDER BY day')).toEqual([
        { day: '2021-07-20', num_searches: 3 },
        { day: '2021-07-21', num_searches: 3 },
      ]);
      expect(await first.query('SELECT COUNT(*) AS n FROM valid_searches')).toEqual([{ n: 6 }]);
    } finally {
      await Promise.all(connections.map((c) => c.close()));
    }
  });
});
