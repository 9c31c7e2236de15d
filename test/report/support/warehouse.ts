import type { PGlite } from '@electric-sql/pglite';
import { freshPglite } from '../../support/pglite';
import type { DayStats, ValidSearch } from './period-fixture';

/** An in-memory PostgreSQL (PGlite) with the warehouse tables from sql/schema. */
export const createWarehouse = freshPglite;

function literal(value: string | number): string {
  return typeof value === 'number' ? String(value) : `'${value.replace(/'/g, "''")}'`;
}

/** Inserts the rows as the Load step would leave them: one search_stats row per day, the valid searches. */
export async function loadRows(
  db: PGlite,
  stats: readonly DayStats[],
  searches: readonly ValidSearch[],
): Promise<void> {
  await db.exec('DELETE FROM search_stats; DELETE FROM valid_searches;');
  if (stats.length > 0) {
    const values = stats.map((s) =>
      [
        `CAST(${literal(s.day)} AS DATE)`,
        s.numUsers,
        s.numSearches,
        s.numRental,
        s.numSale,
        s.numNone,
        s.numUsers,
        s.numUsers,
        0,
        0,
        literal(`user-data/session_user_data${s.day.replace(/-/g, '')}.zip`),
        literal('"etag"'),
        literal(`run-${s.day}`),
        literal('test'),
        'CURRENT_TIMESTAMP',
      ].join(', '),
    );
    await db.exec(`INSERT INTO search_stats VALUES (${values.join('), (')})`);
  }
  for (let i = 0; i < searches.length; i += 500) {
    const values = searches
      .slice(i, i + 500)
      .map((v) =>
        [
          `CAST(${literal(v.day)} AS DATE)`,
          literal(v.userId),
          v.searchSeq,
          v.searchId,
          v.clicks,
          literal(v.day.replace(/-/g, '')),
          v.listings,
          literal(v.type),
          literal(v.typeBucket),
        ].join(', '),
      );
    await db.exec(
      `INSERT INTO valid_searches (day, user_id, search_seq, search_id, clicks, created_at, listings, type, type_bucket)
       VALUES (${values.join('), (')})`,
    );
  }
}
