/**
 * Applies the `sql/schema/` migrations that a database has not recorded yet, one at a time, in file
 * order: each in one transaction with its `schema_migrations` row (so a failing file leaves neither
 * a change nor a row), or, for a file marked `-- migrate: no-transaction`, on its own and then
 * recorded. The same code runs on Redshift (Data API: a transaction is one BatchExecuteStatement) and
 * on PostgreSQL / PGlite locally (BEGIN..COMMIT); only the {@link MigrationTarget} differs.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import { readSqlFolder, type SqlFile } from '../shared/sql-files';
import { InvalidRequest, WarehouseStatementFailed } from '../shared/errors';
import type { Warehouse, WarehouseReader, WarehouseStatement } from '../load/warehouse-batch';
import { timestampText } from '../load/load-day';
import { migrationsFrom, pendingMigrations, type Migration } from './migration-files';

/** A warehouse that can also read one column of a query's rows, as text. */
export interface MigrationTarget extends Warehouse, WarehouseReader {}

export interface MigrateDeps {
  readonly target: MigrationTarget;
  readonly logger: Logger;
  /** The clock for `applied_at`. @default () => new Date() */
  readonly now?: () => Date;
  /** Where `sql/` is. @default defaultSqlRoots() */
  readonly sqlRoots?: readonly string[];
  /** Asked before each migration; false stops (the rest stays pending for the next call). @default always true */
  readonly hasTimeLeft?: () => boolean;
}

export interface MigrateResult {
  /** Versions applied by this call, in order. */
  readonly applied: string[];
  /** Versions still pending (this call ran out of time before them). */
  readonly pending: string[];
  /** Versions that were recorded before this call. */
  readonly alreadyApplied: string[];
  /** `may-need-admin` versions that failed (not recorded; tried again on the next call). */
  readonly blocked: string[];
}

function bookkeeping(roots: readonly string[] | undefined): Record<'create' | 'select' | 'insert', SqlFile> {
  const files = readSqlFolder('migrate', roots);
  const file = (name: string): SqlFile => {
    const found = files.find((f) => f.name === `migrate/${name}.sql`);
    if (!found) throw new InvalidRequest(`sql/migrate/${name}.sql is missing`);
    return found;
  };
  return {
    create: file('create_schema_migrations'),
    select: file('select_applied_versions'),
    insert: file('insert_applied_version'),
  };
}

const asStatement = (file: SqlFile): WarehouseStatement => ({ name: file.name, sql: file.text });

/** Applies every pending migration (or as many as time allows); re-running applies nothing new. */
export async function applyMigrations(deps: MigrateDeps): Promise<MigrateResult> {
  const now = deps.now ?? (() => new Date());
  const sql = bookkeeping(deps.sqlRoots);
  const migrations = migrationsFrom(readSqlFolder('schema', deps.sqlRoots));
  const { target, logger } = deps;

  await target.runBatch({
    label: 'migrate-versions-table',
    statements: [asStatement(sql.create)],
    parameters: {},
  });
  const recorded = await target.queryColumn('migrate-applied-versions', asStatement(sql.select));
  const pending = pendingMigrations(migrations, new Set(recorded));
  logger.info('schema migrations', {
    recorded,
    pending: pending.map((m) => m.name),
  });

  const applied: string[] = [];
  const blocked: string[] = [];
  let done = 0;
  for (const migration of pending) {
    if (deps.hasTimeLeft && !deps.hasTimeLeft()) break;
    done += 1;
    try {
      await applyOne(target, migration, asStatement(sql.insert), now());
    } catch (error) {
      if (!(migration.mayNeedAdmin && error instanceof WarehouseStatementFailed)) throw error;
      logger.warn('migration blocked: it may need an administrator (README "Querying")', {
        version: migration.version,
        file: migration.name,
        error: error.message,
      });
      blocked.push(migration.version);
      continue;
    }
    logger.info('applied migration', { version: migration.version, file: migration.name });
    applied.push(migration.version);
  }
  return {
    applied,
    pending: pending.slice(done).map((m) => m.version),
    alreadyApplied: recorded,
    blocked,
  };
}

async function applyOne(
  target: MigrationTarget,
  migration: Migration,
  record: WarehouseStatement,
  appliedAt: Date,
): Promise<void> {
  const label = `migrate-${migration.version}`;
  const parameters = {
    version: migration.version,
    name: migration.name,
    applied_at: timestampText(appliedAt),
  };
  if (migration.transactional) {
    await target.runBatch({ label, statements: [migration.statement, record], parameters });
    return;
  }
  await target.runBatch({ label, statements: [migration.statement], parameters: {}, autocommit: true });
  await target.runBatch({ label: `${label}-record`, statements: [record], parameters });
}
