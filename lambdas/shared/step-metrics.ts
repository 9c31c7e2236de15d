/**
 * What each step's result says as metrics: pure mappings, no Powertools and no I/O, so the
 * handler only hands the list to its Metrics instance.
 */
import { METRIC } from './metric-names';
import type { CleanResult, LoadResult } from './step-payloads';

/** A subset of Powertools' MetricUnit values, spelled as CloudWatch spells them. */
export type StepMetricUnit = 'Count' | 'Percent' | 'Bytes' | 'Milliseconds';

export interface StepMetric {
  readonly name: string;
  readonly unit: StepMetricUnit;
  readonly value: number;
}

/** Rows read, kept, duplicate, rejected, the rejected share (percent) and the input size. */
export function cleanMetrics(result: CleanResult): StepMetric[] {
  const { read, kept, duplicate, rejected } = result.counts;
  return [
    { name: METRIC.rowsRead, unit: 'Count', value: read },
    { name: METRIC.rowsKept, unit: 'Count', value: kept },
    { name: METRIC.rowsDuplicate, unit: 'Count', value: duplicate },
    { name: METRIC.rowsRejected, unit: 'Count', value: rejected },
    // Same ratio the threshold rule uses (rejected / read); an empty day rejects nothing.
    { name: METRIC.rejectedShare, unit: 'Percent', value: read === 0 ? 0 : (rejected / read) * 100 },
    { name: METRIC.inputBytes, unit: 'Bytes', value: result.source.bytes },
  ];
}

/** Valid searches loaded, and the day itself (the freshness alarm counts days loaded). */
export function loadMetrics(result: LoadResult): StepMetric[] {
  return [
    { name: METRIC.rowsLoaded, unit: 'Count', value: result.validSearchRows },
    { name: METRIC.daysLoaded, unit: 'Count', value: result.searchStatsRows },
  ];
}
