/**
 * Load Lambda: `$.clean` in, `$.load` out. Parses the payload, then replaces the day in Redshift
 * through the Data API (`loadDay`). The poll deadline stays inside the Lambda's own timeout.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { RedshiftDataClient } from '@aws-sdk/client-redshift-data';
import type { Context, Handler } from 'aws-lambda';
import type { LoadResult } from '../shared/step-payloads';
import { loadDay } from './load-day';
import { parseLoadInput } from './load-input';
import { DEFAULT_POLL, RedshiftDataWarehouse } from './redshift-data-warehouse';
import { loadWarehouseConfig } from './warehouse-config';

const client = new RedshiftDataClient({});
const logger = new Logger({ serviceName: 'load' });

/** Time kept back from the Lambda timeout to cancel the statement and report. */
const SAFETY_MARGIN_MS = 30_000;

export const handler = (async (event: unknown, context: Context) => {
  const input = parseLoadInput(event);
  logger.resetKeys();
  logger.appendKeys({ day: input.date, runId: input.runId });
  const config = loadWarehouseConfig(process.env);
  const remaining = context.getRemainingTimeInMillis() - SAFETY_MARGIN_MS;
  const warehouse = new RedshiftDataWarehouse({
    client,
    logger,
    target: config.target,
    copyBucket: config.copyBucket,
    poll: { timeoutMs: Math.max(1000, Math.min(DEFAULT_POLL.timeoutMs, remaining)) },
  });
  return loadDay({ warehouse, logger }, input);
}) satisfies Handler<unknown, LoadResult>;
