/**
 * The load step's core: replace one day in `search_stats` and `valid_searches` in one transaction,
 * built from the statements in `sql/load/` (file-name order) and named parameters from the clean
 * step's result. The warehouse is passed in: Redshift Data API in Lambda, PGlite/PostgreSQL locally.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import type { LoadResult } from '../shared/step-payloads';
import { InvalidRequest } from '../shared/errors';
import { hasLiteral } from '../shared/sql-dialect';
import { readSqlFolder, type SqlFile } from '../shared/sql-files';
import type { LoadInput } from './load-input';
import {
  MANIFEST_URI_PLACEHOLDER,
  type Warehouse,
  type WarehouseBatch,
  type WarehouseReader,
} from './warehouse-batch';

export interface LoadDeps {
  readonly warehouse: Warehouse & WarehouseReader;
  readonly logger: Logger;
  /** The clock for `loaded_at` and timings. @default () => new Date() */
  readonly now?: () => Date;
  /** Where `sql/` is. @default defaultSqlRoots() */
  readonly sqlRoots?: readonly string[];
}

/** `YYYY-MM-DD HH:MM:SS.mmm` (UTC): a TIMESTAMP literal both dialects CAST the same way. */
export function timestampText(at: Date): string {
  return at.toISOString().replace('T', ' ').replace('Z', '');
}

/** Byte limits of the VARCHAR lineage columns (Redshift counts bytes; a CAST would truncate). */
const VARCHAR_BYTES = { source_key: 1024, source_etag: 128, run_id: 128, code_version: 64 } as const;

/** The day's load batch: every file of `sql/load/`, with the parameters they share. */
export function buildLoadBatch(input: LoadInput, loadedAt: Date, files: readonly SqlFile[]): WarehouseBatch {
  const { aggregates: a, counts: c } = input;
  const parameters: Record<string, string> = {
    day: input.date,
    num_users: String(a.numUsers),
    num_searches: String(a.numSearches),
    num_rental_searches: String(a.numRentalSearches),
    num_sale_searches: String(a.numSaleSearches),
    num_none_searches: String(a.numNoneSearches),
    rows_read: String(c.read),
    rows_kept: String(c.kept),
    rows_duplicate: String(c.duplicate),
    rows_rejected: String(c.rejected),
    source_key: input.source.key,
    source_etag: input.source.etag,
    run_id: input.runId,
    code_version: input.codeVersion,
    loaded_at: timestampText(loadedAt),
  };
  for (const [name, limit] of Object.entries(VARCHAR_BYTES)) {
    const bytes = Buffer.byteLength(parameters[name] ?? '', 'utf8');
    if (bytes > limit)
      throw new InvalidRequest(`${name} is ${bytes} bytes; the column holds at most ${limit}`);
  }
  const manifest = { bucket: input.outputs.bucket, key: input.outputs.validSearchesManifestKey };
  return {
    label: `load-${input.date}`,
    statements: files.map((file) =>
      hasLiteral(file.text, MANIFEST_URI_PLACEHOLDER)
        ? { name: file.name, sql: file.text, copyManifest: manifest }
        : { name: file.name, sql: file.text },
    ),
    parameters,
  };
}

/** The ETag of the day file version the warehouse holds for `date`; undefined when the day is not loaded. */
export async function loadedEtag(deps: LoadDeps, date: string): Promise<string | undefined> {
  const [file] = readSqlFolder('load-check', deps.sqlRoots).filter((f) =>
    f.name.endsWith('select_loaded_etag.sql'),
  );
  if (file === undefined) throw new InvalidRequest('sql/load-check/select_loaded_etag.sql is missing');
  const [etag] = await deps.warehouse.queryColumn(
    `loaded-etag-${date}`,
    { name: file.name, sql: file.text },
    { day: date },
  );
  return etag;
}

/**
 * Replaces the day's rows in the warehouse; idempotent (loading twice leaves the same rows). With
 * `skipIfLoaded` (a run started for one version of the day file), it first reads the day's loaded
 * ETag and, when it is the run's, loads nothing and says so (`skipped: 'AlreadyLoaded'`).
 */
export async function loadDay(deps: LoadDeps, input: LoadInput): Promise<LoadResult> {
  const now = deps.now ?? (() => new Date());
  const started = now();
  if (input.skipIfLoaded === true) {
    const loaded = await loadedEtag(deps, input.date);
    if (loaded === input.source.etag) {
      const skipped: LoadResult = {
        date: input.date,
        runId: input.runId,
        searchStatsRows: 0,
        validSearchRows: 0,
        statementId: 'none',
        millis: now().getTime() - started.getTime(),
        skipped: 'AlreadyLoaded',
      };
      deps.logger.info('skipped: the day already holds this version of its file', {
        ...skipped,
        etag: loaded,
      });
      return skipped;
    }
    deps.logger.info('the day holds another version of its file, or none: loading', {
      loadedEtag: loaded ?? null,
      etag: input.source.etag,
    });
  }
  const batch = buildLoadBatch(input, started, readSqlFolder('load', deps.sqlRoots));
  deps.logger.info('loading day', {
    date: input.date,
    runId: input.runId,
    statements: batch.statements.map((s) => s.name),
    manifest: `s3://${input.outputs.bucket}/${input.outputs.validSearchesManifestKey}`,
    expectedValidSearches: input.aggregates.numSearches,
  });
  const outcome = await deps.warehouse.runBatch(batch);
  const copyIndex = batch.statements.findIndex((s) => s.copyManifest !== undefined);
  // 060_check_day_consistency.sql verified both counts inside the transaction; report the warehouse's
  // own COPY count when it gives one.
  const result: LoadResult = {
    date: input.date,
    runId: input.runId,
    searchStatsRows: 1,
    validSearchRows: outcome.rowCounts[copyIndex] ?? input.aggregates.numSearches,
    statementId: outcome.statementId,
    millis: now().getTime() - started.getTime(),
  };
  deps.logger.info('loaded day', { ...result });
  return result;
}
