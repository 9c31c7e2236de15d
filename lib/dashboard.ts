import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { METRIC, METRIC_STEPS, type MetricStep } from '../lambdas/shared/metric-names';
import { stepMetric } from './pipeline-metrics';

export interface PipelineDashboardProps {
  /** The daily state machine (one execution per day). */
  readonly daily: sfn.IStateMachine;
  /** The back-fill state machine (one execution per range, a child of `daily` per day). */
  readonly backfill: sfn.IStateMachine;
  /** The step functions, graphed by their Lambda metrics. */
  readonly functions: Readonly<Record<MetricStep, lambda.IFunction>>;
  /** The failing threshold (0..1), drawn on the rejected-share graph. */
  readonly rejectedThreshold: number;
  /** The warning level (0..1), drawn on the rejected-share graph. */
  readonly rejectedWarningThreshold: number;
  /** Alarms whose state the dashboard shows on top. @default none */
  readonly alarms?: readonly cloudwatch.IAlarm[];
  /** Time range shown when the dashboard opens. @default Duration.days(30) */
  readonly defaultInterval?: Duration;
}

const DAY = Duration.days(1);
const HOUR = Duration.hours(1);
const STEPS: readonly MetricStep[] = [METRIC_STEPS.validate, METRIC_STEPS.clean, METRIC_STEPS.load];
const percent = (share: number): number => Number((share * 100).toPrecision(12));

/**
 * The operations dashboard: is each day arriving, how big and how clean is it, how long do the
 * steps take, what failed or was retried, how far a back-fill got. Named `<stack name>-<region>`:
 * dashboards are global to the account, not regional
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-cloudwatch-dashboard.html).
 */
export class PipelineDashboard extends Construct {
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: PipelineDashboardProps) {
    super(scope, id);
    const { daily, backfill, functions } = props;
    const stack = Stack.of(this);
    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: `${stack.stackName}-${stack.region}`,
      defaultInterval: props.defaultInterval ?? Duration.days(30),
    });
    const day = (name: string, step: MetricStep, statistic = 'Sum'): cloudwatch.Metric =>
      stepMetric(this, { name, step, statistic, period: DAY });

    this.dashboard.addWidgets(
      new cloudwatch.TextWidget({
        markdown:
          '## search-stats\nOne point per UTC day unless said otherwise. Rows come from Clean ' +
          '(read = kept + duplicate + rejected); a day that fails has no rows, it shows under *Runs*. ' +
          'Retries show as Lambda errors on a day that still succeeded.',
        width: 24,
        height: 2,
      }),
    );
    if (props.alarms && props.alarms.length > 0) {
      this.dashboard.addWidgets(
        new cloudwatch.AlarmStatusWidget({
          title: 'Alarms',
          alarms: [...props.alarms],
          width: 24,
          height: 2,
        }),
      );
    }
    this.dashboard.addWidgets(
      new cloudwatch.SingleValueWidget({
        title: 'Last 24 hours',
        metrics: [
          day(METRIC.daysLoaded, METRIC_STEPS.load),
          day(METRIC.rowsRead, METRIC_STEPS.clean),
          day(METRIC.rowsKept, METRIC_STEPS.clean),
          day(METRIC.rowsRejected, METRIC_STEPS.clean),
          day(METRIC.rowsLoaded, METRIC_STEPS.load),
        ],
        setPeriodToTimeRange: false,
        width: 24,
        height: 3,
      }),
    );
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Daily volumes (rows)',
        left: [
          day(METRIC.rowsRead, METRIC_STEPS.clean),
          day(METRIC.rowsKept, METRIC_STEPS.clean),
          day(METRIC.rowsDuplicate, METRIC_STEPS.clean),
          day(METRIC.rowsRejected, METRIC_STEPS.clean),
        ],
        right: [day(METRIC.rowsLoaded, METRIC_STEPS.load)],
        leftYAxis: { label: 'rows', min: 0, showUnits: false },
        rightYAxis: { label: 'valid searches loaded', min: 0, showUnits: false },
        width: 12,
      }),
      new cloudwatch.GraphWidget({
        title: 'Rejected share (%)',
        left: [day(METRIC.rejectedShare, METRIC_STEPS.clean, 'Maximum')],
        leftYAxis: { label: '% of rows read', min: 0, showUnits: false },
        leftAnnotations: [
          { label: 'warning', value: percent(props.rejectedWarningThreshold), color: '#ff7f0e' },
          { label: 'fails the day', value: percent(props.rejectedThreshold), color: '#d62728' },
        ],
        width: 12,
      }),
    );
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Step duration (max per day, ms)',
        left: STEPS.map((step) =>
          stepMetric(this, {
            name: METRIC.stepDuration,
            step,
            statistic: 'Maximum',
            period: DAY,
            label: step,
          }),
        ),
        leftYAxis: { label: 'ms', min: 0, showUnits: false },
        width: 12,
      }),
      new cloudwatch.GraphWidget({
        title: 'Load time and input size',
        left: [
          stepMetric(this, {
            name: METRIC.stepDuration,
            step: METRIC_STEPS.load,
            statistic: 'Maximum',
            period: DAY,
            label: 'load (ms)',
          }),
        ],
        right: [day(METRIC.inputBytes, METRIC_STEPS.clean, 'Maximum')],
        leftYAxis: { label: 'ms', min: 0, showUnits: false },
        rightYAxis: { label: 'bytes', min: 0, showUnits: false },
        width: 12,
      }),
    );
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Runs (daily state machine)',
        left: [
          daily.metricSucceeded({ period: DAY, statistic: 'Sum', label: 'succeeded' }),
          daily.metricFailed({ period: DAY, statistic: 'Sum', label: 'failed' }),
          daily.metricThrottled({ period: DAY, statistic: 'Sum', label: 'throttled' }),
          daily.metricTimedOut({ period: DAY, statistic: 'Sum', label: 'timed out' }),
        ],
        leftYAxis: { label: 'executions', min: 0, showUnits: false },
        width: 12,
      }),
      new cloudwatch.GraphWidget({
        title: 'Lambda errors (each one retried or failed a step)',
        left: STEPS.map((step) =>
          functions[step].metricErrors({ period: DAY, statistic: 'Sum', label: step }),
        ),
        right: STEPS.map((step) =>
          functions[step].metricDuration({ period: DAY, statistic: 'Maximum', label: `${step} duration` }),
        ),
        leftYAxis: { label: 'errors', min: 0, showUnits: false },
        rightYAxis: { label: 'ms', min: 0, showUnits: false },
        width: 12,
      }),
    );
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Back-fill progress (per hour)',
        left: [
          backfill.metricStarted({ period: HOUR, statistic: 'Sum', label: 'back-fills started' }),
          backfill.metricSucceeded({ period: HOUR, statistic: 'Sum', label: 'back-fills succeeded' }),
          backfill.metricFailed({ period: HOUR, statistic: 'Sum', label: 'back-fills failed' }),
        ],
        right: [
          daily.metricSucceeded({ period: HOUR, statistic: 'Sum', label: 'days succeeded' }),
          daily.metricFailed({ period: HOUR, statistic: 'Sum', label: 'days failed' }),
        ],
        leftYAxis: { label: 'back-fill executions', min: 0, showUnits: false },
        rightYAxis: { label: 'day executions', min: 0, showUnits: false },
        width: 24,
      }),
    );
  }
}
