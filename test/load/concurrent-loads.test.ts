/**
 * Several days' loads at once (a back-fill), through the real load handler and a mocked Data API
 * whose statements queue behind each other's LOCK: each holds the tables for 4.5 minutes, so the
 * third day waits 9 minutes before it even starts. Jest's fake timers drive the handler's sleeps and
 * its clock.
 */
import './silent-logs';
import {
  BatchExecuteStatementCommand,
  CancelStatementCommand,
  DescribeStatementCommand,
  RedshiftDataClient,
  type BatchExecuteStatementCommandInput,
} from '@aws-sdk/client-redshift-data';
import { mockClient } from 'aws-sdk-client-mock';
import { handler } from '../../lambdas/load/handler';
import type { LoadResult } from '../../lambdas/shared/step-payloads';
import { JULY_2, dayFixture } from './day-fixture';
import { REDSHIFT_LOAD_SQLS } from './redshift-sql';
import { lambdaContext } from '../support/lambda-context';

const redshift = mockClient(RedshiftDataClient);
const saved = { ...process.env };
const START = Date.parse('2021-07-25T01:00:00Z');
const MINUTE = 60_000;
/** How long each load holds the LOCK once it has it. */
const HOLD_MS = 4.5 * MINUTE;
/** A 15-minute Lambda, invoked just now. */
const LAMBDA_TIMEOUT_MS = 15 * MINUTE;

let finishAt: Map<string, number>;
let submissions: BatchExecuteStatementCommandInput[];

beforeEach(() => {
  jest.useFakeTimers({ now: START });
  redshift.reset();
  process.env = {
    ...saved,
    REDSHIFT_WORKGROUP: 'search-stats',
    REDSHIFT_DATABASE: 'analytics',
    CLEAN_BUCKET: 'clean',
    POWERTOOLS_LOG_LEVEL: 'SILENT',
  };
  finishAt = new Map();
  submissions = [];
  // The warehouse runs one load at a time (LOCK): each starts when the previous one commits.
  redshift.on(BatchExecuteStatementCommand).callsFake((input: BatchExecuteStatementCommandInput) => {
    submissions.push(input);
    const id = `stmt-${submissions.length}`;
    const previous = Math.max(Date.now(), ...finishAt.values());
    finishAt.set(id, previous + HOLD_MS);
    return { Id: id };
  });
  redshift.on(DescribeStatementCommand).callsFake(({ Id }: { Id: string }) => {
    const done = Date.now() >= (finishAt.get(Id) ?? Infinity);
    return {
      Id,
      Status: done ? 'FINISHED' : 'STARTED',
      SubStatements: REDSHIFT_LOAD_SQLS.map((_, i) => ({
        Id: `${Id}:${i + 1}`,
        Status: done ? 'FINISHED' : 'STARTED',
        ResultRows: done ? 1 : -1,
      })),
    };
  });
  redshift.on(CancelStatementCommand).resolves({ Status: true });
});

afterEach(() => {
  jest.useRealTimers();
});

afterAll(() => {
  process.env = saved;
});

/** Starts one load per day at once, each in its own 15-minute invocation, and runs the clock. */
async function loadAtOnce(days: string[]): Promise<PromiseSettledResult<LoadResult>[]> {
  const invokedAt = Date.now();
  const context = {
    ...lambdaContext(),
    getRemainingTimeInMillis: () => invokedAt + LAMBDA_TIMEOUT_MS - Date.now(),
  };
  const settled = Promise.allSettled(days.map((day) => handler(dayFixture(day, JULY_2).clean, context)));
  await jest.advanceTimersByTimeAsync(LAMBDA_TIMEOUT_MS);
  return settled;
}

const compact = (day: string) => day.replace(/-/g, '');

test('three days loaded at once all commit: the one queued 9 minutes behind the others is not cancelled', async () => {
  const days = ['2021-07-02', '2021-07-03', '2021-07-04'];

  const results = await loadAtOnce(days);

  expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled']);
  expect(redshift.commandCalls(CancelStatementCommand)).toHaveLength(0);
  expect(submissions.map((input) => input.Sqls)).toEqual(
    days.map((day) => REDSHIFT_LOAD_SQLS.map((sql) => sql.replace('20210702', compact(day)))),
  );
  expect(
    submissions.map((input) => [input.StatementName, input.Parameters?.find((p) => p.name === 'day')]),
  ).toEqual(days.map((day) => [`load-${day}`, { name: 'day', value: day }]));
  // The last commit came 13.5 minutes in: past the old fixed 10-minute deadline, inside the Lambda.
  expect(finishAt.get('stmt-3')).toBe(START + 3 * HOLD_MS);
});

test('a day still queued when its invocation is about to end is cancelled then, 30 s before the timeout', async () => {
  const days = ['2021-07-02', '2021-07-03', '2021-07-04', '2021-07-05'];

  const results = await loadAtOnce(days);

  expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'rejected']);
  const failure = results[3] as PromiseRejectedResult;
  expect(failure.reason).toMatchObject({
    name: 'WarehouseUnavailable',
    message: 'load-2021-07-05: statement stmt-4 did not finish within 870 s; cancelled it',
  });
  expect(redshift.commandCalls(CancelStatementCommand).map((c) => c.args[0].input)).toEqual([
    { Id: 'stmt-4' },
  ]);
});
