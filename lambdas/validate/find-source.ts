import { ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import type { SourceObject } from '../shared/step-payloads';
import { DAY_FILE_EXTENSIONS, dayFileKeys } from '../domain/day-files';
import { AmbiguousInput, InputNotFound } from '../shared/errors';
import { bareEtag } from '../shared/s3-etag';

/**
 * Finds the day's one input object. Only the exact names count (`.csv.old`, `.zip.tmp` and the like
 * are ignored); none is InputNotFound (retried: it may arrive late), several is AmbiguousInput.
 */
export async function findSourceObject(
  s3: S3Client,
  bucket: string,
  prefix: string,
  compactDate: string,
): Promise<SourceObject> {
  const base = `${prefix}session_user_data${compactDate}`;
  const wanted = new Set(dayFileKeys(prefix, compactDate));
  const found: SourceObject[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: base, ContinuationToken: token }),
    );
    for (const object of page.Contents ?? []) {
      if (object.Key === undefined || !wanted.has(object.Key)) continue;
      found.push({
        bucket,
        key: object.Key,
        etag: bareEtag(object.ETag),
        bytes: object.Size ?? 0,
      });
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token !== undefined);

  const [only, ...others] = found;
  if (only === undefined) {
    throw new InputNotFound(`no input object s3://${bucket}/${base}{${DAY_FILE_EXTENSIONS.join(',')}}`);
  }
  if (others.length > 0) {
    const keys = found.map((o) => `s3://${bucket}/${o.key}`).join(', ');
    throw new AmbiguousInput(`${found.length} input objects for one day, expected one: ${keys}`);
  }
  return only;
}
