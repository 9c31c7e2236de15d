import '../load/silent-logs';
import {
  BatchExecuteStatementCommand,
  DescribeStatementCommand,
  RedshiftDataClient,
  ValidationException,
} from '@aws-sdk/client-redshift-data';
import { mockClient } from 'aws-sdk-client-mock';
import { isComplete, onEvent } from '../../lambdas/migrate/handler';
import { WarehouseStatementFailed, WarehouseUnavailable } from '../../lambdas/shared/errors';
import { renderSql } from '../../lambdas/shared/sql-dialect';
import { readSqlFolder } from '../../lambdas/shared/sql-files';

const redshift = mockClient(RedshiftDataClient);
const saved = { ...process.env };
const ID = 'a1b2c3d4-0000-4000-8000-000000000000';

/** What Redshift must receive: every sql/schema/ file in name order, rendered for Redshift. */
const SCHEMA_SQLS = readSqlFolder('schema').map((file) => renderSql(file.text, 'redshift'));

beforeEach(() => {
  redshift.reset();
  process.env = { ...saved, REDSHIFT_WORKGROUP: 'search-stats', REDSHIFT_DATABASE: 'analytics' };
});

afterAll(() => {
  process.env = saved;
});

describe('onEvent', () => {
  test.each(['Create', 'Update'])(
    '%s submits every schema file, rendered for Redshift, as one batch',
    async (type) => {
      redshift.on(BatchExecuteStatementCommand).resolves({ Id: ID });

      const result = await onEvent({ RequestType: type, ResourceProperties: { SchemaHash: 'x' } });

      expect(redshift.commandCalls(BatchExecuteStatementCommand).map((c) => c.args[0].input)).toEqual([
        {
          WorkgroupName: 'search-stats',
          Database: 'analytics',
          Sqls: SCHEMA_SQLS,
          StatementName: 'search-stats-schema',
        },
      ]);
      expect(SCHEMA_SQLS).toEqual([
        expect.stringMatching(
          /^CREATE TABLE IF NOT EXISTS search_stats \([\s\S]*\)\s+DISTSTYLE ALL SORTKEY \(day\)$/,
        ),
        expect.stringMatching(
          /^CREATE TABLE IF NOT EXISTS valid_searches \([\s\S]*\)\s+DISTSTYLE KEY DISTKEY \(user_id\) SORTKEY \(day\)$/,
        ),
      ]);
      expect(result).toEqual({
        PhysicalResourceId: 'search-stats-schema:search-stats/analytics',
        Data: { StatementId: ID },
      });
    },
  );

  test('Update keeps the physical id it was given', async () => {
    redshift.on(BatchExecuteStatementCommand).resolves({ Id: ID });

    const result = await onEvent({ RequestType: 'Update', PhysicalResourceId: 'existing-id' });

    expect(result.PhysicalResourceId).toBe('existing-id');
  });

  test('Delete keeps the tables: nothing is sent', async () => {
    const result = await onEvent({ RequestType: 'Delete', PhysicalResourceId: 'existing-id' });

    expect(result).toEqual({ PhysicalResourceId: 'existing-id' });
    expect(redshift.calls()).toHaveLength(0);
  });

  test('a throttled submit fails retryably, a rejected one does not', async () => {
    const throttled = Object.assign(new Error('slow down'), {
      name: 'ThrottlingException',
      $metadata: { httpStatusCode: 429 },
    });
    redshift
      .on(BatchExecuteStatementCommand)
      .rejectsOnce(throttled)
      .rejectsOnce(new ValidationException({ message: 'no such workgroup', $metadata: {} }));

    await expect(onEvent({ RequestType: 'Create' })).rejects.toThrow(WarehouseUnavailable);
    await expect(onEvent({ RequestType: 'Create' })).rejects.toThrow(WarehouseStatementFailed);
  });
});

describe('isComplete', () => {
  const event = { RequestType: 'Create', PhysicalResourceId: 'p', Data: { StatementId: ID } };

  test('is complete when the statement finished', async () => {
    redshift.on(DescribeStatementCommand).resolves({ Id: ID, Status: 'FINISHED' });

    await expect(isComplete(event)).resolves.toEqual({ IsComplete: true });
    expect(redshift.commandCalls(DescribeStatementCommand).map((c) => c.args[0].input)).toEqual([{ Id: ID }]);
  });

  test.each(['SUBMITTED', 'PICKED', 'STARTED'])(
    'is not complete while the statement is %s',
    async (status) => {
      redshift.on(DescribeStatementCommand).resolves({ Id: ID, Status: status as 'STARTED' });

      await expect(isComplete(event)).resolves.toEqual({ IsComplete: false });
    },
  );

  test('fails the deployment with the failing file and its error text', async () => {
    redshift.on(DescribeStatementCommand).resolves({
      Id: ID,
      Status: 'FAILED',
      SubStatements: [
        { Id: `${ID}:1`, Status: 'FINISHED' },
        { Id: `${ID}:2`, Status: 'FAILED', Error: 'ERROR: permission denied for schema public' },
      ],
    });

    await expect(isComplete(event)).rejects.toThrow(
      new WarehouseStatementFailed(
        `search-stats-schema: statement ${ID} failed at schema/020_valid_searches.sql: ERROR: permission denied for schema public`,
      ),
    );
  });

  test('fails the deployment when the statement was aborted', async () => {
    redshift.on(DescribeStatementCommand).resolves({ Id: ID, Status: 'ABORTED' });

    await expect(isComplete(event)).rejects.toThrow(/was aborted/);
  });

  test('asks to be polled again when describing is throttled', async () => {
    const throttled = Object.assign(new Error('slow down'), {
      name: 'ThrottlingException',
      $retryable: { throttling: true },
    });
    redshift.on(DescribeStatementCommand).rejects(throttled);

    await expect(isComplete(event)).resolves.toEqual({ IsComplete: false });
  });

  test('a Delete is complete at once', async () => {
    await expect(isComplete({ RequestType: 'Delete', PhysicalResourceId: 'p' })).resolves.toEqual({
      IsComplete: true,
    });
    expect(redshift.calls()).toHaveLength(0);
  });
});
