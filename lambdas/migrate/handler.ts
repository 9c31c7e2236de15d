/**
 * The schema custom resource's Lambda (CDK provider framework): `onEvent` names the resource,
 * `isComplete` applies the pending `sql/schema/` migrations. See `schema-resource.ts`.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { RedshiftDataClient } from '@aws-sdk/client-redshift-data';
import type { Context, Handler } from 'aws-lambda';
import { loadRedshiftTarget } from '../load/warehouse-config';
import {
  isSchemaComplete,
  onSchemaEvent,
  parseSchemaEvent,
  type IsCompleteResult,
  type OnEventResult,
} from './schema-resource';

const client = new RedshiftDataClient({});
const logger = new Logger({ serviceName: 'migrate' });

export const onEvent = (async (event: unknown) => {
  const request = parseSchemaEvent(event);
  return onSchemaEvent({ client, logger, target: loadRedshiftTarget(process.env) }, request);
}) satisfies Handler<unknown, OnEventResult>;

export const isComplete = (async (event: unknown, context: Context) => {
  const request = parseSchemaEvent(event);
  return isSchemaComplete(
    {
      client,
      logger,
      target: loadRedshiftTarget(process.env),
      remainingMs: context.getRemainingTimeInMillis(),
    },
    request,
  );
}) satisfies Handler<unknown, IsCompleteResult>;
