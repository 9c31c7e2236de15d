import * as path from 'node:path';
import { Duration, Stack, ArnFormat } from 'aws-cdk-lib';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct, type Node } from 'constructs';
import { MAX_BACKFILL_CONCURRENCY } from '../../lambdas/backfill/plan-days';
import { acknowledgeInvokeGrants, acknowledgeWildcardResources } from '../nag';
import { PipelineFunction, PROJECT_ROOT } from '../pipeline-function';
import {
  BACKFILL_CONCURRENCY_CONTEXT_KEY,
  BACKFILL_FAILED_ERROR,
  BACKFILL_STATE_NAMES,
  DEFAULT_BACKFILL_CONCURRENCY,
} from './backfill-names';
import { LambdaStep, type LambdaStepProps } from './lambda-step';
import { createLoggedStateMachine } from './logged-state-machine';
import { RetryPolicy } from './retry-policy';
import { LAMBDA_SERVICE_ERRORS, START_EXECUTION_RETRYABLE_ERRORS } from './service-errors';

/** What a back-fill Lambda step sets itself; the shared LambdaStep does the rest. */
type BackfillStepOptions = Pick<LambdaStepProps, 'comment' | 'payload' | 'resultPath'>;

export interface BackfillWorkflowProps {
  /** The daily state machine: each day of the range runs as one child execution of it. */
  readonly daily: sfn.IStateMachine;
  /** Days run at once when the input has no `maxConcurrency`. @default 4 */
  readonly maxConcurrency?: number;
  /**
   * Longest a day's child execution may run before the day counts as failed (and the child is
   * stopped). The daily machine's worst case is about 3 hours (three steps, each up to 4 attempts
   * of up to 15 minutes, 5 minutes apart). @default Duration.hours(6)
   */
  readonly dayTimeout?: Duration;
  /** The entry file exporting `plan`, `describeFailure` and `summarize`. @default lambdas/backfill/handler.ts */
  readonly entry?: string;
  /** Retention of the log groups. @default logs.RetentionDays.ONE_MONTH */
  readonly logRetention?: logs.RetentionDays;
}

/** Reads the context key `backfillMaxConcurrency` (1..40); undefined when not set. */
export function backfillConcurrencyFromContext(node: Node): number | undefined {
  const raw: unknown = node.tryGetContext(BACKFILL_CONCURRENCY_CONTEXT_KEY);
  if (raw === undefined || raw === null || raw === '') return undefined;
  const value = typeof raw === 'string' ? Number(raw) : raw;
  if (!Number.isInteger(value) || (value as number) < 1 || (value as number) > MAX_BACKFILL_CONCURRENCY) {
    throw new Error(
      `context ${BACKFILL_CONCURRENCY_CONTEXT_KEY}: must be an integer from 1 to ${MAX_BACKFILL_CONCURRENCY}, got ${JSON.stringify(raw)}`,
    );
  }
  return value as number;
}

/**
 * The back-fill state machine: `{"from", "to"}` (optionally `"maxConcurrency"`) ->
 * PlanDays -> RunDays (a Map: one child execution of the daily machine per day) -> Summarize ->
 * Done (output: the summary) or BackfillFailed (cause: the summary as JSON) when any day failed.
 *
 * PlanDays checks the range (real dates, from <= to, at most 366 days) and fails the execution at
 * once with `InvalidRequest` otherwise; it names each child `<day>-<back-fill name>`. Inside the Map
 * a day's failure is caught and recorded (`{date, status: 'FAILED', error, cause}`), so one failed
 * day never stops the others; only the end state turns the execution red.
 */
export class BackfillWorkflow extends Construct {
  readonly stateMachine: sfn.StateMachine;
  readonly logGroup: logs.LogGroup;
  readonly plan: PipelineFunction;
  readonly describeFailure: PipelineFunction;
  readonly summarize: PipelineFunction;

  constructor(scope: Construct, id: string, props: BackfillWorkflowProps) {
    super(scope, id);
    const names = BACKFILL_STATE_NAMES;
    const maxConcurrency = props.maxConcurrency ?? DEFAULT_BACKFILL_CONCURRENCY;
    const entry = props.entry ?? path.join(PROJECT_ROOT, 'lambdas/backfill/handler.ts');
    const step = (fnId: string, handler: string, description: string) =>
      new PipelineFunction(this, fnId, {
        entry,
        handler,
        description,
        memorySize: 256,
        timeout: Duration.seconds(30),
        logRetention: props.logRetention,
      });
    this.plan = step('Planner', 'plan', 'Back-fill: checks the range and plans one child execution per day');
    this.describeFailure = step(
      'FailureDescriber',
      'describeFailure',
      "Back-fill: a failed day's error and reason",
    );
    this.summarize = step('Summarizer', 'summarize', 'Back-fill: days succeeded and failed, with reasons');
    // Only Lambda's own transient errors are retried: a plan, description or summary that fails
    // otherwise would fail the same way again.
    const retry = new RetryPolicy({
      nonRetryableErrors: [],
      retryableErrors: LAMBDA_SERVICE_ERRORS,
      interval: Duration.seconds(2),
      maxAttempts: 6,
      backoffRate: 2,
    });
    const invoke = (stateName: string, fn: PipelineFunction, options: BackfillStepOptions) =>
      new LambdaStep(this, stateName, { stateName, handler: fn.function, retry, ...options }).task;

    const planDays = invoke(names.plan, this.plan, {
      comment: 'Checks the range and lists the days; an invalid request fails the execution at once',
      payload: sfn.TaskInput.fromObject({
        request: sfn.JsonPath.objectAt('$'),
        executionName: sfn.JsonPath.executionName,
        defaultMaxConcurrency: maxConcurrency,
      }),
      resultPath: '$.plan',
    });

    const runDay = new tasks.StepFunctionsStartExecution(this, 'RunDay', {
      stateName: names.runDay,
      comment: 'Runs the daily machine for the day and waits for it; fails when the child fails',
      stateMachine: props.daily,
      integrationPattern: sfn.IntegrationPattern.RUN_JOB,
      input: sfn.TaskInput.fromObject({ date: sfn.JsonPath.stringAt('$.date') }),
      name: sfn.JsonPath.stringAt('$.executionName'),
      // Links the child to this execution in the console; the daily machine ignores the extra key.
      associateWithParent: true,
      resultPath: sfn.JsonPath.DISCARD,
      taskTimeout: sfn.Timeout.duration(props.dayTimeout ?? Duration.hours(6)),
    });
    runDay.addRetry({
      errors: [...START_EXECUTION_RETRYABLE_ERRORS],
      interval: Duration.seconds(5),
      maxAttempts: 5,
      backoffRate: 2,
    });
    const daySucceeded = new sfn.Pass(this, 'DaySucceeded', {
      stateName: names.daySucceeded,
      parameters: {
        date: sfn.JsonPath.stringAt('$.date'),
        status: 'SUCCEEDED',
        execution: sfn.JsonPath.stringAt('$.executionName'),
      },
    });
    const describeFailure = invoke(names.describeFailure, this.describeFailure, {
      comment: "Records the failed day: the child's error and a short reason",
      payload: sfn.TaskInput.fromObject({
        date: sfn.JsonPath.stringAt('$.date'),
        execution: sfn.JsonPath.stringAt('$.executionName'),
        failure: sfn.JsonPath.objectAt('$.failure'),
      }),
    });
    // Should even describing the failure fail, the day is still recorded as failed.
    const failureUnread = new sfn.Pass(this, 'DayFailureUnread', {
      stateName: names.failureUnread,
      parameters: {
        date: sfn.JsonPath.stringAt('$.date'),
        status: 'FAILED',
        execution: sfn.JsonPath.stringAt('$.executionName'),
        error: sfn.JsonPath.stringAt('$.failure.Error'),
        cause: "the failure could not be described; see the child execution and this execution's history",
      },
    });
    describeFailure.addCatch(failureUnread, { errors: [sfn.Errors.ALL], resultPath: '$.describeError' });
    runDay.addCatch(describeFailure, { errors: [sfn.Errors.ALL], resultPath: '$.failure' });

    const runDays = new sfn.Map(this, 'RunDays', {
      stateName: names.runDays,
      comment: 'One child execution per day, at most plan.maxConcurrency at once; a failed day is recorded',
      itemsPath: '$.plan.days',
      maxConcurrencyPath: '$.plan.maxConcurrency',
      resultPath: '$.results',
    });
    runDays.itemProcessor(runDay.next(daySucceeded));

    const summarize = invoke(names.summarize, this.summarize, {
      comment: 'Counts the days succeeded and failed, with reasons',
      payload: sfn.TaskInput.fromObject({
        from: sfn.JsonPath.stringAt('$.plan.from'),
        to: sfn.JsonPath.stringAt('$.plan.to'),
        results: sfn.JsonPath.listAt('$.results'),
      }),
    });
    const done = new sfn.Succeed(this, 'Done', { stateName: names.done, outputPath: '$.summary' });
    const failed = new sfn.Fail(this, 'BackfillFailed', {
      stateName: names.failed,
      comment: 'Some days failed: the cause is the summary',
      error: BACKFILL_FAILED_ERROR,
      causePath: '$.cause',
    });
    const definition = planDays
      .next(runDays)
      .next(summarize)
      .next(
        new sfn.Choice(this, 'AnyDayFailed', { stateName: names.anyFailed })
          .when(sfn.Condition.numberGreaterThan('$.summary.failed', 0), failed)
          .otherwise(done),
      );

    const machine = createLoggedStateMachine(this, {
      comment: 'search-stats: back-fill a range of days, one daily execution per day',
      definition,
      logRetention: props.logRetention,
    });
    this.stateMachine = machine.stateMachine;
    this.logGroup = machine.logGroup;

    acknowledgeInvokeGrants(
      this.stateMachine,
      [this.plan, this.describeFailure, this.summarize].map((fn) => fn.function.functionArn),
    );
    acknowledgeWildcardResources(
      this.stateMachine,
      [childExecutionsArn(this, props.daily)],
      'startExecution.sync must describe and stop the child executions it starts; their ARNs are only ' +
        "known at run time, so CDK grants them on the daily state machine's executions (<name>*), nothing else.",
    );
  }
}

/** The executions of `machine`, as the StartExecution task's grant names them. */
function childExecutionsArn(scope: Construct, machine: sfn.IStateMachine): string {
  const stack = Stack.of(scope);
  const name = stack.splitArn(machine.stateMachineArn, ArnFormat.COLON_RESOURCE_NAME).resourceName;
  return stack.formatArn({
    service: 'states',
    resource: 'execution',
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    resourceName: `${name}*`,
  });
}
