import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { appendExecution, dailyRecord, readExecutions } from '../../local/runner/execution-log';
import type { DayResult } from '../../local/runner/execute-day';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'execution-log-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const failedDay: DayResult = {
  day: '2021-07-03',
  status: 'FAILED',
  executionName: '2021-07-03-0badc0de',
  startedAt: '2021-07-04T00:30:00.000Z',
  millis: 2500,
  attempts: [
    { step: 'Validate', startedAt: '2021-07-04T00:30:00.010Z', millis: 40, error: 'InputNotFound' },
    { step: 'Validate', startedAt: '2021-07-04T00:30:01.000Z', millis: 35, error: 'InputNotFound' },
  ],
  retries: 1,
  failure: { step: 'Validate', error: 'InputNotFound', cause: 'no file' },
  notifications: [],
};

test('a finished execution is appended as one line and read back with its attempts and finish time', async () => {
  const file = path.join(dir, 'a', 'executions.jsonl');
  await appendExecution(file, dailyRecord(failedDay));
  await appendExecution(file, {
    machine: 'backfill',
    executionName: 'bf',
    status: 'SUCCEEDED',
    startedAt: '2021-07-04T01:00:00.000Z',
    finishedAt: '2021-07-04T01:05:00.000Z',
  });
  const records = await readExecutions(file);
  expect(records).toEqual([
    {
      machine: 'daily',
      day: '2021-07-03',
      executionName: '2021-07-03-0badc0de',
      status: 'FAILED',
      startedAt: '2021-07-04T00:30:00.000Z',
      finishedAt: '2021-07-04T00:30:02.500Z',
      retries: 1,
      attempts: failedDay.attempts,
      failure: { step: 'Validate', error: 'InputNotFound' },
    },
    expect.objectContaining({ machine: 'backfill', executionName: 'bf' }),
  ]);
});

test('no log is no executions; a line that is not a record fails naming the file and line', async () => {
  expect(await readExecutions(path.join(dir, 'missing.jsonl'))).toEqual([]);
  const file = path.join(dir, 'bad.jsonl');
  await writeFile(file, `${JSON.stringify(dailyRecord(failedDay))}\n{"machine":"daily"}\n`);
  await expect(readExecutions(file)).rejects.toMatchObject({
    name: 'ExecutionLogError',
    message: `${file} line 2 is not an execution record`,
    cause: expect.objectContaining({ name: 'ZodError' }),
  });
});
