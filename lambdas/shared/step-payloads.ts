/**
 * The payloads that flow between the state machine's steps. Small records only: never the data.
 * Every step receives the previous step's result merged under its own key by the state machine
 * (`$.day`, `$.clean`, `$.load`), so a step's input is always the whole run so far.
 *
 * A payload that a step reads has a zod schema here, and its type is the schema's output: the Lambda
 * handler and the local task that stands in for it parse with the same parser (payload-schema.ts).
 */
import * as z from 'zod';
import { previousUtcDay, toCompactDate } from '../domain/calendar';
import { compactDate, count, isoDate, nonEmptyText, ONCE_FIELDS_PASS, payloadParser } from './payload-schema';

/** Accepts `2021-07-03T00:30:00Z` or `...+02:00`; a timestamp without its offset is ambiguous. */
const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;
/** Output keys carry the run id, so it must be S3-safe (lambdas/cleaning/output-keys.ts). */
const RUN_ID = /^[A-Za-z0-9._-]{1,128}$/;

/** The object version an automatic run is for (lambdas/trigger/decide-start.ts). */
const RunSourceSchema = z
  .object({ key: nonEmptyText, etag: nonEmptyText }, { error: 'must be an object with "key" and "etag"' })
  .readonly();

/**
 * The daily machine's execution input, as Validate reads it: `{"date":"YYYY-MM-DD"}` (manual run),
 * `{"time":"<ISO-8601>"}` (an EventBridge event), or what the Trigger starts: `{"date", "source":
 * {"key","etag"}, "skipIfLoaded": true}` (one day file version) or `{"date", "scheduled": true}` (the
 * schedule found no single file); optionally with `runId` (the execution name); parsed to the day the
 * run is for. Other keys are ignored: an EventBridge event carries many.
 */
const ExecutionInputSchema = z
  .object(
    {
      /** The day to process. Wins over `time` when both are given (an explicit day beats a trigger). */
      date: isoDate.optional(),
      /** A scheduled run's time; the run processes the UTC day before it (it fires at 00:30). */
      time: z
        .string({ error: 'must be an ISO-8601 timestamp such as 2021-07-03T00:30:00Z' })
        .refine((t) => ISO_TIMESTAMP.test(t) && Number.isFinite(Date.parse(t)), {
          error: 'must be an ISO-8601 timestamp such as 2021-07-03T00:30:00Z',
        })
        .optional(),
      runId: z
        .string({ error: 'must be 1-128 characters of letters, digits, ".", "_" or "-"' })
        .regex(RUN_ID, { error: 'must be 1-128 characters of letters, digits, ".", "_" or "-"' })
        .optional(),
      /** `true`: a day far below its recent days is expected (the volume guard lets it through). */
      allowVolumeDrop: z.boolean({ error: 'must be true or false' }).optional(),
      /** The run is for this object version: Validate ends it as Superseded when the day's file differs. */
      // A whole EventBridge event (a console re-run of one) has a string `source` ("aws.events"): not this.
      source: z.preprocess((v) => (typeof v === 'string' ? undefined : v), RunSourceSchema.optional()),
      /** `true`: Load loads nothing when the day's loaded `source_etag` is the run's ETag already. */
      skipIfLoaded: z.boolean({ error: 'must be true or false' }).optional(),
      /** `true`: started by the schedule, which found no single file (a missing file is not retried). */
      scheduled: z.boolean({ error: 'must be true or false' }).optional(),
    },
    { error: 'must be a JSON object with "date" (YYYY-MM-DD) or "time" (ISO-8601)' },
  )
  .transform((input, ctx) => {
    const date = input.date ?? (input.time === undefined ? undefined : previousUtcDay(new Date(input.time)));
    if (date === undefined) {
      ctx.addIssue({
        code: 'custom',
        message: 'needs "date" (YYYY-MM-DD) or "time" (ISO-8601 timestamp of a scheduled run)',
      });
      return z.NEVER;
    }
    return {
      date,
      ...(input.runId === undefined ? {} : { runId: input.runId }),
      ...(input.allowVolumeDrop === undefined ? {} : { allowVolumeDrop: input.allowVolumeDrop }),
      ...(input.source === undefined ? {} : { source: input.source }),
      ...(input.skipIfLoaded === undefined ? {} : { skipIfLoaded: input.skipIfLoaded }),
      ...(input.scheduled === undefined ? {} : { scheduled: input.scheduled }),
    };
  });
/** The day a run is for, and the run id when the state machine passes one. */
export type ExecutionInput = Readonly<z.output<typeof ExecutionInputSchema>>;
/** Validate's input: the execution input, checked. */
export const parseExecutionInput = payloadParser(ExecutionInputSchema, '');

/** Where the day's input object is, resolved by the validate step. */
export const SourceObjectSchema = z
  .object(
    {
      bucket: nonEmptyText,
      key: nonEmptyText,
      etag: z.string({ error: 'must be a string' }),
      bytes: count,
    },
    { error: 'must be an object' },
  )
  .readonly();
export type SourceObject = z.output<typeof SourceObjectSchema>;

/** Output of the validate step (`$.day`). */
export const ValidatedDaySchema = z
  .object(
    {
      /** `YYYY-MM-DD` */
      date: isoDate,
      /** `YYYYMMDD`, as it appears in file names. */
      compactDate,
      source: SourceObjectSchema,
      /** Unique per execution; used for lineage and for unique staging keys. */
      runId: nonEmptyText,
      /** The execution input said a day far below its recent days is expected (the volume guard). */
      allowVolumeDrop: z.boolean({ error: 'must be true or false' }).optional(),
      /** The execution input asked Load to load nothing when the day's loaded ETag is this one. */
      skipIfLoaded: z.boolean({ error: 'must be true or false' }).optional(),
    },
    { error: 'must be an object' },
  )
  .superRefine((day, ctx) => {
    if (day.compactDate !== toCompactDate(day.date)) {
      ctx.addIssue({
        code: 'custom',
        path: ['compactDate'],
        input: day.compactDate,
        message: `does not match the date ${day.date}`,
      });
    }
  }, ONCE_FIELDS_PASS)
  .readonly();
export type ValidatedDay = z.output<typeof ValidatedDaySchema>;
/**
 * Validate's result (`$.day`) when the run was started for an object version (`source` in the input)
 * that is no longer the day's file: the newer version's own event starts its run, so this one ends
 * (the `Superseded` state) without loading.
 */
export interface SupersededDay {
  readonly date: string;
  readonly compactDate: string;
  readonly runId: string;
  readonly superseded: {
    /** The version the run was started for. */
    readonly expected: { readonly key: string; readonly etag: string };
    /** The day's file now; undefined when there is none (it was removed). */
    readonly found?: { readonly key: string; readonly etag: string };
  };
}

/** Clean's and Prepare's input (`$.day`): Validate's result, checked. */
export const parseValidatedDay = payloadParser(ValidatedDaySchema, 'day');

/** The day's aggregates, in `search_stats` terms. */
export const DayAggregatesSchema = z
  .object(
    {
      /** Users with at least one valid search. */
      numUsers: count,
      /** Valid searches. */
      numSearches: count,
      numRentalSearches: count,
      numSaleSearches: count,
      numNoneSearches: count,
    },
    { error: 'must be an object' },
  )
  .readonly();
export type DayAggregates = z.output<typeof DayAggregatesSchema>;

/** Every row read is accounted for: read = kept + duplicate + rejected. */
export const RowCountsSchema = z
  .object({ read: count, kept: count, duplicate: count, rejected: count }, { error: 'must be an object' })
  .readonly();
export type RowCounts = z.output<typeof RowCountsSchema>;

/** One rejected line, as written to the rejected-rows object. */
export interface RejectedRow {
  /** 1-based physical line number in the CSV (the header is line 1). */
  readonly line: number;
  /** A stable machine-readable code, e.g. `missing_clicks`, `duplicate_user_id`. */
  readonly reason: string;
  /** Human detail (which search, which key, which value). */
  readonly detail: string;
  /** The raw line as read (possibly truncated for very long lines). */
  readonly raw: string;
}

/** Output keys written by the clean step, all in the clean bucket. */
export interface CleanOutputs {
  readonly bucket: string;
  readonly cleanedKey: string;
  readonly validSearchesKey: string;
  /** COPY manifest listing exactly `validSearchesKey` (COPY treats a plain path as a prefix). */
  readonly validSearchesManifestKey: string;
  /** Present only when the day had rejected rows. */
  readonly rejectedKey?: string;
  /** The day's current run record: rewritten only when a run succeeds. */
  readonly runRecordKey: string;
  /** This run's own record (`runs/<YYYYMMDD>/<runId>.json`), written whether it succeeds or fails. */
  readonly runScopedRecordKey: string;
}

/** Output of the clean step (`$.clean`): the run record, minus nothing. */
export interface CleanResult {
  readonly date: string;
  readonly runId: string;
  readonly source: SourceObject;
  readonly format: 'zip' | 'gzip' | 'csv';
  readonly counts: RowCounts;
  readonly aggregates: DayAggregates;
  readonly outputs: CleanOutputs;
  /** The first few rejection reasons, for notifications. */
  readonly firstRejections: readonly Pick<RejectedRow, 'line' | 'reason' | 'detail'>[];
  readonly timings: { readonly startedAt: string; readonly finishedAt: string; readonly millis: number };
  readonly codeVersion: string;
  /** The run's input asked Load to load nothing if the day's loaded ETag is this source's. */
  readonly skipIfLoaded?: true;
}

/** Output of the load step (`$.load`). */
export interface LoadResult {
  readonly date: string;
  readonly runId: string;
  readonly searchStatsRows: number;
  readonly validSearchRows: number;
  /** Data API statement id (AWS) or a local marker. */
  readonly statementId: string;
  readonly millis: number;
  /** Set when nothing was loaded: `AlreadyLoaded`, the day's loaded ETag was the run's. */
  readonly skipped?: 'AlreadyLoaded';
}
