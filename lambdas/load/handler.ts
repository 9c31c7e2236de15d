/**
 * Load Lambda: `$.clean` in, `$.load` out. Parses the payload, then replaces the day in Redshift
 * through the Data API (`loadDay`). The poll deadline is the Lambda's remaining time less a margin
 * (`poll-deadline.ts`): waiting for another day's LOCK counts against the invocation, not a fixed cap.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { RedshiftDataClient } from '@aws-sdk/client-redshift-data';
import type { Context, Handler } from 'aws-lambda';
import type { LoadResult } from '../shared/step-payloads';
import { loadDay } from './load-day';
import { parseLoadInput } from './load-input';
import { loadPollTimeoutMs } from './poll-deadline';
import { RedshiftDataWarehouse } from './redshift-data-warehouse';
import { loadWarehouseConfig } from './warehouse-config';

const client = new RedshiftDataClient({});
const logger = new Logger({ serviceName: 'load' });

export const handler = (async (event: unknown, context: Context) => {
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
}) satisfies Handler<unknown, LoadResult>;
