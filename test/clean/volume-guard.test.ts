/** Issue 12, item 6: a day with no rows, or far below its recent days, does not replace a loaded day. */
import { SuspiciousVolume } from '../../lambdas/shared/errors';
import { renderSearch, standard } from '../domain/render';
import { startTestS3, type TestS3 } from '../support/s3';
import { CLEAN, readOutputs, runClean, type CleanInput } from './clean-harness';

let s3: TestS3;
beforeAll(async () => {
  s3 = await startTestS3(['incoming', CLEAN]);
});
afterAll(() => s3.close());

/** The deployed defaults: below 10% of the median of the previous 7 days fails. */
const GUARD = { volumeMinShare: 0.1, volumeLookbackDays: 7 };
const HEADER_ONLY = 'user_id,user_data\n';
const day = (users: number): string =>
  ['user_id,user_data', ...Array.from({ length: users }, (_, i) => `u${i},${renderSearch(standard())}`)].join(
    '\n',
  );

/** `YYYY-MM-DD`, `n` days after 2023-03-01 (a range no other test file uses). */
const date = (block: number, n: number): string =>
  new Date(Date.UTC(2023, 2, 1 + block * 20 + n)).toISOString().slice(0, 10);

/** Cleans days 0..count-1 of the block with `users(n)` users each; all succeed. */
async function history(block: number, users: (n: number) => number, count = 7): Promise<void> {
  for (let n = 0; n < count; n++) {
    const run = await runClean(s3, { body: day(users(n)), date: date(block, n), config: GUARD });
    expect(run.error).toBeUndefined();
  }
}

const clean = (input: CleanInput) => runClean(s3, { ...input, config: { ...GUARD, ...input.config } });

describe('the volume guard', () => {
  test('a header-only day fails with SuspiciousVolume naming its rows, the recent median and the threshold', async () => {
    await history(0, (n) => 20 + n * 2); // 20, 22, ..., 32: median 26
    const run = await clean({ body: HEADER_ONLY, date: date(0, 7) });
    expect(run.error).toBeInstanceOf(SuspiciousVolume);
    expect((run.error as Error).message).toBe(
      `${date(0, 7)} kept 0 rows; the median of the previous 7 day(s) is 26 kept rows; ` +
        'threshold 2.6 = 10% of the median. Nothing was replaced. ' +
        'If the drop is expected, re-run with "allowVolumeDrop": true in the execution input',
    );
  });

  test('a re-run of a loaded day with no rows leaves its current outputs as they were', async () => {
    const target = date(1, 0);
    const loaded = await clean({ body: day(5), date: target, runId: 'loaded' });
    expect(loaded.error).toBeUndefined();
    const before = await readOutputs(s3, target, 'loaded');
    const rerun = await clean({ body: `${HEADER_ONLY}\n\n\n\n`, date: target, runId: 'blank-lines' });
    expect(rerun.error).toBeInstanceOf(SuspiciousVolume);
    expect((rerun.error as Error).message).toMatch(
      /kept 0 rows; no previous day has a run record to compare with; a day must keep at least 1 row/,
    );
    const after = await readOutputs(s3, target, 'loaded');
    expect(after.cleaned).toBe(before.cleaned);
    expect(after.runRecord).toBe(before.runRecord);
    const failed = await readOutputs(s3, target, 'blank-lines');
    expect(JSON.parse(failed.runScopedRecord ?? '')).toMatchObject({
      status: 'failed',
      error: { name: 'SuspiciousVolume' },
      counts: { kept: 0 },
    });
  });

  test('the same empty day with allowVolumeDrop succeeds with zero rows', async () => {
    await history(2, () => 20);
    const run = await clean({ body: HEADER_ONLY, date: date(2, 7), allowVolumeDrop: true });
    expect(run.error).toBeUndefined();
    expect(run.result?.counts).toEqual({ read: 0, kept: 0, duplicate: 0, rejected: 0 });
  });

  test('a normal day after 7 normal days passes', async () => {
    await history(3, (n) => 18 + (n % 3));
    const run = await clean({ body: day(17), date: date(3, 7) });
    expect(run.error).toBeUndefined();
    expect(run.result?.counts.kept).toBe(17);
  });

  test('only the previous lookback days count, and only the ones with a record', async () => {
    await history(4, () => 100, 3); // days 0..2: 100 rows; days 3..6 never ran
    const run = await clean({ body: day(9), date: date(4, 7), config: { volumeLookbackDays: 3 } });
    expect(run.error).toBeUndefined(); // days 4..6 have no record: nothing to compare with
    // Day 8 over 7 days: days 1, 2 (100 rows) and 7 (9 rows) have a record, median 100.
    const wider = await clean({ body: day(9), date: date(4, 8) });
    expect(wider.error).toBeInstanceOf(SuspiciousVolume);
    expect((wider.error as Error).message).toContain('the median of the previous 3 day(s) is 100 kept rows');
  });

  test('the threshold comes from the configuration', async () => {
    await history(5, () => 20);
    const atHalf = { volumeMinShare: 0.5 };
    const below = await clean({ body: day(9), date: date(5, 7), config: atHalf });
    expect(below.error).toBeInstanceOf(SuspiciousVolume);
    expect((below.error as Error).message).toContain(
      'kept 9 rows; the median of the previous 7 day(s) is 20',
    );
    expect((below.error as Error).message).toContain('threshold 10 = 50% of the median');
    const atThreshold = await clean({ body: day(10), date: date(5, 7), config: atHalf });
    expect(atThreshold.error).toBeUndefined();
    const off = await clean({ body: day(1), date: date(5, 8), config: { volumeMinShare: 0 } });
    expect(off.error).toBeUndefined();
  });
});
