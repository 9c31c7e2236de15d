/**
 * One execution of the state machine for one day, with aws-local-stepfunctions, and what it means:
 * the step results on success, the failed step with its error and cause on failure.
 */
import './polyfills';
import { randomUUID } from 'node:crypto';
import type { RunOptions, StateMachine } from 'aws-local-stepfunctions';

import type { CleanResult, LoadResult, ValidatedDay } from '../../lambdas/shared/step-payloads';
import { LOCAL_CACHE_DIR } from './cache-dir';
import { LOCAL_ACCOUNT, LOCAL_REGION, type AslDefinition } from './resolve-template';
import { localTaskHandlers, type CapturedNotification, type TaskHandler } from './tasks';
import { createValidatedMachine } from './validated-machine';

export interface DayFailure {
  /** The state that failed for good (a step name when a step failed). */
  readonly step: string;
  /** The error name, as the state machine matched it (e.g. `InputNotFound`). */
  readonly error: string;
  /** The error message (Lambda's `errorMessage` when the cause is a Lambda error payload). */
  readonly cause: string;
}

/** One invocation of a step's handler (a Lambda invocation on AWS): when, how long, and its error if it threw. */
export interface StepAttempt {
  readonly step: string;
  readonly startedAt: string;
  readonly millis: number;
  /** The error name when the attempt threw (retried, caught, or failing the execution). */
  readonly error?: string;
}

export interface DayResult {
  readonly day: string;
  readonly status: 'SUCCEEDED' | 'FAILED';
  readonly executionName: string;
  /** When the execution started (ISO 8601). */
  readonly startedAt: string;
  readonly millis: number;
  /** Every step invocation, in the order they started. */
  readonly attempts: readonly StepAttempt[];
  /** How many times a state was retried. */
  readonly retries: number;
  readonly validated?: ValidatedDay;
  readonly clean?: CleanResult;
  readonly load?: LoadResult;
  readonly failure?: DayFailure;
  /** The last state the execution entered (e.g. `Done`, or a Succeed state that ends it early). */
  readonly finalState?: string;
  /** SNS messages the execution published (captured locally). */
  readonly notifications: readonly CapturedNotification[];
}

export interface ExecuteDayOptions {
  readonly machine: StateMachine;
  readonly definition: AslDefinition;
  /**
   * Local handlers of the Task states, by state name: the pipeline steps, and the scale-out steps
   * and localized Distributed Maps when the definition has them (local/runner/distributed-map*.ts).
   */
  readonly steps: Readonly<Record<string, TaskHandler>>;
  /** Milliseconds to wait before each retry, instead of the definition's intervals. */
  readonly retryIntervalMs?: number;
  /** More fields of the execution input, e.g. `{"mode": "scale-out"}`; `date` is always the day. */
  readonly input?: Readonly<Record<string, unknown>>;
  /** The execution name (the run id). @default `<day>-<8 random hex digits>` */
  readonly executionName?: string;
}

/** Lambda error causes are JSON payloads; show their message. */
export function causeMessage(cause: unknown): string {
  if (typeof cause !== 'string') return cause instanceof Error ? cause.message : JSON.stringify(cause ?? '');
  try {
    const payload = JSON.parse(cause) as { errorMessage?: unknown };
    if (typeof payload.errorMessage === 'string') return payload.errorMessage;
  } catch {
    // not JSON: the cause is the message
  }
  return cause;
}

/** The library types handlers as JSON in, JSON out; ours take and return parsed JSON as `unknown`. */
type LocalHandlers = NonNullable<NonNullable<RunOptions['overrides']>['taskResourceLocalHandlers']>;

/** The definition as a StateMachine, validated the first time this definition is seen (validated-machine.ts). */
export function createStateMachine(definition: AslDefinition): StateMachine {
  return createValidatedMachine(definition, LOCAL_CACHE_DIR);
}

/** Wraps each step handler so that every invocation is timed and recorded in `attempts`. */
function timedSteps(
  steps: Readonly<Record<string, TaskHandler>>,
  attempts: StepAttempt[],
): Record<string, TaskHandler> {
  return Object.fromEntries(
    Object.entries(steps).map(([step, handler]) => [
      step,
      async (input: unknown) => {
        const startedAt = new Date().toISOString();
        const started = performance.now();
        const record = (error?: unknown): void => {
          const millis = Math.round(performance.now() - started);
          const name = error instanceof Error ? error.name : error === undefined ? undefined : 'Error';
          attempts.push({ step, startedAt, millis, ...(name === undefined ? {} : { error: name }) });
        };
        try {
          const output = await handler(input);
          record();
          return output;
        } catch (error) {
          record(error ?? 'Error');
          throw error;
        }
      },
    ]),
  );
}

export async function executeDay(day: string, options: ExecuteDayOptions): Promise<DayResult> {
  const started = Date.now();
  const startedAt = new Date(started).toISOString();
  const executionName = options.executionName ?? `${day}-${randomUUID().slice(0, 8)}`;
  const notifications: CapturedNotification[] = [];
  const attempts: StepAttempt[] = [];
  const handlers = localTaskHandlers(options.definition, timedSteps(options.steps, attempts), notifications);
  const retryable = Object.entries(options.definition.States).filter(([, s]) => s.Retry !== undefined);
  const stateMachineArn = `arn:aws:states:${LOCAL_REGION}:${LOCAL_ACCOUNT}:stateMachine:local`;
  const execution = options.machine.run(
    { ...options.input, date: day },
    {
      overrides: {
        taskResourceLocalHandlers: handlers as LocalHandlers,
        ...(options.retryIntervalMs === undefined
          ? {}
          : {
              retryIntervalOverrides: Object.fromEntries(
                retryable.map(([n]) => [n, options.retryIntervalMs ?? 0]),
              ),
            }),
      },
      context: {
        Execution: {
          Id: `arn:aws:states:${LOCAL_REGION}:${LOCAL_ACCOUNT}:execution:local:${executionName}`,
          Name: executionName,
        },
        StateMachine: { Id: stateMachineArn, Name: 'local' },
      },
    },
  );

  const outputs: Record<string, unknown> = {};
  let retries = 0;
  let pending: DayFailure | undefined;
  let caught: DayFailure | undefined;
  let executionFailure: DayFailure | undefined;
  let lastState = '';
  const isStep = (name: string): boolean => Object.hasOwn(options.steps, name);
  const watch = (async () => {
    for await (const event of execution.eventLogs) {
      if (event.type === 'StateEntered') lastState = event.state.name;
      else if (event.type === 'StateRetried') retries++;
      else if (event.type === 'StateFailed' && isStep(event.state.name)) {
        pending = { step: event.state.name, error: event.Error, cause: causeMessage(event.Cause) };
      } else if (event.type === 'StateCaught' && isStep(event.state.name)) caught ??= pending;
      else if (event.type === 'StateExited' && isStep(event.state.name)) {
        pending = undefined;
        outputs[event.state.name] = event.state.output;
      } else if (event.type === 'ExecutionFailed') {
        executionFailure = { step: lastState, error: event.Error, cause: causeMessage(event.Cause) };
      }
    }
  })();

  const status = await execution.result.then(
    () => 'SUCCEEDED' as const,
    () => 'FAILED' as const,
  );
  await watch;
  const base = {
    day,
    status,
    executionName,
    startedAt,
    millis: Date.now() - started,
    attempts: [...attempts].sort((a, b) => a.startedAt.localeCompare(b.startedAt)),
    retries,
    notifications,
    finalState: lastState,
  };
  if (status === 'FAILED') {
    const failure = caught ??
      pending ??
      executionFailure ?? { step: lastState, error: 'Unknown', cause: 'the execution failed' };
    return { ...base, failure };
  }
  const final = outputs.Load as { day?: ValidatedDay; clean?: CleanResult; load?: LoadResult } | undefined;
  return {
    ...base,
    ...(final?.day ? { validated: final.day } : {}),
    ...(final?.clean ? { clean: final.clean } : {}),
    ...(final?.load ? { load: final.load } : {}),
  };
}
