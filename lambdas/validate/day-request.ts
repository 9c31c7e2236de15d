import { randomUUID } from 'node:crypto';
import { toCompactDate } from '../domain/calendar';
import type { ExecutionInput } from '../shared/step-payloads';

/** The day a run is for, and its run id. */
export interface DayRequestInput {
  /** `YYYY-MM-DD` */
  readonly date: string;
  /** `YYYYMMDD` */
  readonly compactDate: string;
  readonly runId: string;
  /** `"allowVolumeDrop": true` in the input: a day far below its recent days is expected. */
  readonly allowVolumeDrop: boolean;
}

/** The run's day in both spellings, and its run id: the execution's, or a fresh one (a direct invocation). */
export function resolveDayRequest(
  input: ExecutionInput,
  newRunId: () => string = randomUUID,
): DayRequestInput {
  return {
    date: input.date,
    compactDate: toCompactDate(input.date),
    runId: input.runId ?? newRunId(),
    allowVolumeDrop: input.allowVolumeDrop ?? false,
  };
}
