/**
 * The local stand-in for what CloudWatch keeps about executions: every daily execution (and every
 * back-fill execution) the local runner finishes is appended to `<workdir>/executions.jsonl`, one
 * JSON line each, with its step invocations' durations and errors. The local dashboard preview reads
 * it; nothing else depends on it.
 */
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';

import type { DayResult } from './execute-day';

const attempt = z.object({
  step: z.string(),
  startedAt: z.string(),
  millis: z.number(),
  error: z.string().optional(),
});

const dailyExecution = z.object({
  machine: z.literal('daily'),
  day: z.string(),
  executionName: z.string(),
  status: z.enum(['SUCCEEDED', 'FAILED']),
  startedAt: z.string(),
  finishedAt: z.string(),
  retries: z.number(),
  attempts: z.array(attempt),
  /** Clean's input object size (what Clean publishes as InputBytes), when Clean succeeded. */
  inputBytes: z.number().optional(),
  failure: z.object({ step: z.string(), error: z.string() }).optional(),
});

const backfillExecution = z.object({
  machine: z.literal('backfill'),
  executionName: z.string(),
  status: z.enum(['SUCCEEDED', 'FAILED']),
  startedAt: z.string(),
  finishedAt: z.string(),
});

const executionRecord = z.discriminatedUnion('machine', [dailyExecution, backfillExecution]);

export type DailyExecutionRecord = z.infer<typeof dailyExecution>;
export type BackfillExecutionRecord = z.infer<typeof backfillExecution>;
export type ExecutionRecord = z.infer<typeof executionRecord>;

export class ExecutionLogError extends Error {
  override name = 'ExecutionLogError';
}

/** The file, under the work directory. */
export const executionLogFile = (workdirRoot: string): string => path.join(workdirRoot, 'executions.jsonl');

/** What the log keeps of a finished daily execution. */
export function dailyRecord(result: DayResult): DailyExecutionRecord {
  return {
    machine: 'daily',
    day: result.day,
    executionName: result.executionName,
    status: result.status,
    startedAt: result.startedAt,
    finishedAt: new Date(Date.parse(result.startedAt) + result.millis).toISOString(),
    retries: result.retries,
    attempts: result.attempts.map((a) => ({ ...a })),
    ...(result.clean ? { inputBytes: result.clean.source.bytes } : {}),
    ...(result.failure ? { failure: { step: result.failure.step, error: result.failure.error } } : {}),
  };
}

/** Appends one record (one line: a single append, so concurrent days never interleave within a line). */
export async function appendExecution(file: string, record: ExecutionRecord): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await appendFile(file, `${JSON.stringify(record)}\n`);
}

/** Every record of the log, oldest first; no file is no executions. A malformed line fails, naming it. */
export async function readExecutions(file: string): Promise<ExecutionRecord[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new ExecutionLogError(`cannot read ${file}`, { cause: error });
  }
  return text
    .split('\n')
    .map((line, index) => ({ line, index }))
    .filter(({ line }) => line.trim() !== '')
    .map(({ line, index }) => {
      try {
        return executionRecord.parse(JSON.parse(line));
      } catch (error) {
        throw new ExecutionLogError(`${file} line ${index + 1} is not an execution record`, { cause: error });
      }
    });
}
