/**
 * The report's {@link Query} on Amazon Redshift through the Data API: ExecuteStatement, poll
 * DescribeStatement until FINISHED / FAILED / ABORTED (or a deadline, then cancel), read every page
 * of GetStatementResult. The question SQL is dialect-neutral, so it is sent as written.
 */
import {
  CancelStatementCommand,
  DescribeStatementCommand,
  ExecuteStatementCommand,
  GetStatementResultCommand,
  type Field,
  type RedshiftDataClient,
} from '@aws-sdk/client-redshift-data';
import { targetInput, toWarehouseError, type RedshiftTarget } from '../../lambdas/load/redshift-data-api';
import { WarehouseStatementFailed, WarehouseUnavailable } from '../../lambdas/shared/errors';
import type { Query } from './query';

export interface RedshiftQueryOptions {
  /** Pause between DescribeStatement calls. @default 500 ms */
  readonly pollMs?: number;
  /** Give up (and cancel the statement) after this long. @default 300000 ms */
  readonly timeoutMs?: number;
  /** @default setTimeout */
  readonly sleep?: (ms: number) => Promise<void>;
}

const sleepFor = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A Data API field as a plain value: numbers as numbers, NULL as null. */
export function fieldValue(field: Field): unknown {
  if (field.isNull === true) return null;
  if (field.longValue !== undefined) return field.longValue;
  if (field.doubleValue !== undefined) return field.doubleValue;
  if (field.booleanValue !== undefined) return field.booleanValue;
  if (field.stringValue !== undefined) return field.stringValue;
  return null;
}

export function redshiftDataQuery(
  client: RedshiftDataClient,
  target: RedshiftTarget,
  options: RedshiftQueryOptions = {},
): Query {
  const pollMs = options.pollMs ?? 500;
  const timeoutMs = options.timeoutMs ?? 300_000;
  const sleep = options.sleep ?? sleepFor;

  const call = async <T>(action: string, send: () => Promise<T>): Promise<T> => {
    try {
      return await send();
    } catch (error) {
      throw toWarehouseError(error, action);
    }
  };

  return async (sql) => {
    const { Id: id } = await call('ExecuteStatement', () =>
      client.send(new ExecuteStatementCommand({ ...targetInput(target), Sql: sql, StatementName: 'report' })),
    );
    if (id === undefined) throw new WarehouseStatementFailed('ExecuteStatement returned no statement id');
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const status = await call('DescribeStatement', () =>
        client.send(new DescribeStatementCommand({ Id: id })),
      );
      if (status.Status === 'FINISHED') {
        if (status.HasResultSet !== true) return [];
        break;
      }
      if (status.Status === 'FAILED' || status.Status === 'ABORTED') {
        throw new WarehouseStatementFailed(
          `report query ${id} ${status.Status}: ${status.Error ?? 'no error text'}`,
        );
      }
      if (Date.now() >= deadline) {
        await call('CancelStatement', () => client.send(new CancelStatementCommand({ Id: id })));
        throw new WarehouseUnavailable(
          `report query ${id} still ${status.Status ?? 'unknown'} after ${timeoutMs} ms`,
        );
      }
      await sleep(pollMs);
    }
    const rows: Record<string, unknown>[] = [];
    let nextToken: string | undefined;
    do {
      const token = nextToken;
      const page = await call('GetStatementResult', () =>
        client.send(new GetStatementResultCommand({ Id: id, NextToken: token })),
      );
      const names = (page.ColumnMetadata ?? []).map(
        (column, i) => column.label ?? column.name ?? `column${i + 1}`,
      );
      for (const record of page.Records ?? []) {
        rows.push(
          Object.fromEntries(record.map((field, i) => [names[i] ?? `column${i + 1}`, fieldValue(field)])),
        );
      }
      nextToken = page.NextToken;
    } while (nextToken);
    return rows;
  };
}
