import type {
  BackfillSummary,
  DayFailed,
  DayOutcome,
  SummaryInput,
  SummaryResult,
} from './backfill-payloads';
import { MAX_CAUSE_CHARS, shorten } from './day-failure';

/**
 * Step Functions keeps at most 32,768 characters of a Fail state's cause; stay under it
 * (https://docs.aws.amazon.com/step-functions/latest/apireference/API_ExecutionFailedEventDetails.html).
 */
const MAX_SUMMARY_CAUSE_CHARS = 32_000;
/** Failed days named in the one-line message. */
const NAMED_IN_MESSAGE = 10;

const show = (value: unknown): string => JSON.stringify(value) ?? String(value);

/** A day's outcome as the Map collected it; anything that is not a success counts as a failure. */
function readOutcome(value: unknown, index: number): DayOutcome {
  const record = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  const date = typeof record.date === 'string' ? record.date : `#${index + 1}`;
  const execution = typeof record.execution === 'string' ? record.execution : '';
  if (record.status === 'SUCCEEDED') return { date, status: 'SUCCEEDED', execution };
  return {
    date,
    status: 'FAILED',
    execution,
    error: typeof record.error === 'string' ? record.error : 'Unknown',
    cause:
      typeof record.cause === 'string'
        ? shorten(record.cause, MAX_CAUSE_CHARS)
        : `unexpected day outcome ${shorten(show(value), 200)}`,
  };
}

function message(from: string, to: string, days: number, failed: readonly DayFailed[]): string {
  const range = `${days} day${days === 1 ? '' : 's'} ${from}..${to}`;
  if (failed.length === 0) return `${range}: all succeeded`;
  const named = failed.slice(0, NAMED_IN_MESSAGE).map((f) => f.date);
  const more = failed.length > named.length ? ` and ${failed.length - named.length} more` : '';
  return `${range}: ${days - failed.length} succeeded, ${failed.length} failed (${named.join(', ')}${more})`;
}

/**
 * The cause of the Fail state that ends a back-fill with failed days: the summary as JSON, with the
 * last failures left out (counted in `omittedFailures`) if it would not fit. (366 succeeded days
 * take under 5,000 characters; the failures' reasons are what can grow.)
 */
function causeOf(summary: BackfillSummary): string {
  const { failures, ...rest } = summary;
  const withFirst = (kept: number): string => {
    const omitted = failures.length - kept;
    return JSON.stringify({
      ...rest,
      failures: failures.slice(0, kept),
      ...(omitted > 0 ? { omittedFailures: omitted } : {}),
    });
  };
  // The length grows with every failure kept: find the most that fit.
  let [low, high] = [0, failures.length];
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (withFirst(mid).length <= MAX_SUMMARY_CAUSE_CHARS) low = mid;
    else high = mid - 1;
  }
  return withFirst(low);
}

/**
 * The summary step: `{from, to, results}` (the Map's records, one per day, in day order) -> how many
 * days succeeded and failed, which failed and why.
 */
export function summarizeBackfill({ from, to, results }: SummaryInput): SummaryResult {
  const outcomes = results.map(readOutcome);
  const failed = outcomes.filter((o): o is DayFailed => o.status === 'FAILED');
  const summary: BackfillSummary = {
    from,
    to,
    days: outcomes.length,
    succeeded: outcomes.length - failed.length,
    failed: failed.length,
    succeededDays: outcomes.filter((o) => o.status === 'SUCCEEDED').map((o) => o.date),
    failures: failed.map(({ date, execution, error, cause }) => ({ date, execution, error, cause })),
    message: message(from, to, outcomes.length, failed),
  };
  return { summary, cause: causeOf(summary) };
}
