/**
 * The payloads of the back-fill state machine: its input, the plan, one outcome per day and the
 * summary. Small records only: the day's data never passes through here.
 */

/** The execution input, `{"from": "YYYY-MM-DD", "to": "YYYY-MM-DD"}`, optionally `maxConcurrency`. */
export interface BackfillRequest {
  readonly from: string;
  readonly to: string;
  /** Days run at once; the state machine's default when absent. */
  readonly maxConcurrency?: number;
}

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
