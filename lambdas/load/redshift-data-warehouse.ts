/**
 * The warehouse on Amazon Redshift through the Data API: a batch is ONE BatchExecuteStatement (the
 * Data API runs its Sqls serially as one transaction: no BEGIN/COMMIT here), then a bounded poll of
 * DescribeStatement that stops on FINISHED, FAILED and ABORTED, and on its own deadline, when it
 * cancels the statement and fails naming it.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import {
  BatchExecuteStatementCommand,
  CancelStatementCommand,
  DescribeStatementCommand,
  GetStatementResultCommand,
  type DescribeStatementResponse,
  type Field,
  type RedshiftDataClient,
} from '@aws-sdk/client-redshift-data';
import { InvalidRequest, WarehouseStatementFailed, WarehouseUnavailable } from '../shared/errors';
import {
  checkBatchParameters,
  hasLiteral,
  quoteLiteral,
  renderSql,
  substituteLiteral,
} from '../shared/sql-dialect';
import {
  isTransientSqlError,
  statementFailure,
  targetInput,
  toWarehouseError,
  type RedshiftTarget,
} from './redshift-data-api';
import { toS3Uri } from './s3-uri';
import {
  MANIFEST_URI_PLACEHOLDER,
  checkAutocommitBatch,
  type BatchOutcome,
  type Warehouse,
  type WarehouseBatch,
  type WarehouseReader,
  type WarehouseStatement,
} from './warehouse-batch';

export interface PollOptions {
  /** First wait between DescribeStatement calls; doubles up to `maxIntervalMs`. @default 1000 */
  readonly intervalMs: number;
  /** @default 5000 */
  readonly maxIntervalMs: number;
  /** Give up (cancel the statement, fail retryably) after this long. @default 600000 (10 min) */
  readonly timeoutMs: number;
}

export const DEFAULT_POLL: PollOptions = { intervalMs: 1000, maxIntervalMs: 5000, timeoutMs: 600_000 };

export interface RedshiftDataWarehouseOptions {
  readonly client: RedshiftDataClient;
  readonly target: RedshiftTarget;
  /** The only bucket COPY may read manifests from: the configured clean bucket. */
  readonly copyBucket: string;
  readonly logger: Logger;
  /** @default DEFAULT_POLL */
  readonly poll?: Partial<PollOptions>;
  /** @default setTimeout */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Milliseconds clock for the poll deadline. @default Date.now */
  readonly now?: () => number;
  /**
   * A deadline for every statement of this warehouse's life (epoch ms on `now`'s clock), e.g. the
   * Lambda's end less a margin, when it comes before `poll.timeoutMs` from a statement's submission.
   * @default none
   */
  readonly deadlineAt?: number;
}

const COPY_ERRORS_HINT =
  'COPY error details: sys_load_error_detail (Serverless) or stl_load_errors (provisioned), by query id.';

export class RedshiftDataWarehouse implements Warehouse, WarehouseReader {
  private readonly poll: PollOptions;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly now: () => number;

  constructor(private readonly options: RedshiftDataWarehouseOptions) {
    this.poll = { ...DEFAULT_POLL, ...options.poll };
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.now = options.now ?? Date.now;
  }

  async runBatch(batch: WarehouseBatch): Promise<BatchOutcome> {
    const { id, description } = await this.execute(batch);
    return {
      statementId: id,
      rowCounts: batch.statements.map((_, i) => {
        const rows = description.SubStatements?.[i]?.ResultRows;
        return rows === undefined || rows < 0 ? undefined : rows;
      }),
    };
  }

  /**
   * Runs one statement with its parameters (a batch of one, so the same IAM action and poll) and returns its result's
   * first column as text, every page of GetStatementResult read. A batch's result is fetched by its
   * sub-statement id (`<id>:1`): https://docs.aws.amazon.com/redshift-data/latest/APIReference/API_GetStatementResult.html
   */
  async queryColumn(
    label: string,
    statement: WarehouseStatement,
    parameters: Readonly<Record<string, string>> = {},
  ): Promise<string[]> {
    const batch: WarehouseBatch = { label, statements: [statement], parameters };
    const { id, description } = await this.execute(batch);
    const resultId = description.SubStatements?.[0]?.Id ?? `${id}:1`;
    const values: string[] = [];
    let nextToken: string | undefined;
    do {
      let page;
      try {
        page = await this.options.client.send(
          new GetStatementResultCommand({ Id: resultId, ...(nextToken ? { NextToken: nextToken } : {}) }),
        );
      } catch (error) {
        throw toWarehouseError(error, `${label}: GetStatementResult ${resultId}`);
      }
      for (const record of page.Records ?? []) {
        const value = record[0] === undefined ? undefined : fieldText(record[0]);
        if (value !== undefined) values.push(value);
      }
      nextToken = page.NextToken;
    } while (nextToken);
    return values;
  }

  private async execute(
    batch: WarehouseBatch,
  ): Promise<{ id: string; description: DescribeStatementResponse }> {
    checkAutocommitBatch(batch);
    const sqls = batch.statements.map((statement) => this.render(statement));
    checkBatchParameters(sqls, batch.parameters);
    const parameters = Object.entries(batch.parameters).map(([name, value]) => ({ name, value }));
    let id: string | undefined;
    try {
      const output = await this.options.client.send(
        new BatchExecuteStatementCommand({
          ...targetInput(this.options.target),
          Sqls: sqls,
          ...(parameters.length > 0 ? { Parameters: parameters } : {}),
          // AUTO_COMMIT: the statement commits by itself, outside a transaction block (the default,
          // TRANSACTION, runs the Sqls as one transaction).
          // https://docs.aws.amazon.com/redshift-data/latest/APIReference/API_BatchExecuteStatement.html
          ...(batch.autocommit === true ? { ExecutionMode: 'AUTO_COMMIT' as const } : {}),
          StatementName: batch.label,
        }),
      );
      id = output.Id;
    } catch (error) {
      throw toWarehouseError(error, `${batch.label}: BatchExecuteStatement`);
    }
    if (id === undefined)
      throw new WarehouseUnavailable(`${batch.label}: BatchExecuteStatement returned no statement id`);
    this.options.logger.info('submitted batch', {
      label: batch.label,
      statementId: id,
      statements: sqls.length,
    });
    return { id, description: await this.waitFor(id, batch) };
  }

  private render(statement: WarehouseStatement): string {
    const sql = renderSql(statement.sql, 'redshift');
    if (statement.copyManifest === undefined) {
      if (hasLiteral(sql, MANIFEST_URI_PLACEHOLDER)) {
        throw new WarehouseStatementFailed(`${statement.name} has a COPY source placeholder but no manifest`);
      }
      return sql;
    }
    const { bucket } = statement.copyManifest;
    if (bucket !== this.options.copyBucket) {
      throw new InvalidRequest(
        `COPY manifest bucket ${bucket} is not the configured clean bucket ${this.options.copyBucket}`,
      );
    }
    // The URI is validated (safe characters only) and quoted ('' for ') before it enters the SQL text.
    return substituteLiteral(sql, MANIFEST_URI_PLACEHOLDER, quoteLiteral(toS3Uri(statement.copyManifest)));
  }

  private async waitFor(id: string, batch: WarehouseBatch): Promise<DescribeStatementResponse> {
    const started = this.now();
    const deadline = Math.min(started + this.poll.timeoutMs, this.options.deadlineAt ?? Infinity);
    let interval = this.poll.intervalMs;
    for (;;) {
      const description = await this.describe(id, batch);
      switch (description?.Status) {
        case 'FINISHED':
          return description;
        case 'FAILED':
          throw this.failure(id, batch, description);
        case 'ABORTED':
          throw new WarehouseUnavailable(
            `${batch.label}: statement ${id} was aborted (cancelled by a user or the workload manager); nothing was committed`,
          );
      }
      const left = deadline - this.now();
      if (left <= 0) throw await this.giveUp(id, batch, this.now() - started);
      await this.sleep(Math.min(interval, left));
      interval = Math.min(interval * 2, this.poll.maxIntervalMs);
    }
  }

  /** One DescribeStatement; a retryable error counts as "still running" (the deadline still holds). */
  private async describe(id: string, batch: WarehouseBatch): Promise<DescribeStatementResponse | undefined> {
    try {
      return await this.options.client.send(new DescribeStatementCommand({ Id: id }));
    } catch (error) {
      const mapped = toWarehouseError(error, `${batch.label}: DescribeStatement ${id}`);
      if (mapped instanceof WarehouseStatementFailed) throw mapped;
      this.options.logger.warn('DescribeStatement failed; polling on', {
        statementId: id,
        error: mapped.message,
      });
      return undefined;
    }
  }

  private failure(id: string, batch: WarehouseBatch, description: DescribeStatementResponse): Error {
    const { position, error } = statementFailure(description);
    const statement = position === undefined ? undefined : batch.statements[position - 1];
    const where =
      statement === undefined
        ? ''
        : ` at statement ${position} of ${batch.statements.length} (${statement.name})`;
    const hint = statement?.copyManifest !== undefined ? ` ${COPY_ERRORS_HINT}` : '';
    const message = `${batch.label}: statement ${id} failed${where}: ${error}${hint}`;
    return isTransientSqlError(error)
      ? new WarehouseUnavailable(message)
      : new WarehouseStatementFailed(message);
  }

  private async giveUp(id: string, batch: WarehouseBatch, waitedMs: number): Promise<WarehouseUnavailable> {
    const seconds = Math.round(waitedMs / 1000);
    try {
      await this.options.client.send(new CancelStatementCommand({ Id: id }));
      return new WarehouseUnavailable(
        `${batch.label}: statement ${id} did not finish within ${seconds} s; cancelled it`,
      );
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      return new WarehouseUnavailable(
        `${batch.label}: statement ${id} did not finish within ${seconds} s; cancelling it failed too: ${reason}`,
        { cause: error },
      );
    }
  }
}

/** A result field as text (the migrations read version strings); NULL as undefined. */
function fieldText(field: Field): string | undefined {
  if (field.isNull === true) return undefined;
  if (field.stringValue !== undefined) return field.stringValue;
  if (field.longValue !== undefined) return String(field.longValue);
  return undefined;
}
