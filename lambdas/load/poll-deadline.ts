/**
 * How long the load step waits for its transaction. The whole invocation is the budget: the
 * Lambda's remaining time less a margin to cancel the statement and report. There is no shorter
 * fixed cap, because the wait includes time queued behind another day's `LOCK` (back-fills load
 * days at once, REDSHIFT.md): a fixed 10 minutes cancelled queued days that still had time left.
 */

/** Kept back from the Lambda's remaining time to cancel the statement and return the error. */
export const LOAD_SAFETY_MARGIN_MS = 30_000;
/** The shortest poll, even when the invocation is nearly over (the statement is then cancelled). */
const MIN_POLL_MS = 1_000;

/** The poll timeout for an invocation with `remainingMs` left (`context.getRemainingTimeInMillis()`). */
export function loadPollTimeoutMs(remainingMs: number): number {
  return Math.max(MIN_POLL_MS, remainingMs - LOAD_SAFETY_MARGIN_MS);
}
