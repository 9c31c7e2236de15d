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

const redshift = mockClient(RedshiftDataClient);
const saved = { ...process.env };
const ID = 'a1b2c3d4-0000-4000-8000-000000000000';

const SEARCH_STATS = `CREATE TABLE IF NOT EXISTS search_stats (
  day DATE NOT NULL,
  num_users INTEGER NOT NULL,
  num_searches INTEGER NOT NULL,
  num_rental_searches INTEGER NOT NULL,
  num_sale_searches INTEGER NOT NULL,
  num_none_searches INTEGER NOT NULL,
  rows_read INTEGER NOT NULL,
  rows_kept INTEGER NOT NULL,
  rows_duplicate INTEGER NOT NULL,
  rows_rejected INTEGER NOT NULL,
  source_key VARCHAR(1024) NOT NULL,
  source_etag VARCHAR(128) NOT NULL,
  run_id VARCHAR(128) NOT NULL,
  code_version VARCHAR(64) NOT NULL,
  loaded_at TIMESTAMP NOT NULL,
  PRIMARY KEY (day)
)
DISTSTYLE ALL SORTKEY (day)`;

const VALID_SEARCHES = `CREATE TABLE IF NOT EXISTS valid_searches (
  day DATE NOT NULL,
  user_id VARCHAR(256) NOT NULL,
  search_seq INTEGER NOT NULL,
  search_id BIGINT NOT NULL,
  clicks INTEGER NOT NULL,
  created_at VARCHAR(8) NOT NULL,
  listings INTEGER NOT NULL,
  type VARCHAR(64) NOT NULL,
  type_bucket VARCHAR(8) NOT NULL,
  PRIMARY KEY (day, user_id, search_seq)
)
DISTSTYLE KEY DISTKEY (user_id) SORTKEY (day)`;

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
          Sqls: [SEARCH_STATS, VALID_SEARCHES],
          StatementName: 'search-stats-schema',
        },
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
