import { randomUUID } from 'node:crypto';
import { isIsoDate, previousUtcDay, toCompactDate } from '../domain/calendar';
import { InvalidRequest } from '../shared/errors';

/** The day a run is for, resolved from the execution input. */
export interface DayRequestInput {
  /** `YYYY-MM-DD` */
  readonly date: string;
  /** `YYYYMMDD` */
  readonly compactDate: string;
  readonly runId: string;
  /** `"allowVolumeDrop": true` in the input: a day far below its recent days is expected. */
  readonly allowVolumeDrop: boolean;
}

const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;
/** Output keys carry the run id, so it must be S3-safe (lambdas/cleaning/output-keys.ts). */
const RUN_ID = /^[A-Za-z0-9._-]{1,128}$/;

const show = (value: unknown): string => JSON.stringify(value) ?? String(value);

/**
 * Reads the execution input: `{"date":"YYYY-MM-DD"}` (manual run) or `{"time":"<ISO-8601>"}`
 * (the schedule: the previous UTC day of `time`), optionally with `runId` (the execution name) and
 * `allowVolumeDrop` (a boolean: the volume guard lets a suspiciously small day through).
 * Decisions: other keys are ignored (an EventBridge event carries many); when both are present,
 * `date` wins (an explicit day beats a trigger time); a timestamp must carry its offset (Z or +hh:mm).
 */
export function parseDayRequest(event: unknown, newRunId: () => string = randomUUID): DayRequestInput {
  if (typeof event !== 'object' || event === null || Array.isArray(event)) {
    throw new InvalidRequest(
      `input must be a JSON object with "date" (YYYY-MM-DD) or "time" (ISO-8601), got ${show(event)}`,
    );
  }
  const input = event as Record<string, unknown>;
  const date = resolveDate(input);
  const runId = input.runId ?? newRunId();
  if (typeof runId !== 'string' || !RUN_ID.test(runId)) {
    throw new InvalidRequest(
      `runId must be 1-128 characters of letters, digits, ".", "_" or "-", got ${show(runId)}`,
    );
  }
  const allowVolumeDrop = input.allowVolumeDrop ?? false;
  if (typeof allowVolumeDrop !== 'boolean') {
    throw new InvalidRequest(`allowVolumeDrop must be true or false, got ${show(allowVolumeDrop)}`);
  }
  return { date, compactDate: toCompactDate(date), runId, allowVolumeDrop };
}

function resolveDate(input: Record<string, unknown>): string {
  if (input.date !== undefined) {
    if (typeof input.date !== 'string' || !isIsoDate(input.date)) {
      throw new InvalidRequest(`date must be a real calendar date as YYYY-MM-DD, got ${show(input.date)}`);
    }
    return input.date;
  }
  if (input.time !== undefined) {
    const time = input.time;
    if (typeof time !== 'string' || !ISO_TIMESTAMP.test(time) || !Number.isFinite(Date.parse(time))) {
      throw new InvalidRequest(
        `time must be an ISO-8601 timestamp such as 2021-07-03T00:30:00Z, got ${show(time)}`,
      );
    }
    return previousUtcDay(new Date(time));
  }
  throw new InvalidRequest(
    'input needs "date" (YYYY-MM-DD) or "time" (ISO-8601 timestamp of a scheduled run)',
  );
}
