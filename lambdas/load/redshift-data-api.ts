/**
 * Redshift Data API pieces shared by the load (`redshift-data-warehouse.ts`) and the schema custom
 * resource (`lambdas/migrate`): where statements run, which errors a retry can fix, and the text of a
 * failed batch (the failing sub-statement's error, not just "FAILED").
 */
import type { DescribeStatementResponse } from '@aws-sdk/client-redshift-data';
import { WarehouseStatementFailed, WarehouseUnavailable } from '../shared/errors';

/** Where the Data API runs statements, with IAM temporary credentials (no secret, no password). */
export type RedshiftTarget =
  | { readonly workgroupName: string; readonly database: string }
  | {
      readonly clusterIdentifier: string;
      readonly database: string;
      /** Database user for GetClusterCredentials; omitted: the caller's IAM identity (GetClusterCredentialsWithIAM). */
      readonly dbUser?: string;
    };

/** The Data API request fields that name the target. */
export function targetInput(target: RedshiftTarget): {
  Database: string;
  WorkgroupName?: string;
  ClusterIdentifier?: string;
  DbUser?: string;
} {
  if ('workgroupName' in target) return { WorkgroupName: target.workgroupName, Database: target.database };
  return target.dbUser === undefined
    ? { ClusterIdentifier: target.clusterIdentifier, Database: target.database }
    : { ClusterIdentifier: target.clusterIdentifier, DbUser: target.dbUser, Database: target.database };
}

/** A short name for the target, for messages and physical ids. */
export function targetName(target: RedshiftTarget): string {
  return `${'workgroupName' in target ? target.workgroupName : target.clusterIdentifier}/${target.database}`;
}

const RETRYABLE_NAMES = new Set([
  'ActiveStatementsExceededException',
  'ActiveWaitingRequestsExceededException',
  'ActiveSessionsExceededException',
  'ThrottlingException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'InternalServerException',
  'DatabaseConnectionException',
  'BatchExecuteStatementException', // "an environmental error while running"
  'ExecuteStatementException',
  'QueryTimeoutException',
  'ServiceUnavailable',
  'TimeoutError',
]);
const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN']);

interface SdkErrorShape {
  name?: unknown;
  code?: unknown;
  $fault?: unknown;
  $retryable?: { throttling?: boolean };
  $metadata?: { httpStatusCode?: number };
}

/** Whether a Data API call's error is one a retry can fix (busy, throttled, 5xx, network). */
export function isRetryableDataApiError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const e = error as SdkErrorShape;
  const status = e.$metadata?.httpStatusCode;
  return (
    (typeof e.name === 'string' && RETRYABLE_NAMES.has(e.name)) ||
    e.$retryable?.throttling === true ||
    e.$fault === 'server' ||
    (status !== undefined && (status >= 500 || status === 429)) ||
    (typeof e.code === 'string' && NETWORK_CODES.has(e.code))
  );
}

/** Maps a Data API call's error to the pipeline's errors, keeping it as `cause`. */
export function toWarehouseError(
  error: unknown,
  action: string,
): WarehouseUnavailable | WarehouseStatementFailed {
  const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return isRetryableDataApiError(error)
    ? new WarehouseUnavailable(`${action}: ${detail}`, { cause: error })
    : new WarehouseStatementFailed(`${action}: ${detail}`, { cause: error });
}

/** SQL errors that are about timing, not the statement: retrying the whole batch can succeed. */
const TRANSIENT_SQL_ERRORS = [/serializable isolation violation/i, /deadlock detected/i];

export function isTransientSqlError(text: string): boolean {
  return TRANSIENT_SQL_ERRORS.some((pattern) => pattern.test(text));
}

export interface StatementFailure {
  /** 1-based position of the failing sub-statement in the batch, when the Data API says which. */
  readonly position?: number;
  /** The error text from the warehouse. */
  readonly error: string;
}

/** The failing sub-statement of a FAILED batch and its error text (or the batch's own error). */
export function statementFailure(description: DescribeStatementResponse): StatementFailure {
  const subs = description.SubStatements ?? [];
  const index = [subs.findIndex((s) => s.Status === 'FAILED'), subs.findIndex((s) => s.Error)].find(
    (i) => i >= 0,
  );
  const sub = index === undefined ? undefined : subs[index];
  const error = sub?.Error ?? description.Error ?? 'no error text returned';
  if (index === undefined || sub === undefined) return { error };
  const suffix = /:(\d+)$/.exec(sub.Id ?? '');
  return { position: suffix ? Number(suffix[1]) : index + 1, error };
}
