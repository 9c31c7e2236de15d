/**
 * The ETag the embedded S3 gives a file uploaded with one PutObject: the hex MD5 of its bytes
 * (s3rver's FilesystemStore hashes the body as it stores it; S3 does the same for a single-part,
 * SSE-S3 upload: https://docs.aws.amazon.com/AmazonS3/latest/API/API_Object.html). Streamed: memory
 * does not grow with the file.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

export async function fileEtag(file: string): Promise<string> {
  const hash = createHash('md5');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
