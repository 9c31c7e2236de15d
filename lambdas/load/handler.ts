/**
 * Load Lambda: `$.clean` in, `$.load` out. Parses the payload, then replaces the day in Redshift
 * through the Data API (`loadDay`). The poll deadline is the Lambda's remaining time less a margin
 * (`poll-deadline.ts`): waiting for another day's LOCK counts against the invocation, not a fixed cap.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { RedshiftDataClient } from '@aws-sdk/client-redshift-data';
import type { Context, Handler } from 'aws-lambda';
import { METRIC_STEPS } from '../shared/metric-names';
import { observeStep } from '../shared/observed-step';
import { loadMetrics } from '../shared/step-metrics';
import type { LoadResult } from '../shared/step-payloads';
import { loadDay } from './load-day';
import { parseLoadInput } from './load-input';
import { loadPollTimeoutMs } from './poll-deadline';
import { RedshiftDataWarehouse } from './redshift-data-warehouse';
import { loadWarehouseConfig } from './warehouse-config';

const tracer = new Tracer();
const client = tracer.captureAWSv3Client(new RedshiftDataClient({}));
const logger = new Logger({ serviceName: 'load' });
const metrics = new Metrics({ defaultDimensions: { step: METRIC_STEPS.load } });

const load = async (
  event: unknown,
  context: Pick<Context, 'getRemainingTimeInMillis'>,
): Promise<LoadResult> => {
  const input = parseLoadInput(event);
  logger.resetKeys();
  logger.appendKeys({ day: input.date, runId: input.runId });
  const config = loadWarehouseConfig(process.env);
  const timeoutMs = loadPollTimeoutMs(context.getRemainingTimeInMillis());
  const warehouse = new RedshiftDataWarehouse({
    client,
    logger,
    target: config.target,
    copyBucket: config.copyBucket,
    poll: { timeoutMs },
  });
  return loadDay({ warehouse, logger }, input);
};

export const handler = (async (event: unknown, context: Context) =>
  observeStep({ logger, metrics, context }, () => load(event, context), loadMetrics)) satisfies Handler<
  unknown,
  LoadResult
>;
