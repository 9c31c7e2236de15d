/**
 * What the load step needs from a warehouse: run a list of statements with shared named parameters
 * as ONE transaction, all or nothing. Statements arrive as written in `sql/` (dialect-neutral); each
 * implementation renders them for its dialect (`lambdas/shared/sql-dialect.ts`):
 *  - Redshift, through the Data API (`redshift-data-warehouse.ts`): one BatchExecuteStatement.
 *  - PostgreSQL or PGlite, for local runs and tests (`local/runner/pg-warehouse.ts`): BEGIN..COMMIT.
 * A batch marked `autocommit` (one statement) runs outside a transaction block instead.
 */

import { InvalidRequest } from '../shared/errors';

/** An S3 object. */
export interface S3Location {
  readonly bucket: string;
  readonly key: string;
}

/**
 * The string literal a COPY statement uses for its source. It cannot be a parameter, so each
 * warehouse substitutes it: Redshift with the quoted `s3://` URI of `copyManifest`, the local
 * warehouse with its own COPY source after reading the manifest.
 */
export const MANIFEST_URI_PLACEHOLDER = '{{manifest_uri}}';

export interface WarehouseStatement {
  /** The file it came from, below `sql/` (e.g. `load/040_copy_valid_searches.sql`): names it in errors. */
  readonly name: string;
  /** The statement as written in `sql/`: dialect comments unresolved, `:name` parameters. */
  readonly sql: string;
  /** For a COPY statement: the manifest whose URI replaces `'{{manifest_uri}}'`. */
  readonly copyManifest?: S3Location;
}

export interface WarehouseBatch {
  /** A short name for logs and the Data API's StatementName, e.g. `load-2021-07-02`. */
  readonly label: string;
  readonly statements: readonly WarehouseStatement[];
  /**
   * Values of the `:name` parameters, shared by all statements. Text, as the Data API takes them
   * (the SQL CASTs); each one must be used by at least one statement and must not be empty.
   */
  readonly parameters: Readonly<Record<string, string>>;
  /**
   * Run the (single) statement on its own, committed by itself, outside any transaction block: for
   * the statements Redshift refuses inside one (e.g. `ALTER TABLE ... ALTER COLUMN ... TYPE`). A
   * batch with this flag must hold exactly one statement. @default false (one transaction)
   */
  readonly autocommit?: boolean;
}

export interface BatchOutcome {
  /** The Data API statement id, or a local marker (`local:<uuid>`). */
  readonly statementId: string;
  /** Rows affected (or returned) per statement, in order; undefined where the warehouse does not say. */
  readonly rowCounts: readonly (number | undefined)[];
}

export interface Warehouse {
  /**
   * Runs the statements in order as one transaction and resolves when it has committed. Rejects with
   * `WarehouseStatementFailed` (a statement or its input is wrong: retrying will not help) or
   * `WarehouseUnavailable` (busy, throttled, unreachable, timed out: a retry may), and then nothing
   * of the batch is visible.
   */
  runBatch(batch: WarehouseBatch): Promise<BatchOutcome>;
}

/** What reads from a warehouse: the migrations' applied versions, Load's loaded ETag. */
export interface WarehouseReader {
  /**
   * Runs one statement (`:name` parameters from `parameters`, each used) and resolves to its
   * result's first column as text, NULLs left out. Rejects as {@link Warehouse.runBatch} does.
   */
  queryColumn(
    label: string,
    statement: WarehouseStatement,
    parameters?: Readonly<Record<string, string>>,
  ): Promise<string[]>;
}

/** Throws unless an `autocommit` batch holds exactly one statement (both warehouses check it). */
export function checkAutocommitBatch(batch: WarehouseBatch): void {
  if (batch.autocommit === true && batch.statements.length !== 1) {
    throw new InvalidRequest(
      `${batch.label}: an autocommit batch runs exactly one statement, got ${batch.statements.length}`,
    );
  }
}
