import { Duration } from 'aws-cdk-lib';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';

/** Where a caught step error is, relative to the state (the Catch's ResultPath). */
export const CAUGHT_ERROR_PATH = '$.error';

export interface FailureNotificationProps {
  readonly topic: sns.ITopic;
}

/**
 * The end of every failed run: one SNS message `{date, step, error, cause, execution}`, then a
 * Fail state that keeps the step's error name and cause as the execution's. Each step's Catch goes
 * to its own Pass state ({@link FailureNotification.messageFor}) that shapes the message, so the
 * publish happens once, whichever step failed.
 */
export class FailureNotification extends Construct {
  /** The publish state the per-step Pass states lead to. */
  readonly publish: tasks.SnsPublish;

  constructor(scope: Construct, id: string, props: FailureNotificationProps) {
    super(scope, id);
    this.publish = new tasks.SnsPublish(this, 'Publish', {
      stateName: 'NotifyFailure',
      comment: 'One message per failed run: the day, the step and the reason',
      topic: props.topic,
      subject: sfn.JsonPath.format('search-stats: a day failed at {}', sfn.JsonPath.stringAt('$.step')),
      message: sfn.TaskInput.fromJsonPathAt('$'),
      resultPath: sfn.JsonPath.DISCARD,
    });
    // A throttled or briefly unavailable SNS must not swallow the only notification.
    this.publish.addRetry({
      errors: [sfn.Errors.ALL],
      maxAttempts: 3,
      interval: Duration.seconds(5),
      backoffRate: 2,
    });
    this.publish.next(
      new sfn.Fail(this, 'Failed', {
        stateName: 'Failed',
        comment: "The run failed for good; error and cause are the failed step's",
        errorPath: '$.error',
        causePath: '$.cause',
      }),
    );
  }

  /**
   * The state a step's Catch goes to: a Pass that shapes the message. `datePath` says where the day
   * is in the state at that point; `undefined` means it is not resolved yet (Validate): then a
   * Choice reports the input's `date` when it has one (a manual or back-fill run), else the raw
   * execution input as a JSON string (a scheduled `{"time"}` run, or an input without a date).
   */
  messageFor(step: string, datePath: string | undefined): sfn.IChainable {
    if (datePath !== undefined) return this.pass(`${step}Failed`, step, sfn.JsonPath.stringAt(datePath));
    return new sfn.Choice(this, `${step}Failed`, {
      stateName: `${step}Failed`,
      comment: `Reports the requested day when ${step}'s input names one`,
    })
      .when(
        sfn.Condition.and(sfn.Condition.isPresent('$.date'), sfn.Condition.isString('$.date')),
        this.pass(`${step}FailedOnDay`, step, sfn.JsonPath.stringAt('$.date')),
      )
      .otherwise(
        this.pass(
          `${step}FailedOnInput`,
          step,
          sfn.JsonPath.jsonToString(sfn.JsonPath.objectAt('$$.Execution.Input')),
        ),
      );
  }

  private pass(stateName: string, step: string, date: string): sfn.Pass {
    const pass = new sfn.Pass(this, stateName, {
      stateName,
      comment: `Shapes the failure message of ${step}`,
      parameters: {
        date,
        step,
        error: sfn.JsonPath.stringAt(`${CAUGHT_ERROR_PATH}.Error`),
        cause: sfn.JsonPath.stringAt(`${CAUGHT_ERROR_PATH}.Cause`),
        execution: sfn.JsonPath.executionName,
      },
    });
    pass.next(this.publish);
    return pass;
  }
}
