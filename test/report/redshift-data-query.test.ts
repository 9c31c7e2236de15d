import {
  CancelStatementCommand,
  DescribeStatementCommand,
  ExecuteStatementCommand,
  GetStatementResultCommand,
  RedshiftDataClient,
} from '@aws-sdk/client-redshift-data';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { redshiftDataQuery } from '../../local/report/redshift-data-query';

const redshift = mockClient(RedshiftDataClient);
const target = { workgroupName: 'search-stats', database: 'dev' };
const noWait = async (): Promise<void> => undefined;

beforeEach(() => {
  redshift.reset();
});

test('runs the SQL as written, waits for it, and returns every page of rows as plain values', async () => {
  redshift.on(ExecuteStatementCommand).resolves({ Id: 'q-1' });
  redshift
    .on(DescribeStatementCommand)
    .resolvesOnce({ Id: 'q-1', Status: 'STARTED' })
    .resolves({ Id: 'q-1', Status: 'FINISHED', HasResultSet: true });
  redshift
    .on(GetStatementResultCommand, { Id: 'q-1', NextToken: undefined })
    .resolves({
      ColumnMetadata: [{ name: 'day' }, { name: 'num_users' }, { name: 'z' }, { name: 'flag' }],
      Records: [
        [{ stringValue: '2021-07-02' }, { longValue: 12 }, { doubleValue: 2.5 }, { booleanValue: true }],
      ],
      NextToken: 'page-2',
    })
    .on(GetStatementResultCommand, { Id: 'q-1', NextToken: 'page-2' })
    .resolves({
      ColumnMetadata: [{ name: 'day' }, { name: 'num_users' }, { name: 'z' }, { name: 'flag' }],
      Records: [[{ stringValue: '2021-07-03' }, { longValue: 9 }, { isNull: true }, { booleanValue: false }]],
    });

  const rows = await redshiftDataQuery(new RedshiftDataClient({}), target, { sleep: noWait })('SELECT 1;');

  expect(rows).toEqual([
    { day: '2021-07-02', num_users: 12, z: 2.5, flag: true },
    { day: '2021-07-03', num_users: 9, z: null, flag: false },
  ]);
  expect(redshift).toHaveReceivedCommandWith(ExecuteStatementCommand, {
    WorkgroupName: 'search-stats',
    Database: 'dev',
    Sql: 'SELECT 1;',
    StatementName: 'report',
  });
  expect(redshift).toHaveReceivedCommandTimes(DescribeStatementCommand, 2);
  expect(redshift).toHaveReceivedCommandTimes(GetStatementResultCommand, 2);
});

test.each(['FAILED', 'ABORTED'] as const)(
  'stops polling on %s and reports the error text',
  async (status) => {
    redshift.on(ExecuteStatementCommand).resolves({ Id: 'q-2' });
    redshift
      .on(DescribeStatementCommand)
      .resolves({ Id: 'q-2', Status: status, Error: 'column "x" does not exist' });

    await expect(
      redshiftDataQuery(new RedshiftDataClient({}), target, { sleep: noWait })('SELECT x'),
    ).rejects.toMatchObject({
      name: 'WarehouseStatementFailed',
      message: `report query q-2 ${status}: column "x" does not exist`,
    });
    expect(redshift).toHaveReceivedCommandTimes(DescribeStatementCommand, 1);
    expect(redshift).not.toHaveReceivedCommand(GetStatementResultCommand);
  },
);

test('cancels the statement and fails as retryable when it outlives the deadline', async () => {
  redshift.on(ExecuteStatementCommand).resolves({ Id: 'q-3' });
  redshift.on(DescribeStatementCommand).resolves({ Id: 'q-3', Status: 'STARTED' });
  redshift.on(CancelStatementCommand).resolves({ Status: true });

  await expect(
    redshiftDataQuery(new RedshiftDataClient({}), target, { sleep: noWait, timeoutMs: 0 })('SELECT 1'),
  ).rejects.toMatchObject({ name: 'WarehouseUnavailable' });
  expect(redshift).toHaveReceivedCommandWith(CancelStatementCommand, { Id: 'q-3' });
});
