/**
 * The back-fill state machine's names and defaults, apart from its construct so the local runner and
 * CLI can use them without loading aws-cdk-lib.
 */

/** Days run at once when neither the input nor the context says. */
export const DEFAULT_BACKFILL_CONCURRENCY = 4;
/** The context key that sets the default concurrency at deploy time. */
export const BACKFILL_CONCURRENCY_CONTEXT_KEY = 'backfillMaxConcurrency';
/** The error name of a back-fill that ended with failed days (its cause is the summary as JSON). */
export const BACKFILL_FAILED_ERROR = 'BackfillDaysFailed';

/** The state names the local runner and the tests rely on. */
export const BACKFILL_STATE_NAMES = {
  plan: 'PlanDays',
  runDays: 'RunDays',
  runDay: 'RunDay',
  daySucceeded: 'DaySucceeded',
  describeFailure: 'DescribeDayFailure',
  failureUnread: 'DayFailureUnread',
  summarize: 'Summarize',
  anyFailed: 'AnyDayFailed',
  failed: 'BackfillFailed',
  done: 'Done',
} as const;
