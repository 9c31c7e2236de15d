/**
 * The tables, created at deploy time by a CDK custom resource (provider framework with `isComplete`):
 *  - `onEvent` Create/Update submits every `sql/schema/` file, rendered for Redshift, as ONE
 *    BatchExecuteStatement (one transaction; the files are CREATE TABLE IF NOT EXISTS, so re-running
 *    is harmless) and returns the statement id in `Data`. Delete keeps the tables (and their data).
 *  - `isComplete` describes that statement: FINISHED completes, FAILED/ABORTED fail the deployment
 *    with the failing file's error text, anything else asks the provider to poll again.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import {
  BatchExecuteStatementCommand,
  DescribeStatementCommand,
  type RedshiftDataClient,
} from '@aws-sdk/client-redshift-data';
import * as z from 'zod';
import { InvalidRequest, WarehouseStatementFailed, WarehouseUnavailable } from '../shared/errors';
import { payloadParser } from '../shared/payload-schema';
import { renderSql } from '../shared/sql-dialect';
import { readSqlFolder } from '../shared/sql-files';
import {
  isRetryableDataApiError,
  statementFailure,
  targetInput,
  targetName,
  toWarehouseError,
  type RedshiftTarget,
} from '../load/redshift-data-api';

export interface SchemaDeps {
  readonly client: RedshiftDataClient;
  readonly target: RedshiftTarget;
  readonly logger: Logger;
  /** Where `sql/` is. @default defaultSqlRoots() */
  readonly sqlRoots?: readonly string[];
}

/**
 * The fields of a CloudFormation custom resource event (as the provider framework passes it) used
 * here; the others are ignored.
 */
const SchemaEventSchema = z
  .object(
    {
      RequestType: z.enum(['Create', 'Update', 'Delete'], { error: 'must be Create, Update or Delete' }),
      PhysicalResourceId: z.string({ error: 'must be a string' }).optional(),
      /** On `isComplete`: what `onEvent` returned. */
      Data: z.record(z.string(), z.unknown(), { error: 'must be an object' }).readonly().optional(),
    },
    { error: 'must be an object' },
  )
  .readonly();
export type SchemaEvent = z.output<typeof SchemaEventSchema>;

export interface OnEventResult {
  readonly PhysicalResourceId: string;
  readonly Data?: { readonly StatementId: string };
}

export interface IsCompleteResult {
  readonly IsComplete: boolean;
}

const STATEMENT_NAME = 'search-stats-schema';

/** Reads the fields used from a provider-framework event; throws `InvalidRequest` naming the field. */
export const parseSchemaEvent = payloadParser(SchemaEventSchema, 'event');

/** The schema statements as sent to Redshift, in file-name order, with their file names. */
export function schemaStatements(sqlRoots?: readonly string[]): {
  readonly names: string[];
  readonly sqls: string[];
} {
  const files = readSqlFolder('schema', sqlRoots);
  return { names: files.map((f) => f.name), sqls: files.map((f) => renderSql(f.text, 'redshift')) };
}

export async function onSchemaEvent(deps: SchemaDeps, event: SchemaEvent): Promise<OnEventResult> {
  const physicalResourceId = event.PhysicalResourceId ?? `${STATEMENT_NAME}:${targetName(deps.target)}`;
  if (event.RequestType === 'Delete') {
    deps.logger.info('schema resource deleted; tables kept', { physicalResourceId });
    return { PhysicalResourceId: physicalResourceId };
  }
  const { names, sqls } = schemaStatements(deps.sqlRoots);
  let id: string | undefined;
  try {
    const output = await deps.client.send(
      new BatchExecuteStatementCommand({
        ...targetInput(deps.target),
        Sqls: sqls,
        StatementName: STATEMENT_NAME,
      }),
    );
    id = output.Id;
  } catch (error) {
    throw toWarehouseError(error, `${STATEMENT_NAME}: BatchExecuteStatement`);
  }
  if (id === undefined)
    throw new WarehouseUnavailable(`${STATEMENT_NAME}: BatchExecuteStatement returned no statement id`);
  deps.logger.info('submitted schema', { statementId: id, files: names, requestType: event.RequestType });
  return { PhysicalResourceId: physicalResourceId, Data: { StatementId: id } };
}

export async function isSchemaComplete(deps: SchemaDeps, event: SchemaEvent): Promise<IsCompleteResult> {
  if (event.RequestType === 'Delete') return { IsComplete: true };
  const id = event.Data?.['StatementId'];
  if (typeof id !== 'string' || id === '') throw new InvalidRequest('event.Data.StatementId is missing');
  let description;
  try {
    description = await deps.client.send(new DescribeStatementCommand({ Id: id }));
  } catch (error) {
    if (isRetryableDataApiError(error)) {
      deps.logger.warn('DescribeStatement failed; the provider will ask again', {
        statementId: id,
        error: String(error),
      });
      return { IsComplete: false };
    }
    throw toWarehouseError(error, `${STATEMENT_NAME}: DescribeStatement ${id}`);
  }
  switch (description.Status) {
    case 'FINISHED':
      deps.logger.info('schema applied', { statementId: id });
      return { IsComplete: true };
    case 'FAILED': {
      const { position, error } = statementFailure(description);
      const file = position === undefined ? undefined : schemaStatements(deps.sqlRoots).names[position - 1];
      throw new WarehouseStatementFailed(
        `${STATEMENT_NAME}: statement ${id} failed${file ? ` at ${file}` : ''}: ${error}`,
      );
    }
    case 'ABORTED':
      throw new WarehouseUnavailable(`${STATEMENT_NAME}: statement ${id} was aborted; no table was changed`);
    default:
      return { IsComplete: false };
  }
}
