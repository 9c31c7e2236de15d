/**
 * The back-fill state machine's three small steps, one Lambda function each (the stack points each
 * function at one of these exports): plan the days, describe a failed day, summarize.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import type { BackfillPlan, DayFailed, SummaryResult } from './backfill-payloads';
import { describeDayFailure } from './day-failure';
import { planBackfill } from './plan-days';
import { summarizeBackfill } from './summarize';

const logger = new Logger({ serviceName: 'backfill' });

export const plan = async (event: unknown): Promise<BackfillPlan> => {
  const result = planBackfill(event);
  logger.info('planned', {
    from: result.from,
    to: result.to,
    days: result.days.length,
    maxConcurrency: result.maxConcurrency,
  });
  return result;
};

export const describeFailure = async (event: unknown): Promise<DayFailed> => {
  const result = describeDayFailure(event);
  logger.warn('day failed', { ...result });
  return result;
};

export const summarize = async (event: unknown): Promise<SummaryResult> => {
  const result = summarizeBackfill(event);
  logger.info(result.summary.message, { succeeded: result.summary.succeeded, failed: result.summary.failed });
  return result;
};
