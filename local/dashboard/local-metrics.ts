/**
 * A dashboard metric, answered from the local run: the same statistic over the same period, from
 * what the local run really recorded, or "no local data" when only AWS has it. Nothing is invented:
 * a metric the local run cannot observe has no points at all.
 *
 * Time axis: a daily (86,400 s) metric is keyed by the data's day (on AWS a point is the time the
 * step published it, the run's day, usually the next one); an hourly metric by the clock hour the
 * local execution started or finished.
 */
import { METRICS_NAMESPACE } from '../../lambdas/shared/metric-names';
import { SCALE_OUT_STATE_NAMES } from '../../lib/workflow/scale-out-names';
import type { DailyExecutionRecord, ExecutionRecord } from '../runner/execution-log';
import type { WidgetMetric } from './dashboard-body';
import type { LocalDashboardData } from './local-data';

export type LocalSeries =
  | {
      readonly kind: 'local';
      /** Where the numbers come from, in the reader's words. */
      readonly source: string;
      /** Bucket (`YYYY-MM-DD`, or `YYYY-MM-DDTHH` for hourly metrics) -> the statistic's value. */
      readonly points: ReadonlyMap<string, number>;
      /** Counts are 0 in a bucket with no event; measurements have a gap there. */
      readonly zeroWhenAbsent: boolean;
    }
  | { readonly kind: 'none'; readonly reason: string };

interface Observation {
  readonly bucket: string;
  readonly value: number;
}

const DAY_SECONDS = 86_400;
const HOUR_SECONDS = 3_600;

/** The `step` dimension's value for a local state name (scale-out Combine reports as clean). */
const METRIC_STEP: Readonly<Record<string, string>> = {
  Validate: 'validate',
  Clean: 'clean',
  [SCALE_OUT_STATE_NAMES.combine]: 'clean',
  Load: 'load',
};

const hourOf = (iso: string): string => iso.slice(0, 13);

function aggregate(stat: string, values: readonly number[]): number {
  switch (stat) {
    case 'Sum':
      return values.reduce((a, b) => a + b, 0);
    case 'Maximum':
      return Math.max(...values);
    case 'Minimum':
      return Math.min(...values);
    case 'Average':
      return values.reduce((a, b) => a + b, 0) / values.length;
    case 'SampleCount':
      return values.length;
    default:
      throw new Error(`statistic ${stat} has no local equivalent`);
  }
}

function local(
  metric: WidgetMetric,
  source: string,
  observations: readonly Observation[],
  zeroWhenAbsent: boolean,
): LocalSeries {
  const grouped = new Map<string, number[]>();
  for (const o of observations) grouped.set(o.bucket, [...(grouped.get(o.bucket) ?? []), o.value]);
  const points = new Map([...grouped].map(([bucket, values]) => [bucket, aggregate(metric.stat, values)]));
  return { kind: 'local', source, points, zeroWhenAbsent };
}

const daily = (executions: readonly ExecutionRecord[]): DailyExecutionRecord[] =>
  executions.filter((e): e is DailyExecutionRecord => e.machine === 'daily');

function pipelineMetric(metric: WidgetMetric, data: LocalDashboardData): LocalSeries {
  const { volumes } = data;
  const runs = daily(data.executions);
  const perDay = (pick: (v: (typeof volumes)[number]) => number): Observation[] =>
    volumes.map((v) => ({ bucket: v.day, value: pick(v) }));
  switch (metric.metricName) {
    case 'RowsRead':
      return local(
        metric,
        'search_stats',
        perDay((v) => v.rowsRead),
        false,
      );
    case 'RowsKept':
      return local(
        metric,
        'search_stats',
        perDay((v) => v.rowsKept),
        false,
      );
    case 'RowsDuplicate':
      return local(
        metric,
        'search_stats',
        perDay((v) => v.rowsDuplicate),
        false,
      );
    case 'RowsRejected':
      return local(
        metric,
        'search_stats',
        perDay((v) => v.rowsRejected),
        false,
      );
    case 'RejectedShare':
      // The ratio Clean publishes (lambdas/shared/step-metrics.ts): rejected / read, in percent.
      return local(
        metric,
        'search_stats',
        perDay((v) => (v.rowsRead === 0 ? 0 : (v.rowsRejected / v.rowsRead) * 100)),
        false,
      );
    case 'RowsLoaded':
      return local(
        metric,
        'valid_searches rows',
        perDay((v) => v.validSearchesLoaded),
        false,
      );
    case 'DaysLoaded':
      return local(
        metric,
        'executions.jsonl',
        runs.filter((r) => r.status === 'SUCCEEDED').map((r) => ({ bucket: r.day, value: 1 })),
        true,
      );
    case 'StepDuration':
      return local(
        metric,
        'executions.jsonl',
        runs.flatMap((r) =>
          r.attempts
            .filter((a) => METRIC_STEP[a.step] === metric.dimensions.step)
            .map((a) => ({ bucket: r.day, value: a.millis })),
        ),
        false,
      );
    case 'InputBytes':
      return local(
        metric,
        'executions.jsonl',
        runs.flatMap((r) => (r.inputBytes === undefined ? [] : [{ bucket: r.day, value: r.inputBytes }])),
        false,
      );
    default:
      return { kind: 'none', reason: `the local run does not record ${metric.metricName}` };
  }
}

function stateMachineMetric(metric: WidgetMetric, data: LocalDashboardData): LocalSeries {
  const machineId = metric.dimensions.StateMachineArn;
  const machine =
    machineId === data.resources.dailyStateMachine
      ? 'daily'
      : machineId === data.resources.backfillStateMachine
        ? 'backfill'
        : undefined;
  if (machine === undefined) return { kind: 'none', reason: `no local state machine ${String(machineId)}` };
  const records = data.executions.filter((e) => e.machine === machine);
  const hourly = metric.periodSeconds === HOUR_SECONDS;
  if (!hourly && metric.periodSeconds !== DAY_SECONDS) {
    return { kind: 'none', reason: `period ${metric.periodSeconds} s` };
  }
  const bucket = (e: ExecutionRecord, at: 'startedAt' | 'finishedAt'): string =>
    hourly ? hourOf(e[at]) : e.machine === 'daily' ? e.day : e[at].slice(0, 10);
  const count = (pick: (e: ExecutionRecord) => boolean, at: 'startedAt' | 'finishedAt'): Observation[] =>
    records.filter(pick).map((e) => ({ bucket: bucket(e, at), value: 1 }));
  const source = 'executions.jsonl';
  switch (metric.metricName) {
    case 'ExecutionsStarted':
      return local(
        metric,
        source,
        count(() => true, 'startedAt'),
        true,
      );
    case 'ExecutionsSucceeded':
      return local(
        metric,
        source,
        count((e) => e.status === 'SUCCEEDED', 'finishedAt'),
        true,
      );
    case 'ExecutionsFailed':
      return local(
        metric,
        source,
        count((e) => e.status === 'FAILED', 'finishedAt'),
        true,
      );
    default:
      return {
        kind: 'none',
        reason: `${metric.metricName}: Step Functions throttling and execution timeouts happen only on AWS`,
      };
  }
}

function lambdaMetric(metric: WidgetMetric, data: LocalDashboardData): LocalSeries {
  const functionId = metric.dimensions.FunctionName ?? '';
  const step = data.resources.stepOfFunction[functionId];
  if (metric.metricName !== 'Errors' || step === undefined) {
    return { kind: 'none', reason: `Lambda's ${metric.metricName} is measured by the Lambda service only` };
  }
  // A step invocation that threw is what Lambda counts as a function error (each one retried or
  // failing the step); timeouts and out-of-memory kills, which Lambda also counts, do not happen locally.
  return local(
    metric,
    'executions.jsonl (step invocations that threw)',
    daily(data.executions).flatMap((r) =>
      r.attempts
        .filter((a) => a.step === step && a.error !== undefined)
        .map(() => ({ bucket: r.day, value: 1 })),
    ),
    true,
  );
}

/** The local answer for one of the dashboard's metrics. */
export function localSeries(metric: WidgetMetric, data: LocalDashboardData): LocalSeries {
  if (metric.periodSeconds !== DAY_SECONDS && metric.periodSeconds !== HOUR_SECONDS) {
    return { kind: 'none', reason: `period ${metric.periodSeconds} s has no local equivalent` };
  }
  if (metric.namespace === METRICS_NAMESPACE) return pipelineMetric(metric, data);
  if (metric.namespace === 'AWS/States') return stateMachineMetric(metric, data);
  if (metric.namespace === 'AWS/Lambda') return lambdaMetric(metric, data);
  return { kind: 'none', reason: `${metric.namespace} exists only on AWS` };
}

/** The buckets a graph spans: every day (or hour) from the first to the last the local data has. */
export function bucketRange(buckets: Iterable<string>, hourly: boolean): string[] {
  const sorted = [...new Set(buckets)].sort();
  const first = sorted[0];
  const last = sorted[sorted.length - 1];
  if (first === undefined || last === undefined) return [];
  const step = hourly ? HOUR_SECONDS * 1000 : DAY_SECONDS * 1000;
  const parse = (b: string): number => Date.parse(hourly ? `${b}:00:00Z` : `${b}T00:00:00Z`);
  const out: string[] = [];
  for (let t = parse(first); t <= parse(last); t += step) {
    out.push(new Date(t).toISOString().slice(0, hourly ? 13 : 10));
  }
  return out;
}
