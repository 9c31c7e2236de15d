import { cleanMetrics, loadMetrics } from '../../lambdas/shared/step-metrics';
import type { CleanResult, LoadResult } from '../../lambdas/shared/step-payloads';

const clean = (counts: CleanResult['counts']): CleanResult =>
  ({ counts, source: { bucket: 'b', key: 'k', etag: 'e', bytes: 2048 } }) as CleanResult;

const value = (metrics: ReturnType<typeof cleanMetrics>, name: string): number | undefined =>
  metrics.find((m) => m.name === name)?.value;

describe('the metrics a step result maps to', () => {
  test('the rejected share is rejected / read in percent, the ratio the failing threshold applies to', () => {
    const metrics = cleanMetrics(clean({ read: 800, kept: 790, duplicate: 6, rejected: 4 }));
    expect(value(metrics, 'RejectedShare')).toBe(0.5);
    expect(metrics.find((m) => m.name === 'RejectedShare')?.unit).toBe('Percent');
    expect(value(metrics, 'InputBytes')).toBe(2048);
  });

  test('an empty day rejects nothing: share 0, not NaN', () => {
    expect(value(cleanMetrics(clean({ read: 0, kept: 0, duplicate: 0, rejected: 0 })), 'RejectedShare')).toBe(
      0,
    );
  });

  test('a load counts its day once and its valid searches as rows loaded', () => {
    const result: LoadResult = {
      date: '2021-07-02',
      runId: 'r',
      searchStatsRows: 1,
      validSearchRows: 12_345,
      statementId: 's',
      millis: 10,
    };
    expect(loadMetrics(result)).toEqual([
      { name: 'RowsLoaded', unit: 'Count', value: 12_345 },
      { name: 'DaysLoaded', unit: 'Count', value: 1 },
    ]);
  });
});
