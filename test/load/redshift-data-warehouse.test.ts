import { Logger } from '@aws-lambda-powertools/logger';
import {
  ActiveStatementsExceededException,
  BatchExecuteStatementCommand,
  CancelStatementCommand,
  DescribeStatementCommand,
  RedshiftDataClient,
  ValidationException,
  type DescribeStatementResponse,
  type StatementStatusString,
  type SubStatementData,
} from '@aws-sdk/client-redshift-data';
import { mockClient } from 'aws-sdk-client-mock';
import { loadDay } from '../../lambdas/load/load-day';
import { parseLoadInput } from '../../lambdas/load/load-input';
import {
  RedshiftDataWarehouse,
  type RedshiftDataWarehouseOptions,
} from '../../lambdas/load/redshift-data-warehouse';
import type { WarehouseBatch } from '../../lambdas/load/warehouse-batch';
import { InvalidRequest, WarehouseStatementFailed, WarehouseUnavailable } from '../../lambdas/shared/errors';
import { JULY_2, dayFixture } from './day-fixture';
import { JULY_2_PARAMETERS, REDSHIFT_LOAD_SQLS } from './redshift-sql';

const ID = 'd9b6c0c9-0747-4bf4-b142-e8883122f766';
const logger = new Logger({ serviceName: 'test', logLevel: 'SILENT' });
const redshift = mockClient(RedshiftDataClient);

let clock: number;
let sleeps: number[];

function warehouse(overrides: Partial<RedshiftDataWarehouseOptions> = {}): RedshiftDataWarehouse {
  return new RedshiftDataWarehouse({
    client: new RedshiftDataClient({ region: 'us-east-1' }),
    target: { workgroupName: 'search-stats', database: 'analytics' },
    copyBucket: 'clean',
    logger,
    poll: { intervalMs: 1000, maxIntervalMs: 4000, timeoutMs: 10_000 },
    sleep: async (ms) => {
      sleeps.push(ms);
      clock += ms;
    },
    now: () => clock,
    ...overrides,
  });
}

let july2: WarehouseBatch | undefined;
beforeAll(async () => {
  // The batch exactly as the load step sends it: loadDay, given a warehouse that only records it.
  const input = parseLoadInput(dayFixture('2021-07-02', JULY_2).clean);
  const recorder = {
    runBatch: async (batch: WarehouseBatch) => {
      july2 = batch;
      return { statementId: 'recorded', rowCounts: [] };
    },
    queryColumn: async () => {
      throw new Error('a load without skipIfLoaded reads nothing');
    },
  };
  await loadDay({ warehouse: recorder, logger, now: () => new Date('2021-07-03T00:30:05.250Z') }, input);
});

function july2Batch(): WarehouseBatch {
  if (!july2) throw new Error('loadDay sent no batch');
  return structuredClone(july2);
}

const sub = (
  n: number,
  status: StatementStatusString,
  extra: Partial<SubStatementData> = {},
): SubStatementData => ({
  Id: `${ID}:${n}`,
  Status: status,
  ...extra,
});
const described = (
  status: string,
  extra: Partial<DescribeStatementResponse> = {},
): DescribeStatementResponse => ({
  Id: ID,
  Status: status as DescribeStatementResponse['Status'],
  ...extra,
});
const throttling = () =>
  Object.assign(new Error('Rate exceeded'), {
    name: 'ThrottlingException',
    $fault: 'client',
    $metadata: { httpStatusCode: 400 },
  });

beforeEach(() => {
  redshift.reset();
  clock = 0;
  sleeps = [];
  redshift.on(BatchExecuteStatementCommand).resolves({ Id: ID });
});

test('a load is one BatchExecuteStatement: the rendered sql/load files, the COPY source filled in, named text parameters', async () => {
  redshift.on(DescribeStatementCommand).resolves(described('FINISHED'));

  await warehouse().runBatch(july2Batch());

  const calls = redshift.commandCalls(BatchExecuteStatementCommand);
  expect(calls).toHaveLength(1);
  expect(calls[0]?.args[0].input).toEqual({
    WorkgroupName: 'search-stats',
    Database: 'analytics',
    Sqls: REDSHIFT_LOAD_SQLS,
    Parameters: JULY_2_PARAMETERS,
    StatementName: 'load-2021-07-02',
  });
});

test('the batch Redshift receives locks both tables, replaces the day, copies through the manifest and checks, with no transaction control of its own', async () => {
  redshift.on(DescribeStatementCommand).resolves(described('FINISHED'));

  await warehouse().runBatch(july2Batch());

  // What PGlite cannot show, from the AWS documentation:
  // - the batch is one transaction; BEGIN/COMMIT are not ours to send, TRUNCATE would commit it
  //   (https://docs.rs/aws-sdk-redshiftdata/1.111.0/src/aws_sdk_redshiftdata/client/batch_execute_statement.rs.html,
  //   https://docs.aws.amazon.com/redshift/latest/dg/c_serial_isolation.html);
  // - concurrent loads need LOCK first, or fail with "1023 Serializable isolation violation"
  //   (https://docs.aws.amazon.com/redshift/latest/dg/c_serial_isolation-serializable-isolation-troubleshooting.html);
  // - COPY from a plain path loads every object with that prefix; a manifest names the one file
  //   (https://docs.aws.amazon.com/redshift/latest/dg/loading-data-files-using-manifest.html).
  const sqls = redshift.commandCalls(BatchExecuteStatementCommand)[0]?.args[0].input.Sqls ?? [];
  expect(sqls.map((sql) => sql.replace(/\s+/g, ' '))).toEqual([
    'LOCK search_stats, valid_searches',
    'DELETE FROM search_stats WHERE day = CAST(:day AS DATE)',
    'DELETE FROM valid_searches WHERE day = CAST(:day AS DATE)',
    "COPY valid_searches (day, user_id, search_seq, search_id, clicks, created_at, listings, type, type_bucket) FROM 's3://clean/valid-searches/valid_searches20210702.csv.manifest' IAM_ROLE default FORMAT AS CSV IGNOREHEADER 1 MANIFEST",
    expect.stringMatching(/^INSERT INTO search_stats \(/),
    expect.stringMatching(
      /^WITH copied AS \(.* SELECT 1 \/ CASE .* END AS day_is_consistent FROM copied CROSS JOIN day_stats$/,
    ),
  ]);
  for (const sql of sqls)
    expect(sql).not.toMatch(/\b(BEGIN|COMMIT|ROLLBACK|TRUNCATE)\b|FORCE_NOT_NULL|HEADER true/i);
});

test('a provisioned cluster is addressed by identifier and database user', async () => {
  redshift.on(DescribeStatementCommand).resolves(described('FINISHED'));

  await warehouse({ target: { clusterIdentifier: 'dw', database: 'analytics', dbUser: 'loader' } }).runBatch(
    july2Batch(),
  );

  expect(redshift.commandCalls(BatchExecuteStatementCommand)[0]?.args[0].input).toMatchObject({
    ClusterIdentifier: 'dw',
    DbUser: 'loader',
    Database: 'analytics',
  });
  expect(redshift.commandCalls(BatchExecuteStatementCommand)[0]?.args[0].input).not.toHaveProperty(
    'WorkgroupName',
  );
});

test('the poll describes the statement until it finishes, waiting longer each time, and reports rows per statement', async () => {
  redshift
    .on(DescribeStatementCommand)
    .resolvesOnce(described('SUBMITTED'))
    .resolvesOnce(described('STARTED'))
    .resolvesOnce(
      described('FINISHED', {
        SubStatements: [
          sub(1, 'FINISHED', { ResultRows: -1 }),
          sub(2, 'FINISHED', { ResultRows: 1 }),
          sub(3, 'FINISHED', { ResultRows: 3 }),
          sub(4, 'FINISHED', { ResultRows: 3 }),
          sub(5, 'FINISHED', { ResultRows: 1 }),
          sub(6, 'FINISHED', { ResultRows: 1 }),
        ],
      }),
    );

  const outcome = await warehouse().runBatch(july2Batch());

  expect(redshift.commandCalls(DescribeStatementCommand).map((c) => c.args[0].input)).toEqual([
    { Id: ID },
    { Id: ID },
    { Id: ID },
  ]);
  expect(sleeps).toEqual([1000, 2000]);
  expect(outcome).toEqual({ statementId: ID, rowCounts: [undefined, 1, 3, 3, 1, 1] });
  expect(redshift.commandCalls(CancelStatementCommand)).toHaveLength(0);
});

test('a failed COPY is reported with its file, the warehouse error text and where the load errors are', async () => {
  const error =
    "Load into table 'valid_searches' failed. Check 'sys_load_error_detail' system table for details.";
  redshift.on(DescribeStatementCommand).resolves(
    described('FAILED', {
      Error: 'batch failed',
      SubStatements: [
        sub(1, 'FINISHED'),
        sub(2, 'FINISHED'),
        sub(3, 'FINISHED'),
        sub(4, 'FAILED', { Error: error }),
        sub(5, 'ABORTED'),
        sub(6, 'ABORTED'),
      ],
    }),
  );

  const failure = warehouse().runBatch(july2Batch());

  await expect(failure).rejects.toThrow(WarehouseStatementFailed);
  await expect(failure).rejects.toThrow(
    `load-2021-07-02: statement ${ID} failed at statement 4 of 6 (load/040_copy_valid_searches.sql): ${error} ` +
      'COPY error details: sys_load_error_detail (Serverless) or stl_load_errors (provisioned), by query id.',
  );
});

test('a serializable isolation violation is retryable', async () => {
  redshift.on(DescribeStatementCommand).resolves(
    described('FAILED', {
      SubStatements: [sub(1, 'FAILED', { Error: 'ERROR: 1023 Serializable isolation violation on table' })],
    }),
  );

  await expect(warehouse().runBatch(july2Batch())).rejects.toThrow(WarehouseUnavailable);
});

test('an aborted statement stops the poll at once and is retryable', async () => {
  redshift.on(DescribeStatementCommand).resolvesOnce(described('STARTED')).resolvesOnce(described('ABORTED'));

  const failure = warehouse().runBatch(july2Batch());

  await expect(failure).rejects.toThrow(WarehouseUnavailable);
  await expect(failure).rejects.toThrow(`statement ${ID} was aborted`);
  expect(redshift.commandCalls(DescribeStatementCommand)).toHaveLength(2);
  expect(redshift.commandCalls(CancelStatementCommand)).toHaveLength(0);
});

test('a statement still running at the deadline is cancelled and the load fails retryably, naming it', async () => {
  redshift.on(DescribeStatementCommand).resolves(described('STARTED'));
  redshift.on(CancelStatementCommand).resolves({ Status: true });

  const failure = warehouse().runBatch(july2Batch());

  await expect(failure).rejects.toThrow(WarehouseUnavailable);
  await expect(failure).rejects.toThrow(`statement ${ID} did not finish within 10 s; cancelled it`);
  expect(sleeps).toEqual([1000, 2000, 4000, 3000]);
  expect(redshift.commandCalls(DescribeStatementCommand)).toHaveLength(5);
  expect(redshift.commandCalls(CancelStatementCommand).map((c) => c.args[0].input)).toEqual([{ Id: ID }]);
});

test('a failed cancel at the deadline still fails retryably, saying so', async () => {
  redshift.on(DescribeStatementCommand).resolves(described('PICKED'));
  redshift
    .on(CancelStatementCommand)
    .rejects(new ValidationException({ message: 'already done', $metadata: {} }));

  await expect(warehouse().runBatch(july2Batch())).rejects.toThrow(/cancelling it failed too: already done/);
});

test('a busy or throttled Data API is retryable, the SDK error kept as cause', async () => {
  const busy = new ActiveStatementsExceededException({
    message: 'too many',
    $metadata: { httpStatusCode: 400 },
  });
  redshift.on(BatchExecuteStatementCommand).rejectsOnce(busy).rejectsOnce(throttling());

  for (const cause of [busy, expect.objectContaining({ name: 'ThrottlingException' })]) {
    const error = await warehouse()
      .runBatch(july2Batch())
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WarehouseUnavailable);
    expect((error as Error).cause).toEqual(cause);
  }
  expect(redshift.commandCalls(DescribeStatementCommand)).toHaveLength(0);
});

test('a rejected request is not retryable', async () => {
  redshift
    .on(BatchExecuteStatementCommand)
    .rejects(new ValidationException({ message: 'bad sql', $metadata: {} }));

  await expect(warehouse().runBatch(july2Batch())).rejects.toThrow(WarehouseStatementFailed);
});

test('a transient error while polling does not end the poll', async () => {
  const internal = Object.assign(new Error('internal'), {
    name: 'InternalServerException',
    $fault: 'server',
    $metadata: { httpStatusCode: 500 },
  });
  redshift.on(DescribeStatementCommand).rejectsOnce(internal).resolvesOnce(described('FINISHED'));

  await expect(warehouse().runBatch(july2Batch())).resolves.toMatchObject({ statementId: ID });
  expect(redshift.commandCalls(DescribeStatementCommand)).toHaveLength(2);
});

test('COPY reads only from the configured clean bucket', async () => {
  await expect(warehouse({ copyBucket: 'other' }).runBatch(july2Batch())).rejects.toThrow(InvalidRequest);
  expect(redshift.commandCalls(BatchExecuteStatementCommand)).toHaveLength(0);
});

test('a quote in the manifest key is doubled in the COPY source; a key that is not plain S3 is refused', async () => {
  redshift.on(DescribeStatementCommand).resolves(described('FINISHED'));
  const batch = july2Batch();
  const withKey = (key: string): WarehouseBatch => ({
    ...batch,
    statements: batch.statements.map((s) =>
      s.copyManifest ? { ...s, copyManifest: { bucket: 'clean', key } } : s,
    ),
  });

  await warehouse().runBatch(withKey("it's.manifest"));
  await expect(warehouse().runBatch(withKey('a b\\c.manifest'))).rejects.toThrow(InvalidRequest);

  expect(redshift.commandCalls(BatchExecuteStatementCommand)[0]?.args[0].input.Sqls?.[3]).toContain(
    "FROM 's3://clean/it''s.manifest'",
  );
  expect(redshift.commandCalls(BatchExecuteStatementCommand)).toHaveLength(1);
});
