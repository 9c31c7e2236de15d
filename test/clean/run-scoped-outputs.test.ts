/** Issue 12, item 4: a failed re-run never changes, nor sits beside, the day's current outputs. */
import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { TooManyRejectedRows } from '../../lambdas/shared/errors';
import { renderSearch, standard } from '../domain/render';
import { listTestKeys, readTestObject, startTestS3, type TestS3 } from '../support/s3';
import { CLEAN, dataRows, nextDate, readOutputs, runClean } from './clean-harness';

let s3: TestS3;
beforeAll(async () => {
  s3 = await startTestS3(['incoming', CLEAN]);
});
afterAll(() => s3.close());

const good = (id: string): string => `${id},${renderSearch(standard())}`;
const GOOD_DAY = ['user_id,user_data', good('1'), good('2'), good('3'), good('4')].join('\n');
const BAD_DAY = ['user_id,user_data', good('1'), '2,garbage', '3,garbage', good('4')].join('\n');
const compact = (date: string): string => date.replaceAll('-', '');

describe('run-scoped outputs', () => {
  test('a good run, then a re-run over the rejected threshold: the good run stays current, the failed one is findable by run id', async () => {
    const date = nextDate();
    const first = await runClean(s3, { body: GOOD_DAY, date, runId: 'good-run' });
    expect(first.result?.counts.rejected).toBe(0);
    const before = await readOutputs(s3, date, 'good-run');

    const rerun = await runClean(s3, {
      body: BAD_DAY,
      date,
      runId: 'bad-run',
      config: { rejectedThreshold: 0.25 },
    });

    expect(rerun.error).toBeInstanceOf(TooManyRejectedRows);
    const after = await readOutputs(s3, date, 'good-run');
    expect(after.cleaned).toBe(before.cleaned);
    expect(after.runRecord).toBe(before.runRecord);
    expect(after.validSearches).toBe(before.validSearches);
    expect(after.manifest).toBe(before.manifest);
    expect(JSON.parse(after.runRecord ?? '')).toMatchObject({
      runId: 'good-run',
      counts: { read: 4, kept: 4, rejected: 0 },
    });
    expect(dataRows(after.cleaned)).toHaveLength(4);

    const failed = await readOutputs(s3, date, 'bad-run');
    const rejectedKey = `rejected/${compact(date)}/bad-run/session_user_data${compact(date)}.rejected.csv`;
    expect(JSON.parse(failed.runScopedRecord ?? '')).toMatchObject({
      status: 'failed',
      runId: 'bad-run',
      counts: { read: 4, kept: 2, rejected: 2 },
      error: { name: 'TooManyRejectedRows' },
      outputs: { rejectedKey, runScopedRecordKey: `runs/${compact(date)}/bad-run.json` },
    });
    expect(dataRows(failed.rejected).map((row) => row.split(',')[0])).toEqual(['3', '4']);
    expect(await listTestKeys(s3.client, CLEAN, `rejected/${compact(date)}/`)).toEqual([rejectedKey]);
    expect(await listTestKeys(s3.client, CLEAN, `valid-searches/${compact(date)}/`)).toEqual([
      `valid-searches/${compact(date)}/good-run/valid_searches${compact(date)}.csv`,
      `valid-searches/${compact(date)}/good-run/valid_searches${compact(date)}.manifest`,
    ]);
  });

  test('a successful re-run becomes current; each run keeps its own record', async () => {
    const date = nextDate();
    await runClean(s3, { body: BAD_DAY, date, runId: 'first' });
    const second = await runClean(s3, { body: GOOD_DAY, date, runId: 'second' });

    const current = await readOutputs(s3, date, 'second');
    expect(JSON.parse(current.runRecord ?? '')).toEqual(second.result);
    expect(second.result?.outputs.rejectedKey).toBeUndefined();
    expect(await listTestKeys(s3.client, CLEAN, `runs/${compact(date)}/`)).toEqual([
      `runs/${compact(date)}/first.json`,
      `runs/${compact(date)}/second.json`,
    ]);
    const firstRecord = await readTestObject(s3.client, CLEAN, `runs/${compact(date)}/first.json`);
    expect(JSON.parse(firstRecord?.toString('utf8') ?? '')).toMatchObject({
      status: 'succeeded',
      counts: { rejected: 2 },
    });
  });

  test('every object a run writes names its run, the cleaned dataset in its run-id metadata', async () => {
    const date = nextDate();
    const run = await runClean(s3, { body: BAD_DAY, date, runId: 'named-run' });
    const { bucket, ...keys } = run.result?.outputs ?? { bucket: '' };
    const named = Object.values(keys);
    expect(named).toHaveLength(6);
    for (const key of named) {
      if (
        key !== `user-data-clean/session_user_data${compact(date)}.csv` &&
        !key.startsWith('runs/session_user_data')
      ) {
        expect(key).toContain('/named-run');
      }
      const head = await s3.client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
      expect({ key, runId: head.Metadata?.['run-id'] }).toEqual({ key, runId: 'named-run' });
    }
  });
});
