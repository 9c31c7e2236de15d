/**
 * The schema custom resource's Lambda (CDK provider framework): `onEvent` submits the `sql/schema/`
 * statements, `isComplete` reports when Redshift has run them. See `schema-resource.ts`.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { RedshiftDataClient } from '@aws-sdk/client-redshift-data';
import type { Handler } from 'aws-lambda';
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

export const isComplete = (async (event: unknown) => {
  const request = parseSchemaEvent(event);
  return isSchemaComplete({ client, logger, target: loadRedshiftTarget(process.env) }, request);
}) satisfies Handler<unknown, IsCompleteResult>;
