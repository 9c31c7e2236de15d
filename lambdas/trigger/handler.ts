/**
 * Trigger Lambda: the one door for automatic starts of the daily state machine. It receives the
 * daily schedule's "Scheduled Event" and S3's "Object Created" events (EventBridge rules, lib/trigger.ts),
 * decides (decide-start.ts) and starts the day under one name per day file version.
 */
import { S3Client } from '@aws-sdk/client-s3';
import { SFNClient } from '@aws-sdk/client-sfn';
import { Logger } from '@aws-lambda-powertools/logger';
import { Tracer } from '@aws-lambda-powertools/tracer';
import type { Context, Handler } from 'aws-lambda';
import { ENV, DEFAULTS, requireEnv } from '../shared/function-env';
import { STATE_MACHINE_ARN_ENV } from './handler-env';
import { parseTriggerEvent } from './trigger-events';
import { triggerStart, type TriggerOutcome } from './trigger-start';


const tracer = new Tracer();
const s3 = tracer.captureAWSv3Client(new S3Client({}));
const sfn = tracer.captureAWSv3Client(new SFNClient({}));
const logger = new Logger({ serviceName: 'trigger' });

export const handler = (async (event: unknown, context: Context) => {
  logger.addContext(context);
  const config = {
    incomingBucket: requireEnv(process.env, ENV.incomingBucket),
    incomingPrefix: process.env[ENV.incomingPrefix] ?? DEFAULTS.incomingPrefix,
    stateMachineArn: requireEnv(process.env, STATE_MACHINE_ARN_ENV),
  };
  return triggerStart({ s3, sfn, logger, config }, parseTriggerEvent(event));
}) satisfies Handler<unknown, TriggerOutcome>;
