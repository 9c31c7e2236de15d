/**
 * The Trigger's work, given its clients: decide (decide-start.ts), list the day for the schedule,
 * and start the daily state machine under the decided name. A name already used means this object
 * version already has its run: StartExecution answers ExecutionAlreadyExists for a closed execution
 * of that name, or for an open one with another input, and succeeds without a new execution for an
 * open one with the same input
 * (https://docs.aws.amazon.com/step-functions/latest/apireference/API_StartExecution.html).
 */
import type { S3Client } from '@aws-sdk/client-s3';
import { ExecutionAlreadyExists, StartExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import type { Logger } from '@aws-lambda-powertools/logger';
import { toCompactDate } from '../domain/calendar';
import { AmbiguousInput, InputNotFound } from '../shared/errors';
import { findSourceObject } from '../validate/find-source';
import {
  decideArrival,
  decideScheduled,
  scheduledDay,
  type ScheduledListing,
  type StartRequest,
} from './decide-start';
import type { TriggerEvent } from './trigger-events';

export interface TriggerFunctionConfig {
  readonly incomingBucket: string;
  readonly incomingPrefix: string;
  /** The daily state machine. */
  readonly stateMachineArn: string;
}

export interface TriggerDeps {
  readonly s3: S3Client;
  readonly sfn: SFNClient;
  readonly logger: Logger;
  readonly config: TriggerFunctionConfig;
}

/** What the Trigger did. */
export type TriggerOutcome =
  | { readonly outcome: 'ignored'; readonly reason: string }
  | { readonly outcome: 'leftToSchedule'; readonly date: string }
  | { readonly outcome: 'started' | 'alreadyStarted'; readonly date: string; readonly name: string };

export async function triggerStart(deps: TriggerDeps, event: TriggerEvent): Promise<TriggerOutcome> {
  const { config, logger } = deps;
  if (event.kind === 'scheduled') {
    const date = scheduledDay(event.time);
    const listing = await listDay(deps, date);
    logger.info('scheduled run', { date, found: listing.found });
    return start(deps, decideScheduled(date, listing));
  }
  const decision = decideArrival(event, { prefix: config.incomingPrefix, bucket: config.incomingBucket });
  switch (decision.action) {
    case 'ignore':
      logger.info(`ignored: ${decision.reason}`, { bucket: event.bucket, key: event.key });
      return { outcome: 'ignored', reason: decision.reason };
    case 'leftToSchedule':
      logger.info('left to the schedule: the day is not over, its scheduled run will find the file', {
        key: event.key,
        date: decision.date,
      });
      return { outcome: 'leftToSchedule', date: decision.date };
    case 'start':
      return start(deps, decision);
  }
}

/** The day's file as the schedule sees it: one (key and ETag), none, or several. */
async function listDay(deps: TriggerDeps, date: string): Promise<ScheduledListing> {
  const { incomingBucket, incomingPrefix } = deps.config;
  try {
    const found = await findSourceObject(deps.s3, incomingBucket, incomingPrefix, toCompactDate(date));
    return { found: 'one', key: found.key, etag: found.etag };
  } catch (error) {
    if (error instanceof InputNotFound) return { found: 'none' };
    if (error instanceof AmbiguousInput) return { found: 'several' };
    throw error;
  }
}

async function start(deps: TriggerDeps, request: StartRequest): Promise<TriggerOutcome> {
  const { date, name, input } = request;
  try {
    await deps.sfn.send(
      new StartExecutionCommand({
        stateMachineArn: deps.config.stateMachineArn,
        name,
        input: JSON.stringify(input),
      }),
    );
  } catch (error) {
    if (!(error instanceof ExecutionAlreadyExists)) throw error;
    deps.logger.info('already started: this version of the day file has its run', { date, name });
    return { outcome: 'alreadyStarted', date, name };
  }
  deps.logger.info('started', { date, name, input });
  return { outcome: 'started', date, name };
}
