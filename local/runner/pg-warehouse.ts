/**
 * The warehouse for local runs and tests: the same `sql/` statements, rendered for PostgreSQL, on
 * PGlite (persisted at `dataDir`, or in memory) or on a real PostgreSQL (`url`). A batch is one
 * BEGIN..COMMIT (ROLLBACK on any error), or one statement outside a transaction when it is marked
 * `autocommit`; batches and queries run one at a time (PGlite is a single connection; a mutex
 * serializes them for both engines), so concurrent days are safe.
 *
 * COPY differs from Redshift only in where the bytes come from: the manifest and its files are read
 * from S3 with the given client and fed to `COPY ... FROM '/dev/blob'` (PGlite) or `FROM STDIN` (pg).
 */
import { randomUUID } from 'node:crypto';
import { Logger } from '@aws-lambda-powertools/logger';
import type { S3Client } from '@aws-sdk/client-s3';
import { isRetryableDataApiError } from '../../lambdas/load/redshift-data-api';
import { checkS3Location } from '../../lambdas/load/s3-uri';
import {
  MANIFEST_URI_PLACEHOLDER,
  checkAutocommitBatch,
  type BatchOutcome,
  type WarehouseBatch,
  type WarehouseStatement,
} from '../../lambdas/load/warehouse-batch';
import { InvalidRequest, WarehouseStatementFailed, WarehouseUnavailable } from '../../lambdas/shared/errors';
import {
  checkBatchParameters,
  hasLiteral,
  renderSql,
  substituteLiteral,
  toPositional,
} from '../../lambdas/shared/sql-dialect';
import {
  applyMigrations,
  type MigrateResult,
  type MigrationTarget,
} from '../../lambdas/migrate/apply-migrations';
import { readCopySource } from './pg-copy-source';
import {
  openPglite,
  openPostgres,
  PgConnectionLost,
  type PgDriver,
  type PgSession,
  type QueryResult,
  type Row,
} from './pg-driver';

export interface LocalWarehouseOptions {
  /** PGlite data directory. @default in memory (when `url` is not given either) */
  readonly dataDir?: string;
  /** A PostgreSQL connection string; when given, `dataDir` is ignored. */
  readonly url?: string;
  /** Reads COPY manifests and the files they list. */
  readonly s3: S3Client;
  /** Where `sql/` is. @default defaultSqlRoots() */
  readonly sqlRoots?: readonly string[];
  /** Logs the migrations. @default a silent logger */
  readonly logger?: Logger;
  /** Runs before each statement of a batch, inside its transaction (fault injection in tests). */
  readonly beforeStatement?: BeforeStatementHook;
}

/** Where a batch is: its label, the statement about to run (0-based) and its name. */
export interface StatementPoint {
  readonly batch: string;
  readonly index: number;
  readonly name: string;
}
export type BeforeStatementHook = (point: StatementPoint) => Promise<void>;

export interface LocalWarehouse extends MigrationTarget {
  readonly engine: 'pglite' | 'postgres';
  /**
   * Applies the `sql/schema/` migrations not recorded in `schema_migrations` yet, each in its own
   * transaction with its version row (`lambdas/migrate/apply-migrations.ts`, as on Redshift).
   */
  migrate(): Promise<MigrateResult>;
  /** One query with `$1..$n` parameters. DATE/TIMESTAMP come back as text, BIGINT as a number. */
  query(sql: string, params?: unknown[]): Promise<Record<string, unknown>[]>;
  /** `query`, with the result's column names, known even when there is no row. */
  queryTable(sql: string, params?: unknown[]): Promise<QueryResult>;
  close(): Promise<void>;
}

/** Runs async functions one at a time, in call order. */
function serializer(): <T>(fn: () => Promise<T>) => Promise<T> {
  let tail: Promise<unknown> = Promise.resolve();
  return (fn) => {
    const run = tail.then(fn, fn);
    tail = run.catch(() => undefined);
    return run;
  };
}

/**
 * What a retry can fix: PostgreSQL's serialization/deadlock (40), connection (08) and shutdown (57P)
 * classes, and a lost connection (a server restart or stop; the driver reconnects on the next use).
 * On AWS the Data API reports these as a retryable service error, which Load's retry policy retries.
 */
function isTransientPgError(error: unknown): boolean {
  if (error instanceof PgConnectionLost) return true;
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^(40|08|57P)/.test(code);
}

function statementError(batch: WarehouseBatch, index: number, id: string, error: unknown): Error {
  if (error instanceof InvalidRequest) return error;
  const statement = batch.statements[index] as WarehouseStatement;
  const text = error instanceof Error ? error.message : String(error);
  const message = `${batch.label}: statement ${id} failed at statement ${index + 1} of ${batch.statements.length} (${statement.name}): ${text}`;
  const transient =
    isTransientPgError(error) ||
    (!(error instanceof WarehouseStatementFailed) && isRetryableDataApiError(error));
  return transient
    ? new WarehouseUnavailable(message, { cause: error })
    : new WarehouseStatementFailed(message, { cause: error });
}

export async function openLocalWarehouse(opts: LocalWarehouseOptions): Promise<LocalWarehouse> {
  const driver: PgDriver =
    opts.url !== undefined ? await openPostgres(opts.url) : await openPglite(opts.dataDir);
  const exclusive = serializer();

  const runStatement = async (
    session: PgSession,
    statement: WarehouseStatement,
    parameters: Readonly<Record<string, string>>,
  ) => {
    const sql = renderSql(statement.sql, 'postgres');
    if (statement.copyManifest === undefined) {
      if (hasLiteral(sql, MANIFEST_URI_PLACEHOLDER)) {
        throw new WarehouseStatementFailed(`${statement.name} has a COPY source placeholder but no manifest`);
      }
      const { text, values } = toPositional(sql, parameters);
      return (await session.query(text, values)).rowCount;
    }
    const files = await readCopySource(opts.s3, checkS3Location(statement.copyManifest, 'copyManifest'));
    let rows = 0;
    for (const file of files) {
      // COPY takes no bind parameters; a COPY statement in sql/ uses none.
      const copied = await session.copyFrom(
        (source) => substituteLiteral(sql, MANIFEST_URI_PLACEHOLDER, source),
        file.bytes,
      );
      rows += copied ?? 0;
    }
    return rows;
  };

  const runBatch = async (batch: WarehouseBatch): Promise<BatchOutcome> => {
    checkAutocommitBatch(batch);
    checkBatchParameters(
      batch.statements.map((s) => renderSql(s.sql, 'postgres')),
      batch.parameters,
    );
    const statementId = `local:${randomUUID()}`;
    const rowCounts: (number | undefined)[] = [];
    const runAll = async (session: PgSession): Promise<void> => {
      for (const [index, statement] of batch.statements.entries()) {
        try {
          await opts.beforeStatement?.({ batch: batch.label, index, name: statement.name });
          rowCounts.push(await runStatement(session, statement, batch.parameters));
        } catch (error) {
          throw statementError(batch, index, statementId, error);
        }
      }
    };
    try {
      // autocommit: outside any transaction block, as Redshift runs an AUTO_COMMIT batch.
      await (batch.autocommit === true ? runAll(driver.session) : driver.transaction(runAll));
    } catch (error) {
      if (
        error instanceof WarehouseStatementFailed ||
        error instanceof WarehouseUnavailable ||
        error instanceof InvalidRequest
      ) {
        throw error;
      }
      // BEGIN/COMMIT themselves failed (connection lost, commit-time conflict).
      const text = error instanceof Error ? error.message : String(error);
      throw new WarehouseUnavailable(`${batch.label}: transaction ${statementId} failed: ${text}`, {
        cause: error,
      });
    }
    return { statementId, rowCounts };
  };

  const warehouse: LocalWarehouse = {
    engine: driver.engine,

    runBatch: (batch: WarehouseBatch): Promise<BatchOutcome> => exclusive(() => runBatch(batch)),

    async queryColumn(
      label: string,
      statement: WarehouseStatement,
      parameters: Readonly<Record<string, string>> = {},
    ): Promise<string[]> {
      const sql = renderSql(statement.sql, 'postgres');
      try {
        checkBatchParameters([sql], parameters);
        const { text, values } = toPositional(sql, parameters);
        const { rows } = await exclusive(() => driver.query(text, values));
        // NULLs left out, as the Data API warehouse does.
        return rows.flatMap((row) => {
          const value = Object.values(row)[0];
          return value === null || value === undefined ? [] : [String(value)];
        });
      } catch (error) {
        const text = error instanceof Error ? error.message : String(error);
        throw new WarehouseStatementFailed(`${label} (${statement.name}): ${text}`, { cause: error });
      }
    },

    migrate(): Promise<MigrateResult> {
      return applyMigrations({
        target: warehouse,
        logger: opts.logger ?? new Logger({ serviceName: 'migrate', logLevel: 'SILENT' }),
        ...(opts.sqlRoots ? { sqlRoots: opts.sqlRoots } : {}),
      });
    },

    query: async (sql: string, params?: unknown[]): Promise<Row[]> =>
      (await exclusive(() => driver.query(sql, params))).rows,
    queryTable: (sql: string, params?: unknown[]): Promise<QueryResult> =>
      exclusive(() => driver.query(sql, params)),

    close: () => exclusive(() => driver.close()),
  };
  return warehouse;
}
