import { GetObjectCommand, NoSuchKey, type S3Client } from '@aws-sdk/client-s3';
import { toCompactDate } from '../domain/calendar';
import { currentRunRecordKey } from './output-keys';

/** One previous day's kept rows, from its current run record. */
export interface RecentVolume {
  readonly date: string;
  readonly kept: number;
}

/** The `days` calendar days before `date` (`YYYY-MM-DD`), newest first. */
export function previousDays(date: string, days: number): string[] {
  const start = Date.parse(`${date}T00:00:00Z`);
  return Array.from({ length: days }, (_, i) =>
    new Date(start - (i + 1) * 86_400_000).toISOString().slice(0, 10),
  );
}

function keptOf(record: unknown): number | undefined {
  if (typeof record !== 'object' || record === null) return undefined;
  const counts = (record as { counts?: { kept?: unknown } }).counts;
  return typeof counts?.kept === 'number' && Number.isSafeInteger(counts.kept) ? counts.kept : undefined;
}

/**
 * The kept rows of the previous `days` days that have a current run record in the clean bucket: one
 * small GetObject each, in parallel; a day without a record (never run, or only failed runs) is
 * skipped. A missing key is NoSuchKey only for a caller that may also list the bucket: without
 * s3:ListBucket, S3 answers 403 AccessDenied (GetObject API reference, "Permissions":
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html), so the clean functions are
 * granted ListBucket on the `runs/` prefix (lib/functions.ts). Any other error fails the step, and
 * the state machine retries it.
 */
export async function readRecentVolumes(
  s3: S3Client,
  bucket: string,
  date: string,
  days: number,
): Promise<RecentVolume[]> {
  const found = await Promise.all(
    previousDays(date, days).map(async (day): Promise<RecentVolume | undefined> => {
      try {
        const out = await s3.send(
          new GetObjectCommand({ Bucket: bucket, Key: currentRunRecordKey(toCompactDate(day)) }),
        );
        const kept = keptOf(JSON.parse((await out.Body?.transformToString('utf8')) ?? 'null'));
        return kept === undefined ? undefined : { date: day, kept };
      } catch (error) {
        // No record, or one that is not a run record: that day has nothing to compare with.
        if (error instanceof NoSuchKey || error instanceof SyntaxError) return undefined;
        throw error;
      }
    }),
  );
  return found.filter((v): v is RecentVolume => v !== undefined);
}
