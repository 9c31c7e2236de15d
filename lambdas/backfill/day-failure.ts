import type { DayFailed, FailureInput } from './backfill-payloads';

/** Longest error name kept in a day's record. */
const MAX_ERROR_CHARS = 80;
/** Longest reason kept in a day's record: 366 failed days must fit the Map's 256 KB output. */
export const MAX_CAUSE_CHARS = 240;

/** Error names of a child execution that ended without an error of its own. */
const ENDED_WITHOUT_ERROR: Record<string, string> = {
  TIMED_OUT: 'States.Timeout',
  ABORTED: 'ExecutionAborted',
};

function parseObject(text: unknown): Record<string, unknown> | undefined {
  if (typeof text !== 'string') return undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

const text = (value: unknown): string | undefined =>
  typeof value === 'string'
    ? value
    : value === undefined || value === null
      ? undefined
      : JSON.stringify(value);

/** One line, at most `max` characters (an ellipsis marks a cut). */
export function shorten(value: string, max: number): string {
  const line = value.replace(/\s+/g, ' ').trim();
  return line.length <= max ? line : `${line.slice(0, max - 1)}…`;
}

/**
 * The reason inside a cause: a Lambda error payload (`{"errorType","errorMessage","trace"}`, what the
 * daily machine's Fail state passes on) gives its message; anything else is the reason itself.
 */
function reasonOf(cause: string): string {
  const payload = parseObject(cause);
  return typeof payload?.errorMessage === 'string' ? payload.errorMessage : cause;
}

/**
 * A failed day's record, from what the RunDay task's Catch saw. When the child execution failed, the
 * task's error is `States.TaskFailed` and its cause the child's description as JSON (DescribeExecution:
 * `Status`, `Error`, `Cause`); the record then names the child's error and reason. Any other error
 * (the start itself failed, the task timed out) is recorded as is. Never throws: a failure that
 * cannot be read is still a failed day.
 */
export function describeDayFailure({ date, execution, failure }: FailureInput): DayFailed {
  let error = failure.Error ?? 'Unknown';
  let cause = failure.Cause ?? '';
  const child = error === 'States.TaskFailed' ? parseObject(cause) : undefined;
  const status = text(child?.Status ?? child?.status);
  if (child && status !== undefined) {
    const childError = text(child.Error ?? child.error);
    const childCause = text(child.Cause ?? child.cause);
    error = childError ?? ENDED_WITHOUT_ERROR[status] ?? `Execution${status}`;
    cause = childCause ?? `the child execution ended ${status}`;
  }
  return {
    date,
    status: 'FAILED',
    execution,
    error: shorten(error, MAX_ERROR_CHARS),
    cause: shorten(reasonOf(cause), MAX_CAUSE_CHARS),
  };
}
