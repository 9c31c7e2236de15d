/**
 * A back-fill on this machine: the synthesized Backfill state machine run with aws-local-stepfunctions,
 * its RunDay task running the daily machine locally for each day (the same path as `run`), so the
 * plan, the Map's concurrency, the per-day catch and the summary are the deployed ones.
 */
import './polyfills';
import { randomUUID } from 'node:crypto';
import { ExecutionError, type RunOptions, type StateMachine } from 'aws-local-stepfunctions';

import type { BackfillRequest, BackfillSummary } from '../../lambdas/backfill/backfill-payloads';
import { BACKFILL_FAILED_ERROR } from '../../lib/workflow/backfill-names';
import { backfillMachine } from './backfill-definition';
import { backfillTaskHandlers } from './backfill-tasks';
import { synthesizePipeline, type SynthesizedPipeline } from './definition';
import { causeMessage, createStateMachine, type DayResult } from './execute-day';
import { appendExecution, executionLogFile } from './execution-log';
import { LOCAL_ACCOUNT, LOCAL_REGION } from './resolve-template';
import type { LocalPipeline } from './runner';

export interface LocalBackfillOptions {
  /** Wait before each retry inside the daily runs, instead of the definition's intervals (tests use 0). */
  readonly retryIntervalMs?: number;
  /** The back-fill's execution name. @default `backfill-<from>-<to>-<8 hex>` */
  readonly executionName?: string;
  readonly onDayStart?: (day: string) => void;
  readonly onDayDone?: (result: DayResult) => void;
  /** Once aborted, no further day starts: the days not run are recorded as failed (`Interrupted`). */
  readonly signal?: AbortSignal;
  /** The synthesized stack; must be the one `pipeline` was opened with. @default synthesized now (cached) */
  readonly synthesized?: SynthesizedPipeline;
}

export interface LocalBackfillResult {
  readonly executionName: string;
  readonly status: 'SUCCEEDED' | 'FAILED';
  /** The machine's output, or (when days failed) the summary its Fail state carried as the cause. */
  readonly summary?: BackfillSummary;
  /** The execution's error and cause when it failed (`BackfillDaysFailed`, `InvalidRequest`, ...). */
  readonly error?: string;
  readonly cause?: string;
  /** The daily runs, in the order they finished. */
  readonly days: readonly DayResult[];
}

/** The error name of a day the back-fill did not start because it was interrupted. */
export const INTERRUPTED_ERROR = 'Interrupted';

type LocalHandlers = NonNullable<NonNullable<RunOptions['overrides']>['taskResourceLocalHandlers']>;
type JsonInput = Parameters<StateMachine['run']>[0];

/** A summary from the machine's output or its Fail state's cause; undefined when it is not one. */
export function summaryFromJson(text: string | undefined): BackfillSummary | undefined {
  try {
    const parsed = JSON.parse(text ?? '') as Partial<BackfillSummary>;
    return typeof parsed.failed === 'number'
      ? ({ succeededDays: [], ...parsed } as BackfillSummary)
      : undefined;
  } catch {
    return undefined;
  }
}

export function defaultBackfillName(from: string, to: string): string {
  return `backfill-${from}-${to}-${randomUUID().slice(0, 8)}`;
}

/** Runs the back-fill of `request` against the open local pipeline; never throws for a failed day. */
export async function runLocalBackfill(
  pipeline: LocalPipeline,
  request: BackfillRequest,
  options: LocalBackfillOptions = {},
): Promise<LocalBackfillResult> {
  const { definition, dailyStateMachineArn } = backfillMachine(options.synthesized ?? synthesizePipeline());
  const executionName = options.executionName ?? defaultBackfillName(request.from, request.to);
  const days: DayResult[] = [];
  const runDay = async (date: string): Promise<DayResult> => {
    if (options.signal?.aborted) {
      const error = new Error('not run: the back-fill was interrupted');
      error.name = INTERRUPTED_ERROR;
      throw error;
    }
    options.onDayStart?.(date);
    const [result] = await pipeline.runDays([date], {
      concurrency: 1,
      ...(options.retryIntervalMs === undefined ? {} : { retryIntervalMs: options.retryIntervalMs }),
    });
    if (!result) throw new Error(`the daily run of ${date} did not start`);
    days.push(result);
    options.onDayDone?.(result);
    return result;
  };
  const handlers = backfillTaskHandlers(definition, { runDay, dailyStateMachineArn });
  const machineName = 'backfill';
  const startedAt = new Date().toISOString();
  const execution = createStateMachine(definition).run(request as unknown as JsonInput, {
    overrides: { taskResourceLocalHandlers: handlers as LocalHandlers },
    context: {
      Execution: {
        Id: `arn:aws:states:${LOCAL_REGION}:${LOCAL_ACCOUNT}:execution:${machineName}:${executionName}`,
        Name: executionName,
      },
      StateMachine: {
        Id: `arn:aws:states:${LOCAL_REGION}:${LOCAL_ACCOUNT}:stateMachine:${machineName}`,
        Name: machineName,
      },
    },
  });
  const result = await backfillResult(execution.result, executionName, days);
  // The local record of the back-fill execution (what CloudWatch would count); the dashboard preview reads it.
  await appendExecution(executionLogFile(pipeline.paths.root), {
    machine: 'backfill',
    executionName,
    status: result.status,
    startedAt,
    finishedAt: new Date().toISOString(),
  });
  return result;
}

async function backfillResult(
  outcome: Promise<unknown>,
  executionName: string,
  days: readonly DayResult[],
): Promise<LocalBackfillResult> {
  try {
    const summary = (await outcome) as BackfillSummary;
    return { executionName, status: 'SUCCEEDED', summary, days };
  } catch (thrown) {
    const failure = thrown instanceof ExecutionError && thrown.cause instanceof Error ? thrown.cause : thrown;
    const error = failure instanceof Error ? failure.name : 'Unknown';
    const raw = failure instanceof Error ? failure.message : String(failure);
    const summary = error === BACKFILL_FAILED_ERROR ? summaryFromJson(raw) : undefined;
    const cause = summary ? raw : causeMessage(raw);
    return { executionName, status: 'FAILED', error, cause, ...(summary ? { summary } : {}), days };
  }
}
