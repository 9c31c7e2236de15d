import type { PGlite } from '@electric-sql/pglite';
import { QUESTION_FILES, questionSql, type QuestionName } from '../../local/report/questions';
import * as oracle from './support/oracle';
import { SEARCHES, STATS, type ValidSearch } from './support/period-fixture';
import { normalizeRows } from './support/normalize';
import { createWarehouse, loadRows } from './support/warehouse';

let db: PGlite;

async function answer(name: QuestionName): Promise<Record<string, unknown>[]> {
  return normalizeRows((await db.query<Record<string, unknown>>(questionSql(name))).rows);
}

beforeAll(async () => {
  db = await createWarehouse();
  await loadRows(db, STATS, SEARCHES);
});

afterAll(async () => {
  await db.close();
});

describe('each question, on a hand-built period, matches an independent computation', () => {
  test('00 period summary: days, valid searches, users, search ids', async () => {
    expect(await answer('periodSummary')).toEqual([oracle.periodSummary(STATS, SEARCHES)]);
  });

  test('01 unique valid searches over the period, one row per search_id', async () => {
    expect(await answer('uniqueSearches')).toEqual(oracle.uniqueSearches(SEARCHES));
  });

  test('01b unique valid searches per day, one row per day and search_id', async () => {
    expect(await answer('uniqueSearchesPerDay')).toEqual(oracle.uniqueSearchesPerDay(SEARCHES));
  });

  test('02 valid searches per day by type, a loaded day without valid searches showing 0', async () => {
    expect(await answer('searchesPerDay')).toEqual(oracle.searchesPerDay(STATS, SEARCHES));
  });

  test('03 users with valid searches per day', async () => {
    expect(await answer('usersPerDay')).toEqual(oracle.usersPerDay(STATS));
  });

  test('04 the ten most engaging search ids, by clicks over all their valid searches', async () => {
    expect(await answer('mostEngagingSearches')).toEqual(oracle.mostEngagingSearches(SEARCHES));
  });

  test('04c the top click count of one valid search and how many share it', async () => {
    expect(await answer('topClickCount')).toEqual([oracle.topClickCount(SEARCHES)]);
  });

  test('04b engagement by type: clicks per search, share of searches and of user-days', async () => {
    expect(await answer('engagementByType')).toEqual(oracle.engagementByType(SEARCHES));
  });

  test('05 daily trends: day-over-day change, 7-day average, z-scores', async () => {
    expect(await answer('dailyTrends')).toEqual(oracle.dailyTrends(STATS));
  });

  test('05b weekday pattern', async () => {
    expect(await answer('weekdayPattern')).toEqual(oracle.weekdayPattern(STATS));
  });

  test('05c days that stand out', async () => {
    expect(await answer('standoutDays')).toEqual(oracle.standoutDays(STATS));
  });
});

describe('the definitions hold on the cases built for them', () => {
  test('a search id ranks by its clicks over all its valid searches; ties go to more users, then the lower id', async () => {
    const ties = await createWarehouse();
    const row = (searchId: number, userId: string, searchSeq: number, clicks: number): ValidSearch => ({
      day: '2021-07-02',
      userId,
      searchSeq,
      searchId,
      clicks,
      listings: 5,
      type: 'Rental',
      typeBucket: 'rental',
    });
    // 40 = 20 + 20 (two users) beats 40 = 20 + 20 (one user); 30 + 10 from id 8 and id 9 tie fully.
    await loadRows(
      ties,
      [],
      [
        row(9, 'u1', 1, 30),
        row(9, 'u1', 2, 10),
        row(8, 'u2', 1, 30),
        row(8, 'u2', 2, 10),
        row(5, 'u3', 1, 20),
        row(5, 'u4', 1, 20),
        row(6, 'u5', 1, 39),
        row(4, 'u6', 1, 41),
      ],
    );
    const top = normalizeRows(
      (await ties.query<Record<string, unknown>>(questionSql('mostEngagingSearches'))).rows,
    );
    await ties.close();
    expect(top.map((r) => [r.search_id, r.total_clicks, r.num_users])).toEqual([
      [4, 41, 1],
      [5, 40, 2],
      [8, 40, 1],
      [9, 40, 1],
      [6, 39, 1],
    ]);
  });

  test('the spike day stands out on both measures and no other day does', async () => {
    const standouts = await answer('standoutDays');
    expect(standouts.map((r) => [r.day, r.measure, r.direction])).toEqual([
      ['2021-07-07', 'valid_searches', 'above'],
      ['2021-07-07', 'users', 'above'],
    ]);
    const flagged = (await answer('dailyTrends')).filter((r) => r.is_standout === true).map((r) => r.day);
    expect(flagged).toEqual(['2021-07-07']);
  });

  test('day-over-day change is empty after a gap and the 7-day average waits for 7 consecutive days', async () => {
    const trends = new Map((await answer('dailyTrends')).map((r) => [r.day, r]));
    expect(trends.get('2021-07-01')?.searches_change).toBeNull();
    expect(trends.get('2021-07-12')?.searches_change).toBeNull();
    expect(trends.get('2021-07-02')?.searches_change).toEqual(expect.any(Number));
    expect(trends.get('2021-07-06')?.searches_avg_7d).toBeNull();
    expect(trends.get('2021-07-07')?.searches_avg_7d).toEqual(expect.any(Number));
    expect(trends.get('2021-07-12')?.searches_avg_7d).toBeNull();
  });

  test('a loaded day with no valid search is counted, not dropped', async () => {
    const perDay = await answer('searchesPerDay');
    expect(perDay.find((r) => r.day === '2021-07-12')).toMatchObject({
      num_valid_searches: 0,
      num_unique_search_ids: 0,
    });
    expect((await answer('usersPerDay')).find((r) => r.day === '2021-07-12')).toEqual({
      day: '2021-07-12',
      num_users: 0,
      valid_searches_per_user: null,
    });
  });

  test('no column is NUMERIC (which drivers hand back as a string): counts are integers, ratios doubles', async () => {
    const NUMERIC = 1700;
    const numericColumns: string[] = [];
    for (const name of Object.keys(QUESTION_FILES) as QuestionName[]) {
      const { fields } = await db.query(questionSql(name));
      for (const field of fields)
        if (field.dataTypeID === NUMERIC) numericColumns.push(`${name}.${field.name}`);
    }
    expect(numericColumns).toEqual([]);
  });
});

describe('on an empty warehouse', () => {
  let empty: PGlite;
  beforeAll(async () => {
    empty = await createWarehouse();
  });
  afterAll(async () => {
    await empty.close();
  });

  test('every question runs; the summary says 0 days and every type bucket is listed with zeros', async () => {
    const run = async (name: QuestionName) =>
      normalizeRows((await empty.query<Record<string, unknown>>(questionSql(name))).rows);
    for (const name of Object.keys(QUESTION_FILES) as QuestionName[])
      await expect(run(name)).resolves.toBeDefined();
    expect(await run('periodSummary')).toEqual([oracle.periodSummary([], [])]);
    expect((await run('engagementByType')).map((r) => [r.type_bucket, r.num_valid_searches])).toEqual([
      ['rental', 0],
      ['sale', 0],
      ['none', 0],
    ]);
    expect(await run('standoutDays')).toEqual([]);
  });
});
