/**
 * S3 locations that end up inside SQL text (a COPY source cannot be a Data API parameter), so they
 * are validated strictly before use: S3 bucket naming rules, and keys made only of S3's "safe"
 * characters (letters, digits, `/ ! - _ . * ' ( )`), which the keys this pipeline writes are.
 */
import { InvalidRequest } from '../shared/errors';
import type { S3Location } from './warehouse-batch';

const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const SAFE_KEY = /^[A-Za-z0-9/!\-_.*'()]+$/;

/** What {@link isSafeS3Key} accepts, for error messages. */
export const SAFE_KEY_RULE = "must be 1-1024 of A-Z a-z 0-9 / ! - _ . * ' ( ), not starting with /";

/** S3's bucket naming rules (3-63 of lower-case letters, digits, `.` and `-`). */
export function isS3BucketName(name: string): boolean {
  return BUCKET.test(name);
}

/** A key made only of S3's "safe" characters, not starting with `/`, at most 1024 characters. */
export function isSafeS3Key(key: string): boolean {
  return SAFE_KEY.test(key) && !key.startsWith('/') && key.length <= 1024;
}

/** Throws `InvalidRequest` naming `field` unless the location is a plain, safe S3 object address. */
export function checkS3Location(location: S3Location, field = 'location'): S3Location {
  if (!isS3BucketName(location.bucket))
    throw new InvalidRequest(`${field}.bucket is not a valid S3 bucket name`);
  if (!isSafeS3Key(location.key)) throw new InvalidRequest(`${field}.key ${SAFE_KEY_RULE}`);
  return location;
}

/** `s3://bucket/key`, after {@link checkS3Location}. */
export function toS3Uri(location: S3Location, field?: string): string {
  checkS3Location(location, field);
  return `s3://${location.bucket}/${location.key}`;
}

/** The bucket and key of an `s3://bucket/key` URI. */
export function parseS3Uri(uri: string): S3Location {
  const match = /^s3:\/\/([^/]+)\/(.+)$/.exec(uri);
  if (!match) throw new InvalidRequest(`not an s3://bucket/key URI: ${uri}`);
  return { bucket: match[1] as string, key: match[2] as string };
}
