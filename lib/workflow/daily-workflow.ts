import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { acknowledgeInvokeGrants } from '../nag';
import { FailureNotification } from './failure-notification';
import { LambdaStep, type LambdaStepProps } from './lambda-step';
import { createLoggedStateMachine } from './logged-state-machine';
import { RetryPolicy, type RetryPolicyProps } from './retry-policy';
import { ScaleOutPath } from './scale-out-path';
import type { ScaleOutSettings } from './scale-out-settings';

export interface DailyWorkflowProps {
  readonly validate: lambda.IFunction;
  readonly clean: lambda.IFunction;
  readonly load: lambda.IFunction;
  /** Where a run that fails for good is announced. */
  readonly topic: sns.ITopic;
  /** @default 3 retries, 300 s apart, backoff 1, NON_RETRYABLE_ERRORS never retried */
  readonly retry?: RetryPolicyProps;
  /** Retention of the execution log group. @default logs.RetentionDays.ONE_MONTH */
  readonly logRetention?: logs.RetentionDays;
  /**
   * The scale-out path for days too large for one Lambda (lib/workflow/scale-out-path.ts), chosen
   * after Validate by size or by the input's `mode`. @default none: every day takes Clean
   */
  readonly scaleOut?: DailyScaleOutProps;
}

/** What the scale-out path needs: its three functions, the clean bucket and the settings. */
export interface DailyScaleOutProps {
  readonly prepare: lambda.IFunction;
  readonly cleanBatch: lambda.IFunction;
  readonly combine: lambda.IFunction;
  readonly cleanBucket: s3.IBucket;
  readonly settings: ScaleOutSettings;
}

/** The state names the local runner and the tests rely on. */
export const STATE_NAMES = {
  withRunId: 'WithRunId',
  validate: 'Validate',
  current: 'IsCurrentVersion',
  superseded: 'Superseded',
  clean: 'Clean',
  load: 'Load',
  done: 'Done',
  notify: 'NotifyFailure',
  failed: 'Failed',
} as const;

/**
 * The daily state machine: WithRunId -> Validate -> IsCurrentVersion -> Clean -> Load -> Done, one
 * day per execution.
 *
 * The input is `{"date": "YYYY-MM-DD"}` (manual, back-fill), `{"time": "<ISO>"}` (Validate picks the
 * previous UTC day), or what the Trigger starts (lambdas/trigger/decide-start.ts): `{"date",
 * "source": {"key","etag"}, "skipIfLoaded": true}` for one version of the day file (it ends in
 * `Superseded` when the file was replaced since; Load skips an ETag already loaded), or `{"date",
 * "scheduled": true}` when the schedule found no single file. `WithRunId` adds `runId` = the execution name to it, so
 * Validate receives the raw input plus `runId` whatever the shape (a Task's Parameters cannot
 * spread an object, and naming `$.date` would fail on `{"time"}` inputs). Execution names hold no
 * quote or backslash, so building `{"runId": "<name>"}` with States.Format is safe.
 * Results accumulate: `$.day` (ValidatedDay), `$.clean` (CleanResult), `$.load` (LoadResult).
 * With `scaleOut`, a Choice after Validate sends a very large day through Prepare -> CleanBatches ->
 * Combine instead of Clean (ScaleOutPath); Combine also leaves a CleanResult at `$.clean`.
 */
export class DailyWorkflow extends Construct {
  readonly stateMachine: sfn.StateMachine;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: DailyWorkflowProps) {
    super(scope, id);
    const retry = new RetryPolicy(props.retry);
    const failure = new FailureNotification(this, 'Failure', { topic: props.topic });
    const withRunId = new sfn.Pass(this, 'WithRunId', {
      stateName: STATE_NAMES.withRunId,
      comment: 'The execution input plus runId (the execution name), for Validate',
      parameters: {
        request: sfn.JsonPath.jsonMerge(
          sfn.JsonPath.objectAt('$'),
          sfn.JsonPath.stringToJson(sfn.JsonPath.format('\\{"runId":"{}"\\}', sfn.JsonPath.executionName)),
        ),
      },
      outputPath: '$.request',
    });
    const step = (stateName: string, options: Omit<LambdaStepProps, 'stateName' | 'retry' | 'failure'>) =>
      new LambdaStep(this, stateName, { stateName, retry, failure, ...options }).task;

    const validate = step(STATE_NAMES.validate, {
      handler: props.validate,
      resultPath: '$.day',
      comment: 'Resolves the day and its single input object',
    });
    const clean = step(STATE_NAMES.clean, {
      handler: props.clean,
      inputPath: '$.day',
      resultPath: '$.clean',
      datePath: '$.day.date',
      comment: 'Cleans the day file into the outputs',
    });
    const load = step(STATE_NAMES.load, {
      handler: props.load,
      inputPath: '$.clean',
      resultPath: '$.load',
      datePath: '$.day.date',
      comment: 'Replaces the day in the warehouse',
    });
    const done = new sfn.Succeed(this, 'Done', { stateName: STATE_NAMES.done });
    const scaleOut = props.scaleOut
      ? new ScaleOutPath(this, 'ScaleOut', {
          ...props.scaleOut,
          retry,
          failure,
          singleClean: clean,
          next: load,
        })
      : undefined;
    // A run started for one version of the day file ends here when the file was replaced since:
    // the newer version's own event starts its run (Validate's result then has `superseded`).
    const current = new sfn.Choice(this, 'IsCurrentVersion', {
      stateName: STATE_NAMES.current,
      comment: 'Ends a run whose day file was replaced since it started: the newer version has its own run',
    })
      .when(
        sfn.Condition.isPresent('$.day.superseded'),
        new sfn.Succeed(this, 'Superseded', {
          stateName: STATE_NAMES.superseded,
          comment: 'Nothing loaded: the day file is not the version this run was started for',
        }),
      )
      .otherwise(scaleOut ? scaleOut.choice : clean);
    withRunId.next(validate).next(current);
    clean.next(load).next(done);

    const machine = createLoggedStateMachine(this, {
      comment: 'search-stats: one day, S3 -> clean -> Redshift',
      definition: withRunId,
      logRetention: props.logRetention,
    });
    this.stateMachine = machine.stateMachine;
    this.logGroup = machine.logGroup;
    acknowledgeInvokeGrants(
      this.stateMachine,
      [props.validate, props.clean, props.load].map((fn) => fn.functionArn),
    );
    scaleOut?.acknowledgeGrants(this.stateMachine);
  }
}
