import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { METRIC, METRIC_STEPS } from '../lambdas/shared/metric-names';
import { stepMetric } from './pipeline-metrics';

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

export interface StaleDataAlarmProps {
  readonly topic: sns.ITopic;
  /** Alarm when no day has been loaded for this long (whole hours, at most 7 days). @default Duration.hours(26) */
  readonly maxAge?: Duration;
}

/**
 * Data freshness: alarms when the Load step has loaded no day for `maxAge` (a daily run that never
 * started, stopped before Load, or failed for good). It counts `DaysLoaded` (1 per load) in
 * 1-hour periods over `maxAge / 1 h` periods, all of which must breach, and missing data
 * (no load that hour) breaches: any load in the window keeps it OK.
 *
 * Why hourly periods: a 1-day period cannot express 26 hours, and Period x EvaluationPeriods may
 * exceed one day only for periods of an hour or more (up to 7 days), per PutMetricAlarm
 * (https://docs.aws.amazon.com/sdk-for-kotlin/api/latest/cloudwatch/aws.sdk.kotlin.services.cloudwatch.model/-put-metric-alarm-request/period.html,
 * the API reference's Period text). Missing-data treatment:
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarms-and-missing-data.html
 */
export class StaleDataAlarm extends Construct {
  readonly alarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: StaleDataAlarmProps) {
    super(scope, id);
    const hours = (props.maxAge ?? Duration.hours(26)).toHours();
    if (!Number.isInteger(hours) || hours < 1 || hours > 7 * 24) {
      throw new Error(`StaleDataAlarm maxAge must be whole hours between 1 and 168, got ${hours}`);
    }
    this.alarm = new cloudwatch.Alarm(this, 'Alarm', {
      alarmDescription: `No search-stats day loaded for ${hours} hours (the daily run did not reach Load)`,
      metric: stepMetric(this, {
        name: METRIC.daysLoaded,
        step: METRIC_STEPS.load,
        statistic: 'Sum',
        period: Duration.hours(1),
      }),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: hours,
      datapointsToAlarm: hours,
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
    });
    this.alarm.addAlarmAction(new actions.SnsAction(props.topic));
  }
}

export interface RejectedShareAlarmProps {
  readonly topic: sns.ITopic;
  /** Alarm when a cleaned day's rejected share (0..1) is above this. */
  readonly warningThreshold: number;
}

/**
 * A warning before the failing threshold: the day passed Clean, but more of its rows than usual
 * were rejected. Clean publishes one `RejectedShare` (percent) per day; the alarm looks at each
 * hour's maximum, so it fires once for the day and is OK again the next hour (no data: not
 * breaching). A day over the failing threshold does not load and raises the failed-runs alarm.
 */
export class RejectedShareAlarm extends Construct {
  readonly alarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: RejectedShareAlarmProps) {
    super(scope, id);
    const percent = Number((props.warningThreshold * 100).toPrecision(12));
    this.alarm = new cloudwatch.Alarm(this, 'Alarm', {
      alarmDescription:
        `A search-stats day was cleaned with more than ${percent}% of its rows rejected ` +
        '(still under the failing threshold; see its rejected-rows file)',
      metric: stepMetric(this, {
        name: METRIC.rejectedShare,
        step: METRIC_STEPS.clean,
        statistic: 'Maximum',
        period: Duration.hours(1),
      }),
      threshold: percent,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    this.alarm.addAlarmAction(new actions.SnsAction(props.topic));
  }
}
