/**
 * A fresh in-memory PGlite with the warehouse schema (`sql/schema/`, rendered for PostgreSQL)
 * applied, for SQL tests. Starting PGlite takes a few seconds: open one per test file (beforeAll),
 * and reset the tables between tests with {@link clearWarehouseTables}.
 */
import { PGlite } from '@electric-sql/pglite';
import { renderSql } from '../../lambdas/shared/sql-dialect';
import { readSqlFolder } from '../../lambdas/shared/sql-files';

export async function freshPglite(): Promise<PGlite> {
  const db = await PGlite.create();
  for (const file of readSqlFolder('schema')) await db.exec(renderSql(file.text, 'postgres'));
  return db;
}

export async function clearWarehouseTables(db: PGlite): Promise<void> {
  await db.exec('DELETE FROM valid_searches; DELETE FROM search_stats;');
}
