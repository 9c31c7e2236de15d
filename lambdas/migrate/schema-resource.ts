/**
 * The tables, migrated at deploy time by a CDK custom resource (provider framework with `isComplete`):
 *  - `onEvent` Create/Update only names the resource; Delete keeps the tables (and their data).
 *  - `isComplete` applies the `sql/schema/` migrations not recorded yet (`apply-migrations.ts`), each
 *    submitted, polled and finished inside this one invocation, within the Lambda's remaining time
 *    less a margin. All applied: complete. Out of time: the statement in flight is cancelled (it
 *    rolls back with its version row) and the provider asks again. A retryable Data API error
 *    (throttled, busy, aborted) also asks again; a failing migration fails the deployment, naming
 *    its file and the warehouse's error text.
 * Submitting and describing in the same invocation keeps every statement this function's own, and
 * a second call never runs a migration the first one still has in flight.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import type { RedshiftDataClient } from '@aws-sdk/client-redshift-data';
import * as z from 'zod';
import { WarehouseUnavailable } from '../shared/errors';
import { payloadParser } from '../shared/payload-schema';
import { targetName, type RedshiftTarget } from '../load/redshift-data-api';
import { RedshiftDataWarehouse, type PollOptions } from '../load/redshift-data-warehouse';
import { applyMigrations } from './apply-migrations';

export interface SchemaDeps {
  readonly client: RedshiftDataClient;
  readonly target: RedshiftTarget;
  readonly logger: Logger;
  /** Where `sql/` is. @default defaultSqlRoots() */
  readonly sqlRoots?: readonly string[];
}

export interface IsCompleteDeps extends SchemaDeps {
  /** The invocation's remaining time (`context.getRemainingTimeInMillis()`). */
  readonly remainingMs: number;
  /** @default Date.now */
  readonly now?: () => number;
  /** @default setTimeout */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Poll intervals. @default DEFAULT_POLL's */
  readonly poll?: Partial<Pick<PollOptions, 'intervalMs' | 'maxIntervalMs'>>;
}

/**
 * The fields of a CloudFormation custom resource event (as the provider framework passes it) used
 * here; the others are ignored.
 */
const SchemaEventSchema = z
  .object(
    {
      RequestType: z.enum(['Create', 'Update', 'Delete'], { error: 'must be Create, Update or Delete' }),
      PhysicalResourceId: z.string({ error: 'must be a string' }).optional(),
      /** On `isComplete`: what `onEvent` returned. */
      Data: z.record(z.string(), z.unknown(), { error: 'must be an object' }).readonly().optional(),
    },
    { error: 'must be an object' },
  )
  .readonly();
export type SchemaEvent = z.output<typeof SchemaEventSchema>;

export interface OnEventResult {
  readonly PhysicalResourceId: string;
}

export interface IsCompleteResult {
  readonly IsComplete: boolean;
}

const RESOURCE_NAME = 'search-stats-schema';
/** Kept back from the invocation's remaining time to cancel a statement in flight and return. */
export const MIGRATE_MARGIN_MS = 20_000;
/** Below this much time left, no new migration is started. */
const MIN_TIME_FOR_A_MIGRATION_MS = 5_000;

/** Reads the fields used from a provider-framework event; throws `InvalidRequest` naming the field. */
export const parseSchemaEvent = payloadParser(SchemaEventSchema, 'event');

export function onSchemaEvent(deps: SchemaDeps, event: SchemaEvent): OnEventResult {
  const physicalResourceId = event.PhysicalResourceId ?? `${RESOURCE_NAME}:${targetName(deps.target)}`;
  deps.logger.info(
    event.RequestType === 'Delete'
      ? 'schema resource deleted; tables kept'
      : 'migrations start in isComplete',
    { physicalResourceId, requestType: event.RequestType },
  );
  return { PhysicalResourceId: physicalResourceId };
}

export async function isSchemaComplete(deps: IsCompleteDeps, event: SchemaEvent): Promise<IsCompleteResult> {
  if (event.RequestType === 'Delete') return { IsComplete: true };
  const now = deps.now ?? Date.now;
  const deadlineAt = now() + deps.remainingMs - MIGRATE_MARGIN_MS;
  const warehouse = new RedshiftDataWarehouse({
    client: deps.client,
    target: deps.target,
    // The migrations never COPY; an empty bucket name makes any COPY placeholder fail.
    copyBucket: '',
    logger: deps.logger,
    poll: { ...deps.poll, timeoutMs: Math.max(1000, deadlineAt - now()) },
    deadlineAt,
    now,
    ...(deps.sleep ? { sleep: deps.sleep } : {}),
  });
  try {
    const result = await applyMigrations({
      target: warehouse,
      logger: deps.logger,
      now: () => new Date(now()),
      ...(deps.sqlRoots ? { sqlRoots: deps.sqlRoots } : {}),
      hasTimeLeft: () => deadlineAt - now() >= MIN_TIME_FOR_A_MIGRATION_MS,
    });
    deps.logger.info('schema migrations', { ...result });
    return { IsComplete: result.pending.length === 0 };
  } catch (error) {
    if (!(error instanceof WarehouseUnavailable)) throw error;
    deps.logger.warn('migrations interrupted; the provider will ask again', { error: error.message });
    return { IsComplete: false };
  }
}
