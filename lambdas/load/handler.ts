/**
 * Load Lambda: `$.clean` in, `$.load` out. Parses the payload, then replaces the day in Redshift
 * through the Data API (`loadDay`). The poll deadline stays inside the Lambda's own timeout.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { RedshiftDataClient } from '@aws-sdk/client-redshift-data';
import type { Context } from 'aws-lambda';
import { METRIC_STEPS } from '../shared/metric-names';
import { observeStep } from '../shared/observed-step';
import { loadMetrics } from '../shared/step-metrics';
import type { LoadResult } from '../shared/step-payloads';
import { loadDay } from './load-day';
import { parseLoadInput } from './load-input';
import { DEFAULT_POLL, RedshiftDataWarehouse } from './redshift-data-warehouse';
import { loadWarehouseConfig } from './warehouse-config';

const tracer = new Tracer();
const client = tracer.captureAWSv3Client(new RedshiftDataClient({}));
const logger = new Logger({ serviceName: 'load' });
const metrics = new Metrics({ defaultDimensions: { step: METRIC_STEPS.load } });

/** Time kept back from the Lambda timeout to cancel the statement and report. */
const SAFETY_MARGIN_MS = 30_000;

const load = async (
  event: unknown,
  context?: Pick<Context, 'getRemainingTimeInMillis'>,
): Promise<LoadResult> => {
  const input = parseLoadInput(event);
  logger.resetKeys();
  logger.appendKeys({ day: input.date, runId: input.runId });
  const config = loadWarehouseConfig(process.env);
  const remaining = context ? context.getRemainingTimeInMillis() - SAFETY_MARGIN_MS : DEFAULT_POLL.timeoutMs;
  const warehouse = new RedshiftDataWarehouse({
    client,
    logger,
    target: config.target,
    copyBucket: config.copyBucket,
    poll: { timeoutMs: Math.max(1000, Math.min(DEFAULT_POLL.timeoutMs, remaining)) },
  });
  return loadDay({ warehouse, logger }, input);
};

export const handler = async (event: unknown, context?: Context): Promise<LoadResult> =>
  observeStep({ logger, metrics, context }, () => load(event, context), loadMetrics);
