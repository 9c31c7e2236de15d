import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';

export interface FailedRunsAlarmProps {
  readonly stateMachine: sfn.StateMachine;
  readonly topic: sns.ITopic;
  /** @default Duration.minutes(5) */
  readonly period?: Duration;
}

/**
 * Alarms when any execution fails, including failures the state machine's own Catch cannot see
 * (an invalid input that breaks a path, a failed notification). Missing data is not breaching.
 */
export class FailedRunsAlarm extends Construct {
  readonly alarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: FailedRunsAlarmProps) {
    super(scope, id);
    this.alarm = new cloudwatch.Alarm(this, 'Alarm', {
      alarmDescription: 'A search-stats run failed for good (see the state machine executions)',
      metric: props.stateMachine.metricFailed({
        period: props.period ?? Duration.minutes(5),
        statistic: 'Sum',
      }),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    this.alarm.addAlarmAction(new actions.SnsAction(props.topic));
  }
}
