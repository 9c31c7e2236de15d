/**
 * The back-fill state machine's Task states, run in-process: its Lambda steps parse their input with
 * the same parsers and call the same pure functions as the handlers, and RunDay (`states:startExecution.sync:2`) runs the daily machine
 * locally for the day. Results and errors cross the boundary as they do on AWS: a child that fails
 * makes the task fail with `States.TaskFailed` and the child's description (DescribeExecution) as
 * the cause.
 */
import {
  parseFailureInput,
  parsePlanInput,
  parseSummaryInput,
} from '../../lambdas/backfill/backfill-payloads';
import { describeDayFailure } from '../../lambdas/backfill/day-failure';
import { planBackfill } from '../../lambdas/backfill/plan-days';
import { summarizeBackfill } from '../../lambdas/backfill/summarize';
import type { ValidatedDay } from '../../lambdas/shared/step-payloads';
import { BACKFILL_STATE_NAMES } from '../../lib/workflow/backfill-names';
import { iteratorStates } from './backfill-definition';
import type { DayResult } from './execute-day';
import { LOCAL_ACCOUNT, LOCAL_REGION, type AslDefinition, type AslState } from './resolve-template';
import { LambdaTaskError, type TaskHandler } from './tasks';

export interface BackfillTaskDeps {
  /** Runs the daily machine locally for one day. */
  readonly runDay: (date: string) => Promise<DayResult>;
  /** The daily machine's local ARN (as the RunDay task names it). */
  readonly dailyStateMachineArn: string;
}

/** An error as a task state sees it: the name matches Retry/Catch, the message is the cause. */
class TaskError extends Error {
  constructor(name: string, cause: string) {
    super(cause);
    this.name = name;
  }
}

/** A pure step behind Lambda's boundary: JSON results, errors as `{errorType, errorMessage, trace}`. */
function asLambda(fn: (event: unknown) => unknown): TaskHandler {
  return async (input) => {
    try {
      return JSON.parse(JSON.stringify(fn(input) ?? null)) as unknown;
    } catch (error) {
      const err = error instanceof Error ? error : new Error(String(error));
      const payload = { errorType: err.name, errorMessage: err.message, trace: err.stack?.split('\n') ?? [] };
      throw new LambdaTaskError(err.name, JSON.stringify(payload));
    }
  };
}

/** The local stand-in for `states:startExecution.sync:2` on the daily machine. */
function startExecutionSync(deps: BackfillTaskDeps): TaskHandler {
  return async (input) => {
    const params = (input ?? {}) as { StateMachineArn?: unknown; Input?: unknown };
    if (params.StateMachineArn !== deps.dailyStateMachineArn) {
      throw new TaskError(
        'StepFunctions.StateMachineDoesNotExistException',
        `only the daily machine runs locally, not ${String(params.StateMachineArn)}`,
      );
    }
    const childInput = (params.Input ?? {}) as { date?: unknown };
    const started = Date.now();
    const result = await deps.runDay(String(childInput.date));
    const machineName = deps.dailyStateMachineArn.split(':').pop() ?? 'local';
    const description = {
      ExecutionArn: `arn:aws:states:${LOCAL_REGION}:${LOCAL_ACCOUNT}:execution:${machineName}:${result.executionName}`,
      StateMachineArn: deps.dailyStateMachineArn,
      Name: result.executionName,
      Status: result.status,
      StartDate: started,
      StopDate: Date.now(),
      Input: JSON.stringify(childInput),
      InputDetails: { Included: true },
    };
    if (result.status === 'FAILED') {
      throw new TaskError(
        'States.TaskFailed',
        JSON.stringify({ ...description, Error: result.failure?.error, Cause: result.failure?.cause }),
      );
    }
    const output: { day?: ValidatedDay; clean?: unknown; load?: unknown } = {
      ...(result.validated ? { day: result.validated } : {}),
      ...(result.clean ? { clean: result.clean } : {}),
      ...(result.load ? { load: result.load } : {}),
    };
    return { ...description, Output: output, OutputDetails: { Included: true } };
  };
}

/** Every Task state of `definition`, its Map iterators' included. */
function taskStates(states: Record<string, AslState>): [string, AslState][] {
  return Object.entries(states).flatMap(([name, state]): [string, AslState][] =>
    state.Type === 'Task' ? [[name, state]] : state.Type === 'Map' ? taskStates(iteratorStates(state)) : [],
  );
}

/**
 * Local handlers for every Task state of the back-fill definition, keyed by state name (the engine
 * applies them inside the Map too). Throws if a Task has no local stand-in, so nothing calls AWS.
 */
export function backfillTaskHandlers(
  definition: AslDefinition,
  deps: BackfillTaskDeps,
): Record<string, TaskHandler> {
  const names = BACKFILL_STATE_NAMES;
  const known: Record<string, TaskHandler> = {
    [names.plan]: asLambda((event) => planBackfill(parsePlanInput(event))),
    [names.describeFailure]: asLambda((event) => describeDayFailure(parseFailureInput(event))),
    [names.summarize]: asLambda((event) => summarizeBackfill(parseSummaryInput(event))),
    [names.runDay]: startExecutionSync(deps),
  };
  const handlers: Record<string, TaskHandler> = {};
  for (const [name, state] of taskStates(definition.States)) {
    const handler = known[name];
    if (!handler) throw new Error(`Task state ${name} (${state.Resource ?? ''}) has no local handler`);
    handlers[name] = handler;
  }
  return handlers;
}
