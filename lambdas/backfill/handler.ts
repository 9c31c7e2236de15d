/**
 * The back-fill state machine's three small steps, one Lambda function each (the stack points each
 * function at one of these exports): plan the days, describe a failed day, summarize.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import type { Handler } from 'aws-lambda';
import {
  parseFailureInput,
  parsePlanInput,
  parseSummaryInput,
  type BackfillPlan,
  type DayFailed,
  type SummaryResult,
} from './backfill-payloads';
import { describeDayFailure } from './day-failure';
import { planBackfill } from './plan-days';
import { summarizeBackfill } from './summarize';

const logger = new Logger({ serviceName: 'backfill' });

export const plan = (async (event: unknown) => {
  const result = planBackfill(parsePlanInput(event));
  logger.info('planned', {
    from: result.from,
    to: result.to,
    days: result.days.length,
    maxConcurrency: result.maxConcurrency,
  });
  return result;
}) satisfies Handler<unknown, BackfillPlan>;

export const describeFailure = (async (event: unknown) => {
  const result = describeDayFailure(parseFailureInput(event));
  logger.warn('day failed', { ...result });
  return result;
}) satisfies Handler<unknown, DayFailed>;

export const summarize = (async (event: unknown) => {
  const result = summarizeBackfill(parseSummaryInput(event));
  logger.info(result.summary.message, { succeeded: result.summary.succeeded, failed: result.summary.failed });
  return result;
}) satisfies Handler<unknown, SummaryResult>;
