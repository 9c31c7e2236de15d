/**
 * A day as the clean step leaves it: the valid-searches CSV and its COPY manifest in the clean
 * bucket, and the CleanResult that points at them, with aggregates computed here independently.
 */
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { CleanResult } from '../../lambdas/shared/step-payloads';

export interface FixtureSearch {
  readonly userId: string;
  readonly seq: number;
  readonly searchId: number;
  readonly clicks: number;
  readonly listings: number;
  /** `Rental`, `Sales` or anything else (empty included). */
  readonly type: string;
}

export interface DayFixture {
  readonly clean: CleanResult;
  readonly csv: string;
  readonly manifest: string;
}

export const CLEAN_BUCKET = 'clean';

const bucketOf = (type: string): string =>
  type === 'Rental' ? 'rental' : type === 'Sales' ? 'sale' : 'none';

export function searchesCsv(date: string, searches: readonly FixtureSearch[]): string {
  const compact = date.replace(/-/g, '');
  const lines = searches.map((s) =>
    [date, s.userId, s.seq, s.searchId, s.clicks, compact, s.listings, s.type, bucketOf(s.type)].join(','),
  );
  return (
    ['day,user_id,search_seq,search_id,clicks,created_at,listings,type,type_bucket', ...lines].join('\n') +
    '\n'
  );
}

export function dayFixture(
  date: string,
  searches: readonly FixtureSearch[],
  options: { runId?: string; csv?: string } = {},
): DayFixture {
  const compact = date.replace(/-/g, '');
  const count = (bucket: string): number => searches.filter((s) => bucketOf(s.type) === bucket).length;
  const users = new Set(searches.map((s) => s.userId)).size;
  const validSearchesKey = `valid-searches/valid_searches${compact}.csv`;
  const clean: CleanResult = {
    date,
    runId: options.runId ?? `run-${compact}`,
    source: {
      bucket: 'incoming',
      key: `user-data/session_user_data${compact}.zip`,
      etag: '"0123abcd"',
      bytes: 1234,
    },
    format: 'zip',
    counts: { read: users + 2, kept: users + 1, duplicate: 1, rejected: 0 },
    aggregates: {
      numUsers: users,
      numSearches: searches.length,
      numRentalSearches: count('rental'),
      numSaleSearches: count('sale'),
      numNoneSearches: count('none'),
    },
    outputs: {
      bucket: CLEAN_BUCKET,
      cleanedKey: `user-data-clean/session_user_data${compact}.csv`,
      validSearchesKey,
      validSearchesManifestKey: `${validSearchesKey}.manifest`,
      runRecordKey: `runs/session_user_data${compact}.json`,
      runScopedRecordKey: `runs/${compact}/${options.runId ?? `run-${compact}`}.json`,
    },
    firstRejections: [],
    timings: { startedAt: `${date}T00:30:00.000Z`, finishedAt: `${date}T00:30:01.000Z`, millis: 1000 },
    codeVersion: 'test',
  };
  const manifest = JSON.stringify({
    entries: [{ url: `s3://${CLEAN_BUCKET}/${validSearchesKey}`, mandatory: true }],
  });
  return { clean, csv: options.csv ?? searchesCsv(date, searches), manifest };
}

/** Writes the fixture's CSV and manifest where its CleanResult says they are. */
export async function putDay(s3: S3Client, fixture: DayFixture): Promise<void> {
  const { outputs } = fixture.clean;
  await s3.send(
    new PutObjectCommand({ Bucket: outputs.bucket, Key: outputs.validSearchesKey, Body: fixture.csv }),
  );
  await s3.send(
    new PutObjectCommand({
      Bucket: outputs.bucket,
      Key: outputs.validSearchesManifestKey,
      Body: fixture.manifest,
    }),
  );
}

/** Three valid searches of two users: one rental, one sale, one with an empty type. */
export const JULY_2: readonly FixtureSearch[] = [
  { userId: '500', seq: 1, searchId: 4410, clicks: 4, listings: 6, type: 'Rental' },
  { userId: '501', seq: 2, searchId: 78, clicks: 3, listings: 5, type: 'Sales' },
  { userId: '501', seq: 3, searchId: 79, clicks: 9, listings: 1, type: '' },
];
