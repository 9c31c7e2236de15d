/**
 * S3 quotes ETags in its responses (`"9b2c..."`); EventBridge events and our payloads carry them bare.
 * Every ETag the pipeline compares, stores or names a run after goes through this one function.
 */
export function bareEtag(etag: string | undefined): string {
  return (etag ?? '').replace(/^"|"$/g, '');
}
