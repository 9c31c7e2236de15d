import * as path from 'node:path';
import { Annotations, Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { ENV } from '../lambdas/shared/function-env';
import { STATE_MACHINE_ARN_ENV } from '../lambdas/trigger/handler-env';
import { listIncomingPrefix } from './incoming-listing';
import { acknowledge } from './nag';
import { PipelineFunction, PROJECT_ROOT } from './pipeline-function';

export interface RunTriggerProps {
  readonly incomingBucket: s3.IBucket;
  /** Where the day files are, e.g. `user-data/`. */
  readonly incomingPrefix: string;
  /** The daily state machine the Trigger starts. */
  readonly stateMachine: sfn.IStateMachine;
  /** Where a Trigger event that failed for good is announced (an alarm on its dead letters). */
  readonly topic: sns.ITopic;
  /**
   * Whether the stack created the incoming bucket with EventBridge notifications on; an existing
   * bucket must have them turned on by hand (README "Deploy"), which synth warns about.
   */
  readonly bucketSendsEvents: boolean;
  /** @default logs.RetentionDays.ONE_MONTH */
  readonly logRetention?: logs.RetentionDays;
  /** @default lambdas/trigger/handler.ts */
  readonly entry?: string;
}

/**
 * The one door for automatic starts of the daily state machine: the Trigger function, and the rule
 * that sends it S3's "Object Created" events of the incoming prefix (the daily schedule targets it
 * too: lib/schedule.ts). It starts one execution per day file version (lambdas/trigger/).
 *
 * Failure path. EventBridge invokes a Lambda target asynchronously: a delivery that fails is retried
 * by EventBridge (`retryAttempts`, `maxEventAge`) and then sent to the target's dead-letter queue
 * (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-retry-policy.html); an error of
 * the function itself is retried by Lambda's asynchronous invocation (twice) and then sent to its
 * on-failure destination
 * (https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html). Both go to one
 * queue, and an alarm on it notifies the operations topic once, when the first message lands.
 */
export class RunTrigger extends Construct {
  readonly function: lambda.IFunction;
  readonly role: iam.Role;
  /** The arrivals rule. */
  readonly rule: events.Rule;
  /** Events the Trigger could not handle, after all retries. */
  readonly deadLetters: sqs.Queue;
  readonly deadLettersAlarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: RunTriggerProps) {
    super(scope, id);
    const fn = new PipelineFunction(this, 'Trigger', {
      entry: props.entry ?? path.join(PROJECT_ROOT, 'lambdas/trigger/handler.ts'),
      description:
        'Trigger: starts the daily run of a day file (schedule and arrivals), once per file version',
      memorySize: 256,
      timeout: Duration.minutes(1),
      environment: {
        [ENV.incomingBucket]: props.incomingBucket.bucketName,
        [ENV.incomingPrefix]: props.incomingPrefix,
        [STATE_MACHINE_ARN_ENV]: props.stateMachine.stateMachineArn,
      },
      logRetention: props.logRetention,
    });
    this.function = fn.function;
    this.role = fn.role;
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'StartDailyRuns',
        actions: ['states:StartExecution'],
        resources: [props.stateMachine.stateMachineArn],
      }),
    );
    // The schedule lists the day's file, as Validate does.
    this.role.addToPrincipalPolicy(
      listIncomingPrefix('ListDayFile', props.incomingBucket, props.incomingPrefix),
    );

    this.deadLetters = new sqs.Queue(this, 'DeadLetters', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    acknowledge(
      this.deadLetters,
      'SQS3',
      'This queue is itself the dead-letter queue of the Trigger (its target and its asynchronous invocations).',
    );
    // Lambda sends a failed asynchronous invocation to the destination with the function's role,
    // which needs sqs:SendMessage on it (and no more):
    // https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html
    const deadLetters = this.deadLetters;
    fn.function.configureAsyncInvoke({
      retryAttempts: 2,
      maxEventAge: Duration.hours(6),
      onFailure: {
        bind: (_scope, target) => {
          deadLetters.grant(target, 'sqs:SendMessage');
          return { destination: deadLetters.queueArn };
        },
      },
    });

    this.rule = new events.Rule(this, 'Arrivals', {
      description: 'Day files created under the incoming prefix: the Trigger starts their day when it is due',
      eventPattern: {
        source: ['aws.s3'],
        detailType: ['Object Created'],
        detail: {
          bucket: { name: [props.incomingBucket.bucketName] },
          object: { key: events.Match.prefix(props.incomingPrefix) },
        },
      },
      targets: [new targets.LambdaFunction(fn.function, this.targetOptions())],
    });

    this.deadLettersAlarm = new cloudwatch.Alarm(this, 'DeadLettersAlarm', {
      alarmDescription:
        'A search-stats Trigger event (a schedule or a day file arrival) failed after all retries: ' +
        'its day did not start. The event is in the Trigger dead-letter queue; start the day by hand.',
      metric: this.deadLetters.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(5),
        statistic: 'Maximum',
      }),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    this.deadLettersAlarm.addAlarmAction(new actions.SnsAction(props.topic));

    if (!props.bucketSendsEvents) {
      Annotations.of(this).addWarningV2(
        'search-stats:incoming-bucket-eventbridge',
        `The incoming bucket ${props.incomingBucket.bucketName} is an existing bucket: turn on "Send notifications ` +
          'to Amazon EventBridge" on it (README "Deploy"), or day file arrivals never reach the Trigger.',
      );
    }
  }

  /**
   * How an EventBridge rule delivers to the Trigger: a few retries within two hours, then the dead
   * letters (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-retry-policy.html).
   */
  targetOptions(): targets.LambdaFunctionProps {
    return { retryAttempts: 8, maxEventAge: Duration.hours(2), deadLetterQueue: this.deadLetters };
  }
}
