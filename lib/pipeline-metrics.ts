import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type { IConstruct } from 'constructs';
import { METRICS_NAMESPACE, type MetricStep } from '../lambdas/shared/metric-names';

/**
 * The value of the `service` dimension the stack's Lambdas publish under (their
 * POWERTOOLS_SERVICE_NAME): the stack's name, so two stacks in one account never mix their metrics.
 */
export const metricsServiceName = (scope: IConstruct): string => Stack.of(scope).stackName;

export interface StepMetricProps {
  /** One of METRIC's names (lambdas/shared/metric-names.ts). */
  readonly name: string;
  readonly step: MetricStep;
  /** @default 'Sum' */
  readonly statistic?: string;
  /** @default Duration.days(1) */
  readonly period?: Duration;
  /** The legend label (an alarm renders a labelled metric as metric math: leave it out there). @default none */
  readonly label?: string;
}

/** A metric the pipeline's Lambdas publish (EMF), with the dimensions they publish it under. */
export function stepMetric(scope: IConstruct, props: StepMetricProps): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: METRICS_NAMESPACE,
    metricName: props.name,
    dimensionsMap: { service: metricsServiceName(scope), step: props.step },
    statistic: props.statistic ?? 'Sum',
    period: props.period ?? Duration.days(1),
    ...(props.label === undefined ? {} : { label: props.label }),
  });
}
