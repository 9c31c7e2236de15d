/**
 * What flows between the scale-out steps: Prepare's result (`$.prepared`), a worker's batch (the
 * Distributed Map's ItemBatcher output) and its result (one entry of the Map Run's results), and
 * Combine's input. Small records only: the data stays in S3 under the run's staging prefix. Each
 * payload a step reads has its schema here; the handlers and the local tasks parse with the same one.
 */
import * as z from 'zod';
import {
  count,
  nonEmptyText,
  ONCE_FIELDS_PASS,
  parsePayload,
  payloadParser,
} from '../../shared/payload-schema';
import { RowCountsSchema, SourceObjectSchema, ValidatedDaySchema } from '../../shared/step-payloads';
import { STAGING_COLUMNS } from './staging-format';

/** Every object of the scale-out path lives under this prefix of the clean bucket. */
export const SCALE_OUT_PREFIX = 'scale-out/';

/** Where one run keeps its intermediate objects (all under `scale-out/<runId>/`). */
export interface StagingKeys {
  /** The normalized plain CSV the Distributed Map reads. */
  readonly staging: string;
  /** Records too long for a Map item, one object each. */
  readonly spillPrefix: string;
  /** One part object per batch, named by the batch's first item index. */
  readonly partsPrefix: string;
  /** Where the Map Run's ResultWriter writes its manifest and result files. */
  readonly resultsPrefix: string;
}

export function stagingKeys(runId: string): StagingKeys {
  const root = `${SCALE_OUT_PREFIX}${runId}/`;
  return {
    staging: `${root}staging.csv`,
    spillPrefix: `${root}spill/`,
    partsPrefix: `${root}parts/`,
    resultsPrefix: `${root}map`,
  };
}

/** Prepare's result, at `$.prepared`. */
const PreparedDaySchema = z
  .object(
    {
      date: nonEmptyText,
      runId: nonEmptyText,
      /** The day object as read (its ETag and size at read time), for lineage. */
      source: SourceObjectSchema,
      format: z.enum(['zip', 'gzip', 'csv'], { error: 'must be zip, gzip or csv' }),
      staging: z
        .object(
          {
            bucket: nonEmptyText,
            key: nonEmptyText,
            /** Records after the header: the Map's item count. */
            rows: count,
            bytes: count,
            /** Records written to their own object (too long for a Map item). */
            spilled: count,
          },
          { error: 'must be an object' },
        )
        .readonly(),
      partsPrefix: nonEmptyText,
      resultsPrefix: nonEmptyText,
      /** When Prepare started: the run record's timings cover the whole scale-out path. */
      startedAt: nonEmptyText,
    },
    { error: 'must be an object' },
  )
  .readonly();
export type PreparedDay = z.output<typeof PreparedDaySchema>;

/** A staging row as the Map's CSV ItemReader gives it: every column a string (absent when empty). */
const StagingRowSchema = z
  .partialRecord(z.enum(STAGING_COLUMNS), z.string({ error: 'must be a string' }), {
    error: 'must be an object',
  })
  .readonly();

/** One item as the Map's ItemSelector shapes it: the row and its index in the staging CSV. */
const BatchItemSchema = z
  .object({ index: count, row: StagingRowSchema }, { error: 'must be an object' })
  .readonly();
export type BatchItem = z.output<typeof BatchItemSchema>;

/** What every batch of a run shares (the ItemBatcher's BatchInput). */
const BatchInputSchema = z
  .object(
    {
      date: nonEmptyText,
      runId: nonEmptyText,
      partsPrefix: nonEmptyText.refine((p) => p.startsWith(SCALE_OUT_PREFIX), {
        error: `must start with ${SCALE_OUT_PREFIX}`,
      }),
    },
    { error: 'must be an object' },
  )
  .readonly();
export type BatchInput = z.output<typeof BatchInputSchema>;

/**
 * A worker's input, `{"Items": [...], "BatchInput": {...}}`, read as `{items, input}`. The items are
 * consecutive staging rows: the part is named by the first index, and Combine tiles the parts.
 */
const BatchEventSchema = z
  .object(
    {
      Items: z.array(BatchItemSchema, { error: 'must be an array' }).min(1, { error: 'must not be empty' }),
      BatchInput: BatchInputSchema,
    },
    { error: 'must be an object' },
  )
  .superRefine((batch, ctx) => {
    const first = batch.Items[0]?.index ?? 0;
    const gap = batch.Items.findIndex((item, i) => item.index !== first + i);
    if (gap !== -1) {
      ctx.addIssue({
        code: 'custom',
        path: ['Items', gap, 'index'],
        input: batch.Items[gap]?.index,
        message: `must be ${first + gap}: a batch's items are consecutive`,
      });
    }
  }, ONCE_FIELDS_PASS)
  .transform(({ Items, BatchInput }) => ({ items: Items, input: BatchInput }));
export type BatchEvent = Readonly<z.output<typeof BatchEventSchema>>;
/** CleanBatch's input (the Distributed Map's batch), checked. */
export const parseBatchEvent = payloadParser(BatchEventSchema, 'batch');

/** A worker's result: where its part is and what it saw (counts are local to the batch). */
const BatchResultSchema = z
  .object(
    {
      firstIndex: count,
      rows: count,
      key: nonEmptyText,
      bytes: count,
      /** Where the part's raw section starts (see part-format.ts). */
      rawOffset: count,
      localCounts: RowCountsSchema,
    },
    { error: 'must be an object' },
  )
  .readonly();
export type BatchResult = z.output<typeof BatchResultSchema>;
/** One entry of a Map Run's result file, `where` naming it (`<file key>[<i>]`). */
export const parseBatchResult = (value: unknown, where: string): BatchResult =>
  parsePayload(BatchResultSchema, value, where);

/**
 * Where the Map Run's ResultWriter put its manifest: the Distributed Map's output with a
 * ResultWriter, `{MapRunArn, ResultWriterDetails: {Bucket, Key}}` (at `$.map`), read as
 * `{mapRunArn, resultBucket, manifestKey}`.
 */
const MapRunOutputSchema = z
  .object(
    {
      MapRunArn: z.string().optional().catch(undefined),
      ResultWriterDetails: z
        .object({ Bucket: nonEmptyText, Key: nonEmptyText }, { error: 'must be an object' })
        .readonly(),
    },
    { error: 'must be an object' },
  )
  .transform(({ MapRunArn, ResultWriterDetails }) => ({
    ...(MapRunArn === undefined ? {} : { mapRunArn: MapRunArn }),
    resultBucket: ResultWriterDetails.Bucket,
    manifestKey: ResultWriterDetails.Key,
  }));
export type MapRunOutput = Readonly<z.output<typeof MapRunOutputSchema>>;

/** Combine's input: the state at that point, `{day, prepared, map, ...}`, of one run. */
const CombineInputSchema = z
  .object(
    { day: ValidatedDaySchema, prepared: PreparedDaySchema, map: MapRunOutputSchema },
    {
      error: 'must be an object',
    },
  )
  .superRefine((state, ctx) => {
    if (state.prepared.runId !== state.day.runId) {
      ctx.addIssue({
        code: 'custom',
        path: ['prepared', 'runId'],
        input: state.prepared.runId,
        message: `must be day.runId (${state.day.runId})`,
      });
    }
  }, ONCE_FIELDS_PASS)
  .readonly();
export type CombineInput = z.output<typeof CombineInputSchema>;
/** Combine's input, checked. */
export const parseCombineInput = payloadParser(CombineInputSchema, '');
