/**
 * Runs one step's work inside a handler with what operations needs around it: the Lambda context
 * in every log line, the step's duration and its result's metrics published as EMF (one JSON line
 * on stdout that CloudWatch turns into metrics), also when the step fails. CloudWatch Logs extracts
 * EMF from a Lambda's stdout with no agent; a timed-out invocation flushes nothing
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Lambda.html).
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import { METRIC } from './metric-names';
import type { StepMetric } from './step-metrics';

export interface StepObservers {
  readonly logger: Logger;
  /** Created once per container, with the `step` dimension as a default dimension. */
  readonly metrics: Metrics;
  /** Absent when a test calls the handler directly. */
  readonly context?: Context;
}

export async function observeStep<T>(
  { logger, metrics, context }: StepObservers,
  work: () => Promise<T>,
  toMetrics: (result: T) => readonly StepMetric[] = () => [],
): Promise<T> {
  if (context) logger.addContext(context);
  const started = performance.now();
  try {
    const result = await work();
    for (const metric of toMetrics(result)) metrics.addMetric(metric.name, metric.unit, metric.value);
    return result;
  } finally {
    metrics.addMetric(METRIC.stepDuration, 'Milliseconds', Math.round(performance.now() - started));
    metrics.publishStoredMetrics();
  }
}
