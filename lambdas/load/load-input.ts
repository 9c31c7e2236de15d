/**
 * The part of the clean step's result (`$.clean`) that the load step uses, as a schema: the handler
 * and the local Load task parse with `parseLoadInput`, so nothing reaches SQL before it passes here
 * (a manually started or edited execution can send anything).
 */
import * as z from 'zod';
import { isoDate, nonEmptyText, ONCE_FIELDS_PASS, payloadParser } from '../shared/payload-schema';
import { DayAggregatesSchema, RowCountsSchema, SourceObjectSchema } from '../shared/step-payloads';
import { isS3BucketName, isSafeS3Key, SAFE_KEY_RULE } from './s3-uri';

/** The largest value of Redshift's INTEGER columns, which hold the counts. */
const MAX_INTEGER = 2_147_483_647;

const LoadInputSchema = z
  .object(
    {
      date: isoDate,
      runId: nonEmptyText,
      codeVersion: nonEmptyText,
      source: SourceObjectSchema,
      counts: RowCountsSchema,
      aggregates: DayAggregatesSchema,
      /** The manifest's address ends up inside the COPY's SQL text: only plain, safe names pass. */
      outputs: z
        .object(
          {
            bucket: z
              .string({ error: 'must be a valid S3 bucket name' })
              .refine(isS3BucketName, { error: 'must be a valid S3 bucket name' }),
            validSearchesManifestKey: z
              .string({ error: SAFE_KEY_RULE })
              .refine(isSafeS3Key, { error: SAFE_KEY_RULE }),
          },
          { error: 'must be an object' },
        )
        .readonly(),
      /** Load nothing when the day's loaded ETag is `source.etag` (the Trigger's runs). */
      skipIfLoaded: z.boolean({ error: 'must be true or false' }).optional(),
    },
    { error: 'must be an object' },
  )
  .superRefine((clean, ctx) => {
    for (const group of ['counts', 'aggregates'] as const) {
      for (const [name, value] of Object.entries(clean[group])) {
        if (value > MAX_INTEGER) {
          ctx.addIssue({
            code: 'custom',
            path: [group, name],
            input: value,
            message: `must fit an INTEGER column (at most ${MAX_INTEGER})`,
          });
        }
      }
    }
    const { read, kept, duplicate, rejected } = clean.counts;
    if (read !== kept + duplicate + rejected) {
      ctx.addIssue({
        code: 'custom',
        path: ['counts', 'read'],
        input: read,
        message: `must equal kept + duplicate + rejected (${kept + duplicate + rejected})`,
      });
    }
    const a = clean.aggregates;
    if (a.numSearches !== a.numRentalSearches + a.numSaleSearches + a.numNoneSearches) {
      ctx.addIssue({
        code: 'custom',
        path: ['aggregates', 'numSearches'],
        input: a.numSearches,
        message: `must equal numRentalSearches + numSaleSearches + numNoneSearches (${
          a.numRentalSearches + a.numSaleSearches + a.numNoneSearches
        })`,
      });
    }
    if (a.numUsers > a.numSearches || a.numUsers > kept) {
      ctx.addIssue({
        code: 'custom',
        path: ['aggregates', 'numUsers'],
        input: a.numUsers,
        message: `must not exceed numSearches (${a.numSearches}) nor counts.kept (${kept})`,
      });
    }
  }, ONCE_FIELDS_PASS)
  .readonly();

export type LoadInput = z.output<typeof LoadInputSchema>;

/** Load's input (`$.clean`), checked; throws `InvalidRequest` naming the first bad field. */
export const parseLoadInput = payloadParser(LoadInputSchema, 'clean');
