import { createHash } from 'node:crypto';
import { isIsoDate } from '../domain/calendar';
import { InvalidRequest } from '../shared/errors';
import type { BackfillPlan, BackfillRequest, PlannedDay } from './backfill-payloads';

/** Longest range one back-fill covers: a year, leap day included. */
export const MAX_BACKFILL_DAYS = 366;
/** An inline Map runs at most 40 iterations at once, whatever is asked. */
export const MAX_BACKFILL_CONCURRENCY = 40;
/** Step Functions execution names: 1-80 characters. */
const MAX_EXECUTION_NAME = 80;
const DAY_MS = 86_400_000;

const show = (value: unknown): string => JSON.stringify(value) ?? String(value);

function isConcurrency(value: unknown): value is number {
  return Number.isInteger(value) && (value as number) >= 1 && (value as number) <= MAX_BACKFILL_CONCURRENCY;
}

const epochDay = (isoDate: string): number => Date.parse(`${isoDate}T00:00:00Z`) / DAY_MS;

/** Days from `from` to `to`, both included (0 when `to` is before `from`). Both are real dates. */
export function countDays(from: string, to: string): number {
  return Math.max(0, epochDay(to) - epochDay(from) + 1);
}

/** Every day from `from` to `to`, both included, in order. */
export function daysInRange(from: string, to: string): string[] {
  const first = epochDay(from);
  return Array.from({ length: countDays(from, to) }, (_, i) =>
    new Date((first + i) * DAY_MS).toISOString().slice(0, 10),
  );
}

/**
 * The child execution's name: `<day>-<back-fill execution name>`, readable in the console and
 * recorded by the daily run as its `runId`. Characters outside `[A-Za-z0-9._-]` become `_`; a name
 * over 80 characters keeps the first part of the parent's name and a hash of all of it, so it stays
 * unique and the same on every attempt (a retried start finds the same execution).
 */
export function childExecutionName(date: string, parentName: string): string {
  const parent = parentName.replace(/[^A-Za-z0-9._-]/g, '_');
  const name = `${date}-${parent}`;
  if (name.length <= MAX_EXECUTION_NAME) return name;
  const hash = createHash('sha256').update(parentName).digest('hex').slice(0, 8);
  return `${name.slice(0, MAX_EXECUTION_NAME - hash.length - 1)}-${hash}`;
}

/** Reads and checks the execution input; every problem is an InvalidRequest naming the field. */
export function readBackfillRequest(input: unknown): BackfillRequest {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new InvalidRequest(`input must be a JSON object {"from": "YYYY-MM-DD", "to": "YYYY-MM-DD"}`);
  }
  const { from, to, maxConcurrency } = input as Record<string, unknown>;
  for (const [field, value] of [
    ['from', from],
    ['to', to],
  ] as const) {
    if (typeof value !== 'string' || !isIsoDate(value)) {
      throw new InvalidRequest(`${field} must be a real calendar date as YYYY-MM-DD, got ${show(value)}`);
    }
  }
  const range = { from: from as string, to: to as string };
  if (range.from > range.to) throw new InvalidRequest(`from (${range.from}) is after to (${range.to})`);
  const days = countDays(range.from, range.to);
  if (days > MAX_BACKFILL_DAYS) {
    throw new InvalidRequest(
      `${range.from}..${range.to} has ${days} days; one back-fill covers at most ${MAX_BACKFILL_DAYS} (split the range)`,
    );
  }
  if (maxConcurrency !== undefined && !isConcurrency(maxConcurrency)) {
    throw new InvalidRequest(
      `maxConcurrency must be an integer from 1 to ${MAX_BACKFILL_CONCURRENCY}, got ${show(maxConcurrency)}`,
    );
  }
  return maxConcurrency === undefined ? range : { ...range, maxConcurrency };
}

/**
 * The plan step: `{request, executionName, defaultMaxConcurrency}` (the state machine passes its
 * input, its execution name and its default) -> the days, each with its child's name, and the
 * concurrency the Map uses.
 */
export function planBackfill(event: unknown): BackfillPlan {
  const { request, executionName, defaultMaxConcurrency } = (event ?? {}) as Record<string, unknown>;
  const { from, to, maxConcurrency } = readBackfillRequest(request);
  if (typeof executionName !== 'string' || executionName === '') {
    throw new InvalidRequest(
      `executionName must be the back-fill's execution name, got ${show(executionName)}`,
    );
  }
  if (maxConcurrency === undefined && !isConcurrency(defaultMaxConcurrency)) {
    throw new InvalidRequest(
      `defaultMaxConcurrency must be an integer from 1 to ${MAX_BACKFILL_CONCURRENCY}, got ${show(defaultMaxConcurrency)}`,
    );
  }
  const days: PlannedDay[] = daysInRange(from, to).map((date) => ({
    date,
    executionName: childExecutionName(date, executionName),
  }));
  return { from, to, maxConcurrency: maxConcurrency ?? (defaultMaxConcurrency as number), days };
}
