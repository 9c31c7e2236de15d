/**
 * The versioned migrations on real SQL engines: PGlite always, and a real PostgreSQL server when
 * TEST_POSTGRES_URL is set (each test gets a database of its own there). The same
 * `applyMigrations` runs on Redshift through the Data API (schema-resource.test.ts).
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger } from '@aws-lambda-powertools/logger';
import { S3Client } from '@aws-sdk/client-s3';
import { Client } from 'pg';
import { applyMigrations } from '../../lambdas/migrate/apply-migrations';
import { WarehouseStatementFailed } from '../../lambdas/shared/errors';
import { renderSql } from '../../lambdas/shared/sql-dialect';
import { defaultSqlRoots, readSqlFolder } from '../../lambdas/shared/sql-files';
import { openLocalWarehouse, type LocalWarehouse } from '../../local/runner/pg-warehouse';
import { describeWith, postgresServer } from '../support/required-parts';

const postgresUrl = process.env['TEST_POSTGRES_URL'];
const ENGINES: { engine: string; url?: string }[] = [
  { engine: 'PGlite' },
  ...(postgresUrl ? [{ engine: 'PostgreSQL', url: postgresUrl }] : []),
];
const ALL_VERSIONS = ['010', '020', '030', '040', '050', '060'];
const unusedS3 = new S3Client({ region: 'us-east-1' });
const logger = new Logger({ serviceName: 'test', logLevel: 'SILENT' });

// Without a server: a visible skip locally, a failure under CI=true (test/support/required-parts.ts).
if (!postgresUrl)
  describeWith(postgresServer(), 'versioned migrations on a real PostgreSQL server', () => undefined);

let fixtureRoot: string;
beforeAll(() => {
  fixtureRoot = mkdtempSync(join(tmpdir(), 'migrations-'));
});
afterAll(() => {
  rmSync(fixtureRoot, { recursive: true, force: true });
  unusedS3.destroy();
});

/** `sql/` with extra schema files after the real ones (the real `migrate/` bookkeeping is used). */
function sqlRootsWith(extra: Record<string, string>): string[] {
  const root = join(fixtureRoot, randomUUID());
  mkdirSync(join(root, 'schema'), { recursive: true });
  for (const file of readSqlFolder('schema')) {
    writeFileSync(join(root, file.name), file.text);
  }
  for (const [name, text] of Object.entries(extra)) writeFileSync(join(root, 'schema', name), text);
  return [root, ...defaultSqlRoots()];
}

describe.each(ENGINES)('migrations on $engine', ({ url }) => {
  const opened: { warehouse: LocalWarehouse; database?: string }[] = [];
  let pglite: LocalWarehouse | undefined;

  afterAll(async () => {
    await pglite?.close();
  });

  /**
   * A new, empty database: on the server a database of its own; on PGlite (slow to start) one
   * instance, emptied: its public schema dropped, and the reader role's grants with it.
   */
  async function emptyWarehouse(): Promise<LocalWarehouse> {
    if (url === undefined) {
      pglite ??= await openLocalWarehouse({ s3: unusedS3 });
      await pglite.query('DROP SCHEMA public CASCADE');
      await pglite.query('CREATE SCHEMA public');
      const role = await pglite.query(`SELECT 1 FROM pg_roles WHERE rolname = 'search_stats_reader'`);
      if (role.length > 0) await pglite.query('DROP OWNED BY search_stats_reader');
      return pglite;
    }
    const database = `migrations_${randomUUID().replace(/-/g, '')}`;
    const admin = new Client({ connectionString: url });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${database}`);
    await admin.end();
    const databaseUrl = new URL(url);
    databaseUrl.pathname = `/${database}`;
    const warehouse = await openLocalWarehouse({ s3: unusedS3, url: databaseUrl.toString() });
    opened.push({ warehouse, database });
    return warehouse;
  }

  /** What `warehouse.migrate()` runs, with other migration files. */
  const migrate = (warehouse: LocalWarehouse, sqlRoots: string[]) =>
    applyMigrations({ target: warehouse, logger, sqlRoots });

  afterEach(async () => {
    for (const { warehouse, database } of opened.splice(0)) {
      await warehouse.close();
      if (database !== undefined && url !== undefined) {
        const admin = new Client({ connectionString: url });
        await admin.connect();
        await admin.query(`DROP DATABASE IF EXISTS ${database}`);
        await admin.end();
      }
    }
  });

  /** Today's schema before versioning: the two tables, created as the old migrations did, and a row. */
  async function oldSchema(warehouse: LocalWarehouse): Promise<void> {
    for (const file of readSqlFolder('schema').slice(0, 2))
      await warehouse.query(renderSql(file.text, 'postgres'));
    await warehouse.query(
      `INSERT INTO search_stats VALUES ('2021-07-02', 2, 3, 1, 1, 1, 4, 3, 1, 0, 'k', 'e', 'r', 'v', '2021-07-03 00:30:00')`,
    );
  }

  const versions = (warehouse: LocalWarehouse) =>
    warehouse.query('SELECT version, name, applied_at FROM schema_migrations ORDER BY version');

  const readable = async (warehouse: LocalWarehouse, table: string) =>
    (
      await warehouse.query(`SELECT has_table_privilege('search_stats_reader', $1, 'SELECT') AS ok`, [table])
    )[0]?.['ok'];

  test('an old-schema database is upgraded: every file applied once and recorded, the rows kept, readers can select', async () => {
    const warehouse = await emptyWarehouse();
    await oldSchema(warehouse);

    const result = await warehouse.migrate();

    expect(result).toEqual({ applied: ALL_VERSIONS, pending: [], alreadyApplied: [], blocked: [] });
    expect((await versions(warehouse)).map((row) => [row['version'], row['name']])).toEqual(
      readSqlFolder('schema').map((file) => [
        file.name.slice('schema/'.length, 'schema/'.length + 3),
        file.name,
      ]),
    );
    expect(await warehouse.query('SELECT day, num_searches FROM search_stats')).toEqual([
      { day: '2021-07-02', num_searches: 3 },
    ]);
    expect(await readable(warehouse, 'search_stats')).toBe(true);
    expect(await readable(warehouse, 'valid_searches')).toBe(true);
  });

  test('a second apply is a no-op, even with a migration that could not run twice', async () => {
    const sqlRoots = sqlRootsWith({
      '070_search_stats_note.sql': 'ALTER TABLE search_stats ADD COLUMN note VARCHAR(16);\n',
    });
    const warehouse = await emptyWarehouse();
    await migrate(warehouse, sqlRoots);
    const before = await versions(warehouse);

    const again = await migrate(warehouse, sqlRoots);

    expect(again).toEqual({
      applied: [],
      pending: [],
      alreadyApplied: [...ALL_VERSIONS, '070'],
      blocked: [],
    });
    expect(await versions(warehouse)).toEqual(before);
  });

  test('a re-deploy applies only the new file, to the existing table, and readers can read a table created later', async () => {
    const first = await emptyWarehouse();
    await oldSchema(first);
    await first.migrate();
    const applied = await versions(first);
    const later = {
      '070_search_stats_note.sql': 'ALTER TABLE search_stats ADD COLUMN note VARCHAR(16);\n',
      '080_daily_notes.sql': 'CREATE TABLE daily_notes (day DATE NOT NULL, note VARCHAR(64) NOT NULL);\n',
    };
    // A re-deploy: the same database, the same migration code, two more files.
    const redeployed = first;

    const result = await migrate(redeployed, sqlRootsWith(later));

    expect(result.applied).toEqual(['070', '080']);
    expect((await versions(redeployed)).slice(0, applied.length)).toEqual(applied);
    expect(await redeployed.query('SELECT day, note FROM search_stats')).toEqual([
      { day: '2021-07-02', note: null },
    ]);
    expect(await readable(redeployed, 'daily_notes')).toBe(true);
  });

  test('a may-need-admin migration that fails is blocked, not recorded, and does not stop the others; the next run tries it again', async () => {
    const sqlRoots = sqlRootsWith({
      '070_needs_admin.sql':
        '-- migrate: may-need-admin\nGRANT SELECT ON TABLE no_such_table TO search_stats_reader;\n',
      '080_search_stats_note.sql': 'ALTER TABLE search_stats ADD COLUMN note VARCHAR(16);\n',
    });
    const warehouse = await emptyWarehouse();

    const first = await migrate(warehouse, sqlRoots);
    const second = await migrate(warehouse, sqlRoots);

    expect(first).toEqual({
      applied: [...ALL_VERSIONS, '080'],
      pending: [],
      alreadyApplied: [],
      blocked: ['070'],
    });
    expect(second).toEqual({
      applied: [],
      pending: [],
      alreadyApplied: [...ALL_VERSIONS, '080'],
      blocked: ['070'],
    });
    expect((await versions(warehouse)).map((row) => row['version'])).toEqual([...ALL_VERSIONS, '080']);
  });

  test('a failing migration leaves no version row and no change, keeps the ones before it, and stops', async () => {
    const sqlRoots = sqlRootsWith({
      '070_search_stats_note.sql': 'ALTER TABLE search_stats ADD COLUMN note VARCHAR(16);\n',
      // Fails on a table with rows: the new column would be NULL in them.
      '080_search_stats_required.sql': 'ALTER TABLE search_stats ADD COLUMN required INTEGER NOT NULL;\n',
      '090_after.sql': 'CREATE TABLE after_the_failure (day DATE);\n',
    });
    const warehouse = await emptyWarehouse();
    await oldSchema(warehouse);

    await expect(migrate(warehouse, sqlRoots)).rejects.toThrow(WarehouseStatementFailed);
    await expect(migrate(warehouse, sqlRoots)).rejects.toThrow(/080_search_stats_required\.sql/);

    expect((await versions(warehouse)).map((row) => row['version'])).toEqual([...ALL_VERSIONS, '070']);
    const columns = await warehouse.query(
      `SELECT column_name FROM information_schema.columns WHERE table_name = 'search_stats' AND column_name IN ('note', 'required')`,
    );
    expect(columns).toEqual([{ column_name: 'note' }]);
    expect(await warehouse.query(`SELECT to_regclass('after_the_failure') AS t`)).toEqual([{ t: null }]);
  });
});
