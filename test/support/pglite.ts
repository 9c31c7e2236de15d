/**
 * A fresh in-memory PGlite with the warehouse schema (`sql/schema/`, rendered for PostgreSQL)
 * applied, for SQL tests. Open one per test file (beforeAll) and reset the tables between tests
 * with {@link clearWarehouseTables}.
 *
 * A new PGlite runs initdb (measured here: 4-5x the time of starting from an existing data
 * directory), so the first call on a machine keeps a dump of the initialized database, schema
 * applied (`dumpDataDir`), in the temp directory, and every instance starts from it (`loadDataDir`).
 * Each instance is still its own database: nothing written to one is seen by another. The dump's
 * name hashes PGlite's version and the schema files, so a change to either makes a new one.
 */
import { createHash } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { renderSql } from '../../lambdas/shared/sql-dialect';
import { readSqlFolder } from '../../lambdas/shared/sql-files';

function schemaStatements(): string[] {
  return readSqlFolder('schema').map((file) => renderSql(file.text, 'postgres'));
}

async function dumpFile(statements: readonly string[]): Promise<string> {
  const manifest = path.join(path.dirname(require.resolve('@electric-sql/pglite')), '..', 'package.json');
  const { version } = JSON.parse(await readFile(manifest, 'utf8')) as { version: string };
  const key = createHash('sha256').update(version).update(JSON.stringify(statements)).digest('hex');
  return path.join(os.tmpdir(), `search-stats-test-pglite-${key.slice(0, 16)}.tar`);
}

async function initialized(statements: readonly string[]): Promise<PGlite> {
  const db = await PGlite.create();
  for (const sql of statements) await db.exec(sql);
  return db;
}

/** The dump's bytes, made (and written for the next test file) when there is none yet. */
async function schemaDump(): Promise<Blob> {
  const statements = schemaStatements();
  const file = await dumpFile(statements);
  const kept = await readFile(file).catch(() => undefined);
  if (kept) return new Blob([kept]);
  const db = await initialized(statements);
  try {
    const dump = await db.dumpDataDir('none');
    // Written aside and renamed: a test file running alongside never reads half a dump.
    const tmp = `${file}.${process.pid}.tmp`;
    await writeFile(tmp, Buffer.from(await dump.arrayBuffer()));
    await rename(tmp, file);
    return dump;
  } finally {
    await db.close();
  }
}

let dump: Promise<Blob> | undefined;

export async function freshPglite(): Promise<PGlite> {
  dump ??= schemaDump();
  return PGlite.create({ loadDataDir: await dump });
}

export async function clearWarehouseTables(db: PGlite): Promise<void> {
  await db.exec('DELETE FROM valid_searches; DELETE FROM search_stats;');
}
