/**
 * The schema custom resource's Lambda (CDK provider framework): `onEvent` names the resource,
 * `isComplete` applies the pending `sql/schema/` migrations. See `schema-resource.ts`.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { RedshiftDataClient } from '@aws-sdk/client-redshift-data';
import type { Context } from 'aws-lambda';
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

export const onEvent = async (event: unknown): Promise<OnEventResult> =>
  onSchemaEvent({ client, logger, target: loadRedshiftTarget(process.env) }, parseSchemaEvent(event));

export const isComplete = async (
  event: unknown,
  context: Pick<Context, 'getRemainingTimeInMillis'>,
): Promise<IsCompleteResult> =>
  isSchemaComplete(
    {
      client,
      logger,
      target: loadRedshiftTarget(process.env),
      remainingMs: context.getRemainingTimeInMillis(),
    },
    parseSchemaEvent(event),
  );
