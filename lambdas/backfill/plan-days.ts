import { createHash } from 'node:crypto';
import { daysInRange } from '../domain/calendar';
import type { BackfillPlan, PlanInput, PlannedDay } from './backfill-payloads';

/** Longest range one back-fill covers: a year, leap day included. */
export const MAX_BACKFILL_DAYS = 366;
/** An inline Map runs at most 40 iterations at once, whatever is asked. */
export const MAX_BACKFILL_CONCURRENCY = 40;
/** Step Functions execution names: 1-80 characters. */
const MAX_EXECUTION_NAME = 80;

/**
 * The child execution's name: `<day>-<back-fill execution name>`, readable in the console and
 * recorded by the daily run as its `runId`. Characters outside `[A-Za-z0-9._-]` become `_`; a name
 * over 80 characters keeps the first part of the parent's name and a hash of all of it, so it stays
 * unique and the same on every attempt (a retried start finds the same execution).
 */
function childExecutionName(date: string, parentName: string): string {
  const parent = parentName.replace(/[^A-Za-z0-9._-]/g, '_');
  const name = `${date}-${parent}`;
  if (name.length <= MAX_EXECUTION_NAME) return name;
  const hash = createHash('sha256').update(parentName).digest('hex').slice(0, 8);
  return `${name.slice(0, MAX_EXECUTION_NAME - hash.length - 1)}-${hash}`;
}

/**
 * The plan step: the back-fill's request, its execution name and the machine's default concurrency
 * -> the days, each with its child's name, and the concurrency the Map uses.
 */
export function planBackfill({ request, executionName, defaultMaxConcurrency }: PlanInput): BackfillPlan {
  const { from, to, maxConcurrency } = request;
  const days: PlannedDay[] = daysInRange(from, to).map((date) => ({
    date,
    executionName: childExecutionName(date, executionName),
  }));
  return { from, to, maxConcurrency: maxConcurrency ?? defaultMaxConcurrency, days };
}
