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
   * The Pass state a step's Catch goes to. `datePath` says where the day is in the state at that
   * point; `undefined` means the day is not known yet (Validate), and the raw execution input
   * (as a JSON string) stands in for it.
   */
  messageFor(step: string, datePath: string | undefined): sfn.Pass {
    const pass = new sfn.Pass(this, `${step}Failed`, {
      stateName: `${step}Failed`,
      comment: `Shapes the failure message of ${step}`,
      parameters: {
        date:
          datePath === undefined
            ? sfn.JsonPath.jsonToString(sfn.JsonPath.objectAt('$$.Execution.Input'))
            : sfn.JsonPath.stringAt(datePath),
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
