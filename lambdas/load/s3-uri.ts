/**
 * S3 locations that end up inside SQL text (a COPY source cannot be a Data API parameter), so they
 * are validated strictly before use: S3 bucket naming rules, and keys made only of S3's "safe"
 * characters (letters, digits, `/ ! - _ . * ' ( )`), which the keys this pipeline writes are.
 */
import { InvalidRequest } from '../shared/errors';
import type { S3Location } from './warehouse-batch';

const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const SAFE_KEY = /^[A-Za-z0-9/!\-_.*'()]+$/;

/** Throws `InvalidRequest` naming `field` unless the location is a plain, safe S3 object address. */
export function checkS3Location(location: S3Location, field = 'location'): S3Location {
  if (!BUCKET.test(location.bucket))
    throw new InvalidRequest(`${field}.bucket is not a valid S3 bucket name`);
  if (!SAFE_KEY.test(location.key) || location.key.startsWith('/') || location.key.length > 1024) {
    throw new InvalidRequest(
      `${field}.key must be 1-1024 of A-Z a-z 0-9 / ! - _ . * ' ( ), not starting with /`,
    );
  }
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
