import './silent-logs';
import '../support/powertools-env';
import {
  BatchExecuteStatementCommand,
  DescribeStatementCommand,
  GetStatementResultCommand,
  RedshiftDataClient,
} from '@aws-sdk/client-redshift-data';
import { mockClient } from 'aws-sdk-client-mock';
import { handler } from '../../lambdas/load/handler';
import { InvalidRequest } from '../../lambdas/shared/errors';
import { captureEmf } from '../support/emf';
import { lambdaContext } from '../support/lambda-context';
import { JULY_2, dayFixture } from './day-fixture';
import { REDSHIFT_LOAD_SQLS } from './redshift-sql';

const redshift = mockClient(RedshiftDataClient);
const ENV = {
  REDSHIFT_WORKGROUP: 'search-stats',
  REDSHIFT_DATABASE: 'analytics',
  CLEAN_BUCKET: 'clean',
  POWERTOOLS_LOG_LEVEL: 'SILENT',
};
const saved = { ...process.env };

beforeEach(() => {
  redshift.reset();
  process.env = { ...saved, ...ENV };
});

afterAll(() => {
  process.env = saved;
});

function finishedLoad(): void {
  redshift.on(BatchExecuteStatementCommand).resolves({ Id: 'stmt-1' });
  redshift.on(DescribeStatementCommand).resolves({
    Id: 'stmt-1',
    Status: 'FINISHED',
    SubStatements: [1, 2, 3, 4, 5, 6].map((n) => ({
      Id: `stmt-1:${n}`,
      Status: 'FINISHED',
      ResultRows: n === 4 ? 3 : 1,
    })),
  });
}

test('the handler loads the clean step result into the configured workgroup and returns the load result', async () => {
  finishedLoad();
  const { clean } = dayFixture('2021-07-02', JULY_2);

  const { result } = await captureEmf(() => handler(clean, lambdaContext(900_000, 'load')));

  expect(result).toEqual({
    date: '2021-07-02',
    runId: 'run-20210702',
    searchStatsRows: 1,
    validSearchRows: 3,
    statementId: 'stmt-1',
    millis: expect.any(Number),
  });
  expect(redshift.commandCalls(BatchExecuteStatementCommand)[0]?.args[0].input).toMatchObject({
    WorkgroupName: 'search-stats',
    Database: 'analytics',
    Sqls: REDSHIFT_LOAD_SQLS,
  });
});

test('a loaded day publishes the rows loaded, one day loaded and the load time', async () => {
  finishedLoad();
  const { clean } = dayFixture('2021-07-02', JULY_2);

  const { emf } = await captureEmf(() => handler(clean, lambdaContext(900_000, 'load')));

  expect(emf).toEqual([
    {
      namespace: 'SearchStats',
      dimensions: [['service', 'step']],
      dimensionValues: { service: 'SearchStats', step: 'load' },
      metrics: {
        RowsLoaded: { unit: 'Count', value: 3 },
        DaysLoaded: { unit: 'Count', value: 1 },
        StepDuration: { unit: 'Milliseconds', value: expect.any(Number) },
      },
    },
  ]);
});

test('a payload that is not a clean result fails at once, naming the field, and counts no day loaded', async () => {
  const { clean } = dayFixture('2021-07-02', JULY_2);

  const { result: error, emf } = await captureEmf(() =>
    handler({ ...clean, counts: { ...clean.counts, read: -1 } }, lambdaContext()).catch((e: unknown) => e),
  );

  expect(error).toEqual(new InvalidRequest('clean.counts.read must be a whole number >= 0, got -1'));
  expect(Object.keys(emf[0]?.metrics ?? {})).toEqual(['StepDuration']);
  expect(redshift.commandCalls(BatchExecuteStatementCommand)).toHaveLength(0);
});

describe('a run that asked to skip a version already loaded (skipIfLoaded)', () => {
  const CHECK_SQL = 'SELECT source_etag FROM search_stats WHERE day = CAST(:day AS DATE)';
  const { clean } = dayFixture('2021-07-02', JULY_2);
  const skipping = { ...clean, skipIfLoaded: true };

  /** The check is the first batch (`check-1`), answering `loaded`; a load after it is `stmt-1`. */
  function warehouseHolding(loaded: string | undefined): void {
    redshift.on(BatchExecuteStatementCommand).resolvesOnce({ Id: 'check-1' }).resolves({ Id: 'stmt-1' });
    redshift.on(DescribeStatementCommand, { Id: 'check-1' }).resolves({
      Id: 'check-1',
      Status: 'FINISHED',
      SubStatements: [{ Id: 'check-1:1', Status: 'FINISHED', ResultRows: loaded === undefined ? 0 : 1 }],
    });
    redshift.on(DescribeStatementCommand, { Id: 'stmt-1' }).resolves({
      Id: 'stmt-1',
      Status: 'FINISHED',
      SubStatements: [1, 2, 3, 4, 5, 6].map((n) => ({
        Id: `stmt-1:${n}`,
        Status: 'FINISHED',
        ResultRows: n === 4 ? 3 : 1,
      })),
    });
    redshift
      .on(GetStatementResultCommand, { Id: 'check-1:1' })
      .resolves({ Records: loaded === undefined ? [] : [[{ stringValue: loaded }]] });
  }

  test('the same ETag loaded: one query for the loaded ETag, nothing loaded, the result says so', async () => {
    warehouseHolding('"0123abcd"');

    const { result } = await captureEmf(() => handler(skipping, lambdaContext(900_000, 'load')));

    expect(result).toEqual({
      date: '2021-07-02',
      runId: 'run-20210702',
      searchStatsRows: 0,
      validSearchRows: 0,
      statementId: 'none',
      millis: expect.any(Number),
      skipped: 'AlreadyLoaded',
    });
    const batches = redshift.commandCalls(BatchExecuteStatementCommand).map((c) => c.args[0].input);
    expect(batches).toEqual([
      expect.objectContaining({
        WorkgroupName: 'search-stats',
        Database: 'analytics',
        Sqls: [CHECK_SQL],
        Parameters: [{ name: 'day', value: '2021-07-02' }],
      }),
    ]);
    expect(redshift.commandCalls(GetStatementResultCommand).map((c) => c.args[0].input)).toEqual([
      { Id: 'check-1:1' },
    ]);
  });

  test.each([
    ['another ETag loaded (a corrected file)', '"ffff0000"'],
    ['the day not loaded yet', undefined],
  ])('%s: the query, then the load batch', async (_name, loaded) => {
    warehouseHolding(loaded);

    const { result } = await captureEmf(() => handler(skipping, lambdaContext(900_000, 'load')));

    expect(result).toMatchObject({ searchStatsRows: 1, validSearchRows: 3, statementId: 'stmt-1' });
    expect(result).not.toHaveProperty('skipped');
    const batches = redshift.commandCalls(BatchExecuteStatementCommand).map((c) => c.args[0].input.Sqls);
    expect(batches).toEqual([[CHECK_SQL], REDSHIFT_LOAD_SQLS]);
  });

  test('without skipIfLoaded the load never reads the loaded ETag: one batch, the load', async () => {
    finishedLoad();

    await captureEmf(() => handler(clean, lambdaContext(900_000, 'load')));

    expect(redshift.commandCalls(BatchExecuteStatementCommand).map((c) => c.args[0].input.Sqls)).toEqual([
      REDSHIFT_LOAD_SQLS,
    ]);
    expect(redshift.commandCalls(GetStatementResultCommand)).toHaveLength(0);
  });
});
