/**
 * The payloads of the back-fill state machine: its input, the plan, one outcome per day and the
 * summary. Small records only: the day's data never passes through here. The payloads a step reads
 * have their schema here; the handlers and the local tasks parse with the same one.
 */
import * as z from 'zod';
import { countDays } from '../domain/calendar';
import { isoDate, nonEmptyText, ONCE_FIELDS_PASS, payloadParser } from '../shared/payload-schema';
import { MAX_BACKFILL_CONCURRENCY, MAX_BACKFILL_DAYS } from './plan-days';

/** Days run at once: what an inline Map allows. */
const concurrency = z
  .number({ error: `must be an integer from 1 to ${MAX_BACKFILL_CONCURRENCY}` })
  .int({ error: `must be an integer from 1 to ${MAX_BACKFILL_CONCURRENCY}` })
  .min(1, { error: `must be an integer from 1 to ${MAX_BACKFILL_CONCURRENCY}` })
  .max(MAX_BACKFILL_CONCURRENCY, { error: `must be an integer from 1 to ${MAX_BACKFILL_CONCURRENCY}` });

/** The execution input, `{"from": "YYYY-MM-DD", "to": "YYYY-MM-DD"}`, optionally `maxConcurrency`. */
const BackfillRequestSchema = z
  .object(
    {
      from: isoDate,
      to: isoDate,
      /** Days run at once; the state machine's default when absent. */
      maxConcurrency: concurrency.optional(),
    },
    { error: 'must be a JSON object {"from": "YYYY-MM-DD", "to": "YYYY-MM-DD"}' },
  )
  .superRefine(({ from, to }, ctx) => {
    if (from > to) {
      ctx.addIssue({ code: 'custom', path: ['from'], input: from, message: `is after to (${to})` });
      return;
    }
    const days = countDays(from, to);
    if (days > MAX_BACKFILL_DAYS) {
      ctx.addIssue({
        code: 'custom',
        path: ['to'],
        input: to,
        message: `is too far: ${from}..${to} has ${days} days; one back-fill covers at most ${MAX_BACKFILL_DAYS} (split the range)`,
      });
    }
  }, ONCE_FIELDS_PASS)
  .readonly();
export type BackfillRequest = z.output<typeof BackfillRequestSchema>;

/**
 * The plan step's input: the execution input, the back-fill's execution name (its children are named
 * after it) and the machine's default concurrency, as the state machine passes them.
 */
const PlanInputSchema = z
  .object(
    {
      request: BackfillRequestSchema,
      executionName: nonEmptyText,
      defaultMaxConcurrency: concurrency,
    },
    { error: 'must be an object' },
  )
  .readonly();
export type PlanInput = z.output<typeof PlanInputSchema>;
/** The plan step's input, checked. */
export const parsePlanInput = payloadParser(PlanInputSchema, '');

/** One day of the plan: the day and the name of its child execution of the daily machine. */
export interface PlannedDay {
  readonly date: string;
  readonly executionName: string;
}

/** Output of the plan step (`$.plan`): what the Map iterates over, and how many at once. */
export interface BackfillPlan {
  readonly from: string;
  readonly to: string;
  readonly maxConcurrency: number;
  readonly days: readonly PlannedDay[];
}

/** A day whose child execution succeeded. */
export interface DaySucceeded {
  readonly date: string;
  readonly status: 'SUCCEEDED';
  readonly execution: string;
}

/** A day whose child execution failed (or could not start): the child's error and a short reason. */
export interface DayFailed {
  readonly date: string;
  readonly status: 'FAILED';
  readonly execution: string;
  /** The child's error name (e.g. `InputNotFound`), or the start's own error. */
  readonly error: string;
  /** The reason, one line, shortened. */
  readonly cause: string;
}

/** What the Map collects for each day. */
export type DayOutcome = DaySucceeded | DayFailed;

/** The back-fill's result: the machine's output when every day succeeded. */
export interface BackfillSummary {
  readonly from: string;
  readonly to: string;
  /** Days planned. */
  readonly days: number;
  readonly succeeded: number;
  readonly failed: number;
  readonly succeededDays: readonly string[];
  readonly failures: readonly Omit<DayFailed, 'status'>[];
  /** One line for people: `3 days 2021-07-01..2021-07-03: 2 succeeded, 1 failed (2021-07-03)`. */
  readonly message: string;
}

/** Output of the summary step: the summary, and the same as JSON for the Fail state's cause. */
export interface SummaryResult {
  readonly summary: BackfillSummary;
  /** The summary as JSON, within the 32,768-character cause limit (the last failures dropped if need be). */
  readonly cause: string;
}

/**
 * The describe-failure step's input: the day, its child's name and what the RunDay task's Catch
 * caught (`{Error, Cause}`). Read leniently on purpose: a failure that cannot be read is still a
 * failed day, and this step failing would stop the whole back-fill, so nothing here is refused.
 */
const FailureInputSchema = z
  .object({
    date: z.string().catch(''),
    execution: z.string().catch(''),
    failure: z
      .object({
        Error: z.string().optional().catch(undefined),
        Cause: z.string().optional().catch(undefined),
      })
      .catch({}),
  })
  .catch({ date: '', execution: '', failure: {} })
  .readonly();
export type FailureInput = z.output<typeof FailureInputSchema>;
/** The describe-failure step's input; never throws. */
export const parseFailureInput = payloadParser(FailureInputSchema, '');

/**
 * The summary step's input: the planned range and the Map's records, one per day, in day order. A
 * record is read by the summary itself (anything that is not a success counts as a failure).
 */
const SummaryInputSchema = z
  .object(
    {
      from: isoDate,
      to: isoDate,
      results: z.array(z.unknown(), { error: 'must be an array' }),
    },
    { error: 'must be an object' },
  )
  .readonly();
export type SummaryInput = z.output<typeof SummaryInputSchema>;
/** The summary step's input, checked. */
export const parseSummaryInput = payloadParser(SummaryInputSchema, '');
