/**
 * The two EventBridge events the Trigger receives, as zod schemas (only the fields it reads; the
 * rest is ignored): the daily schedule's "Scheduled Event" and S3's "Object Created".
 * The S3 event's fields, `detail.object.etag` included, are those of
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/ev-events.html ("Object created").
 */
import * as z from 'zod';
import { nonEmptyText, payloadParser } from '../shared/payload-schema';

/** EventBridge `time`: UTC, e.g. `2021-07-03T00:30:00Z`. */
const eventTime = z
  .string({ error: 'must be an ISO-8601 timestamp' })
  .refine((t) => /^\d{4}-\d{2}-\d{2}T/.test(t) && Number.isFinite(Date.parse(t)), {
    error: 'must be an ISO-8601 timestamp',
  })
  .transform((t) => new Date(t));

const ScheduledEventSchema = z.object({
  source: z.literal('aws.events'),
  'detail-type': z.literal('Scheduled Event'),
  time: eventTime,
});

const ObjectCreatedEventSchema = z.object({
  source: z.literal('aws.s3'),
  'detail-type': z.literal('Object Created'),
  time: eventTime,
  detail: z.object(
    {
      bucket: z.object({ name: nonEmptyText }, { error: 'must be an object' }),
      object: z.object({ key: nonEmptyText, etag: nonEmptyText }, { error: 'must be an object' }),
    },
    { error: 'must be an object' },
  ),
});

const TriggerEventSchema = z
  .discriminatedUnion('detail-type', [ScheduledEventSchema, ObjectCreatedEventSchema], {
    error: 'must be an EventBridge "Scheduled Event" or an S3 "Object Created" event',
  })
  .transform((event) =>
    event['detail-type'] === 'Scheduled Event'
      ? { kind: 'scheduled' as const, time: event.time }
      : {
          kind: 'objectCreated' as const,
          time: event.time,
          bucket: event.detail.bucket.name,
          // Used as given: day file names hold only letters, digits, `_` and `.`, which URL
          // encoding leaves alone (a prefix with other characters is not checked against it).
          key: event.detail.object.key,
          etag: event.detail.object.etag,
        },
  );

/** What the Trigger was started by, in its own terms. */
export type TriggerEvent = z.output<typeof TriggerEventSchema>;
/** The Trigger's input, checked: InvalidRequest naming the field otherwise. */
export const parseTriggerEvent = payloadParser(TriggerEventSchema, '');
