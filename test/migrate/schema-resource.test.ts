import '../load/silent-logs';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger } from '@aws-lambda-powertools/logger';
import {
  BatchExecuteStatementCommand,
  CancelStatementCommand,
  DescribeStatementCommand,
  GetStatementResultCommand,
  RedshiftDataClient,
  type BatchExecuteStatementCommandInput,
  type DescribeStatementResponse,
} from '@aws-sdk/client-redshift-data';
import { mockClient } from 'aws-sdk-client-mock';
import { onEvent } from '../../lambdas/migrate/handler';
import { isSchemaComplete, type IsCompleteDeps } from '../../lambdas/migrate/schema-resource';
import { WarehouseStatementFailed } from '../../lambdas/shared/errors';
import { renderSql } from '../../lambdas/shared/sql-dialect';
import { defaultSqlRoots, readSqlFolder } from '../../lambdas/shared/sql-files';

const redshift = mockClient(RedshiftDataClient);
const logger = new Logger({ serviceName: 'test', logLevel: 'SILENT' });
const saved = { ...process.env };
const TARGET = { workgroupName: 'search-stats', database: 'analytics' };

/** A file of `sql/<folder>/`, as Redshift receives it: read from the repository, rendered. */
const redshiftSql = (folder: string, file: string): string => {
  const found = readSqlFolder(folder).find((f) => f.name === `${folder}/${file}`);
  if (!found) throw new Error(`sql/${folder}/${file} is missing`);
  return renderSql(found.text, 'redshift');
};
const CREATE_VERSIONS_TABLE = redshiftSql('migrate', 'create_schema_migrations.sql');
const SELECT_VERSIONS = redshiftSql('migrate', 'select_applied_versions.sql');
const RECORD_VERSION = redshiftSql('migrate', 'insert_applied_version.sql');

/** The reader migrations (030 and later) as Redshift receives them: version, file, statement. */
const READER_MIGRATIONS: [string, string, string][] = readSqlFolder('schema')
  .filter((f) => f.name >= 'schema/030')
  .map((f) => [f.name.slice('schema/'.length, 'schema/'.length + 3), f.name, renderSql(f.text, 'redshift')]);

test('the bookkeeping and reader migrations render for Redshift as the statements it must receive', () => {
  expect(CREATE_VERSIONS_TABLE).toMatch(
    /^CREATE TABLE IF NOT EXISTS schema_migrations \([\s\S]*\)\s+DISTSTYLE ALL$/,
  );
  expect(SELECT_VERSIONS).toBe('SELECT version FROM schema_migrations ORDER BY version');
  expect(RECORD_VERSION).toMatch(
    /^INSERT INTO schema_migrations \(version, name, applied_at\)\s+VALUES \(CAST\(:version /,
  );
  expect(READER_MIGRATIONS.map(([, , sql]) => sql)).toEqual([
    'CREATE ROLE search_stats_reader',
    'GRANT USAGE ON SCHEMA public TO ROLE search_stats_reader',
    'GRANT SELECT ON TABLE search_stats, valid_searches TO ROLE search_stats_reader',
    'ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO ROLE search_stats_reader',
  ]);
});

const APPLIED_AT = '2021-07-03 00:30:00.000';

let clock: number;
let submitted: number;
/** What DescribeStatement says about statement n (1-based), by default FINISHED. */
let statusOf: (n: number, input: BatchExecuteStatementCommandInput) => DescribeStatementResponse['Status'];
let recorded: string[];
let inputs: BatchExecuteStatementCommandInput[];

beforeEach(() => {
  redshift.reset();
  process.env = { ...saved, REDSHIFT_WORKGROUP: 'search-stats', REDSHIFT_DATABASE: 'analytics' };
  clock = Date.parse(`${APPLIED_AT.replace(' ', 'T')}Z`);
  submitted = 0;
  recorded = [];
  inputs = [];
  statusOf = () => 'FINISHED';
  redshift.on(BatchExecuteStatementCommand).callsFake((input: BatchExecuteStatementCommandInput) => {
    inputs.push(input);
    submitted += 1;
    return { Id: `stmt-${submitted}` };
  });
  redshift.on(DescribeStatementCommand).callsFake(({ Id }: { Id: string }) => {
    const n = Number(Id.replace('stmt-', ''));
    const status = statusOf(n, inputs[n - 1] as BatchExecuteStatementCommandInput);
    const error = status === 'FAILED' ? { Error: 'ERROR: permission denied to create role' } : {};
    return { Id, Status: status, SubStatements: [{ Id: `${Id}:1`, Status: status, ...error }], ...error };
  });
  redshift
    .on(GetStatementResultCommand)
    .callsFake(() => ({ Records: recorded.map((version) => [{ stringValue: version }]) }));
});

afterAll(() => {
  process.env = saved;
});

function deps(overrides: Partial<IsCompleteDeps> = {}): IsCompleteDeps {
  return {
    client: new RedshiftDataClient({ region: 'us-east-1' }),
    target: TARGET,
    logger,
    remainingMs: 300_000,
    now: () => clock,
    sleep: async (ms) => {
      clock += ms;
    },
    ...overrides,
  };
}

const update = { RequestType: 'Update', PhysicalResourceId: 'p' } as const;

/** The batches sent, in order, as the fields that matter. */
const sent = () =>
  inputs.map((input) => ({
    Sqls: input.Sqls,
    StatementName: input.StatementName,
    ...(input.Parameters ? { Parameters: input.Parameters } : {}),
    ...(input.ExecutionMode ? { ExecutionMode: input.ExecutionMode } : {}),
  }));

const migrationBatch = ([version, name, sql]: [string, string, string]) => ({
  Sqls: [sql, RECORD_VERSION],
  StatementName: `migrate-${version}`,
  Parameters: [
    { name: 'version', value: version },
    { name: 'name', value: name },
    { name: 'applied_at', value: APPLIED_AT },
  ],
});

const BOOKKEEPING = [
  { Sqls: [CREATE_VERSIONS_TABLE], StatementName: 'migrate-versions-table' },
  { Sqls: [SELECT_VERSIONS], StatementName: 'migrate-applied-versions' },
];

describe('isComplete applies the migrations not recorded yet', () => {
  test('a database with the first two recorded gets only the reader migrations, each in its own transaction with its version row', async () => {
    recorded = ['010', '020'];

    await expect(isSchemaComplete(deps(), update)).resolves.toEqual({ IsComplete: true });

    expect(sent()).toEqual([...BOOKKEEPING, ...READER_MIGRATIONS.map(migrationBatch)]);
    for (const input of inputs) {
      expect(input).toMatchObject({ WorkgroupName: 'search-stats', Database: 'analytics' });
    }
    expect(redshift.commandCalls(GetStatementResultCommand).map((c) => c.args[0].input)).toEqual([
      { Id: 'stmt-2:1' },
    ]);
  });

  test('when every file is recorded, a re-deploy sends nothing but the version lookup', async () => {
    recorded = ['010', '020', '030', '040', '050', '060'];

    await expect(isSchemaComplete(deps(), update)).resolves.toEqual({ IsComplete: true });

    expect(sent()).toEqual(BOOKKEEPING);
  });

  test('a failing migration fails the deployment naming its file and error, and nothing after it is sent', async () => {
    recorded = ['010'];
    statusOf = (n) => (n === 3 ? 'FAILED' : 'FINISHED');

    await expect(isSchemaComplete(deps(), update)).rejects.toThrow(
      new WarehouseStatementFailed(
        'migrate-020: statement stmt-3 failed at statement 1 of 2 (schema/020_valid_searches.sql): ' +
          'ERROR: permission denied to create role',
      ),
    );
    expect(sent()).toHaveLength(BOOKKEEPING.length + 1);
  });

  test('a reader migration the load role may not run is blocked, not failed: the deploy completes, the rest is applied', async () => {
    recorded = ['010', '020'];
    statusOf = (n) => (n === 3 ? 'FAILED' : 'FINISHED');

    await expect(isSchemaComplete(deps(), update)).resolves.toEqual({ IsComplete: true });

    expect(sent()).toEqual([...BOOKKEEPING, ...READER_MIGRATIONS.map(migrationBatch)]);
  });

  test('out of time, the migration in flight is cancelled and the provider is asked to call again', async () => {
    recorded = ['010', '020'];
    statusOf = (n) => (n === 3 ? 'STARTED' : 'FINISHED');

    await expect(isSchemaComplete(deps({ remainingMs: 60_000 }), update)).resolves.toEqual({
      IsComplete: false,
    });

    expect(redshift.commandCalls(CancelStatementCommand).map((c) => c.args[0].input)).toEqual([
      { Id: 'stmt-3' },
    ]);
    expect(sent()).toHaveLength(3);
    // 60 s left less the 20 s margin: the statement was given the 40 s, no more.
    expect(clock - Date.parse(`${APPLIED_AT.replace(' ', 'T')}Z`)).toBe(40_000);
  });

  test('a file marked no-transaction runs alone (AUTO_COMMIT, no transaction block) and is then recorded', async () => {
    const root = mkdtempSync(join(tmpdir(), 'migrations-'));
    try {
      mkdirSync(join(root, 'schema'));
      writeFileSync(
        join(root, 'schema', '070_widen_type.sql'),
        '-- Redshift refuses ALTER COLUMN TYPE in a transaction block.\n-- migrate: no-transaction\n' +
          'ALTER TABLE valid_searches ALTER COLUMN type TYPE VARCHAR(128);\n',
      );
      const sqlRoots = [root, ...defaultSqlRoots()];

      await expect(isSchemaComplete(deps({ sqlRoots }), update)).resolves.toEqual({ IsComplete: true });

      const parameters = [
        { name: 'version', value: '070' },
        { name: 'name', value: 'schema/070_widen_type.sql' },
        { name: 'applied_at', value: APPLIED_AT },
      ];
      expect(sent()).toEqual([
        ...BOOKKEEPING,
        {
          Sqls: ['ALTER TABLE valid_searches ALTER COLUMN type TYPE VARCHAR(128)'],
          StatementName: 'migrate-070',
          ExecutionMode: 'AUTO_COMMIT',
        },
        { Sqls: [RECORD_VERSION], StatementName: 'migrate-070-record', Parameters: parameters },
      ]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  test('a Delete is complete at once and sends nothing', async () => {
    await expect(
      isSchemaComplete(deps(), { RequestType: 'Delete', PhysicalResourceId: 'p' }),
    ).resolves.toEqual({
      IsComplete: true,
    });
    expect(redshift.calls()).toHaveLength(0);
  });
});

describe('onEvent', () => {
  test('Create names the resource after the workgroup and database and sends nothing', async () => {
    await expect(onEvent({ RequestType: 'Create' })).resolves.toEqual({
      PhysicalResourceId: 'search-stats-schema:search-stats/analytics',
    });
    expect(redshift.calls()).toHaveLength(0);
  });

  test('Update and Delete keep the physical id they were given; Delete keeps the tables', async () => {
    await expect(onEvent({ RequestType: 'Update', PhysicalResourceId: 'existing-id' })).resolves.toEqual({
      PhysicalResourceId: 'existing-id',
    });
    await expect(onEvent({ RequestType: 'Delete', PhysicalResourceId: 'existing-id' })).resolves.toEqual({
      PhysicalResourceId: 'existing-id',
    });
    expect(redshift.calls()).toHaveLength(0);
  });
});
