/**
 * Makes s3rver's object writes atomic, as S3's are: a PutObject or a CompleteMultipartUpload either
 * stores the whole object or leaves the previous state (S3 creates the object from the parts only
 * on completion: https://docs.aws.amazon.com/AmazonS3/latest/API/API_CompleteMultipartUpload.html). s3rver 3.7 streams the bytes straight into
 * `<key>._S3rver_object`, so a process killed mid-write leaves a prefix of the object listed and
 * readable. Here the bytes go to a temp file in the same directory (its name never ends in
 * `._S3rver_object`, so s3rver and `outputs` never list it), are fsynced, and the temp file is
 * renamed over the object (rename(2) is atomic within one file system); metadata and the MD5 (the
 * ETag) are written the same way after it.
 *
 * At start, `recoverStore` removes what a killed process can leave: temp files, and every unfinished
 * multipart upload. On AWS the buckets' lifecycle rule (AbortIncompleteMultipartUpload) removes
 * uploads after a day; locally one process owns the work directory (the work-directory lock), so any
 * upload found at start belongs to a process that is gone.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/mpu-abort-incomplete-mpu-lifecycle-config.html
 */
import { createHash, randomUUID } from 'node:crypto';
import { mkdir, open, readdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';

import { UPLOADS_DIR } from './s3rver-multipart';

/** Marks a temp file of an object being written; removed at start if a process died holding it. */
const PARTIAL_MARK = '._S3rver_partial-';

/** A point of an object write, for fault injection in tests (e.g. kill the process there). */
export interface ObjectWriteEvent {
  readonly bucket: string;
  readonly key: string;
  /** `data`: after each chunk reached the temp file; `committed`: the object is in place. */
  readonly phase: 'data' | 'committed';
  /** Bytes written so far. */
  readonly bytes: number;
}
/** The write waits for the hook (it may ask another thread: s3-server-worker.ts). */
export type ObjectWriteHook = (event: ObjectWriteEvent) => void | Promise<void>;

/** The slice of s3rver's S3Object a store write receives. */
interface StoredObjectInput {
  bucket: string;
  key: string;
  content: Buffer | Readable;
  metadata: Record<string, string>;
}

/** The slice of s3rver's FilesystemStore used here (it ships no types). */
export interface S3rverStore {
  getResourcePath(bucket: string, key: string | undefined, resource: string): string;
  putObject(object: StoredObjectInput): Promise<{ size: number; md5: string }>;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { ALLOWED_METADATA } = require('s3rver/lib/models/object') as { ALLOWED_METADATA: string[] };

/** The metadata s3rver keeps for an object (the same selection as its own putMetadata). */
function storedMetadata(metadata: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(metadata).filter(
      ([name]) => ALLOWED_METADATA.includes(name) || name.startsWith('x-amz-meta-'),
    ),
  );
}

const tempPath = (target: string): string =>
  `${target}${PARTIAL_MARK}${process.pid}-${randomUUID().slice(0, 8)}`;

async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Writes `chunks` to a temp file beside `target`, fsyncs it and renames it over `target`. */
async function replaceFile(
  target: string,
  chunks: AsyncIterable<Buffer> | Iterable<Buffer>,
  onChunk: (chunk: Buffer) => void | Promise<void> = () => undefined,
): Promise<void> {
  const temp = tempPath(target);
  try {
    const handle = await open(temp, 'w');
    try {
      for await (const chunk of chunks) {
        await handle.write(chunk);
        await onChunk(chunk);
      }
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, target);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/** Replaces the store's `putObject` (used by PutObject and CompleteMultipartUpload) by an atomic one. */
export function makeStoreAtomic(store: S3rverStore, hook?: ObjectWriteHook): void {
  store.putObject = async (object) => {
    const objectPath = store.getResourcePath(object.bucket, object.key, 'object');
    const md5Path = store.getResourcePath(object.bucket, object.key, 'object.md5');
    const metadataPath = store.getResourcePath(object.bucket, object.key, 'metadata.json');
    await mkdir(path.dirname(objectPath), { recursive: true });
    const hash = createHash('md5');
    let size = 0;
    const chunks = Buffer.isBuffer(object.content)
      ? [object.content]
      : (object.content as AsyncIterable<Buffer>);
    // The old object's MD5 goes first: should the process die after the rename, s3rver recomputes the
    // ETag from the bytes instead of serving the previous object's.
    await rm(md5Path, { force: true });
    await replaceFile(objectPath, chunks, (chunk) => {
      hash.update(chunk);
      size += chunk.length;
      return hook?.({ bucket: object.bucket, key: object.key, phase: 'data', bytes: size });
    });
    await syncDirectory(path.dirname(objectPath));
    await hook?.({ bucket: object.bucket, key: object.key, phase: 'committed', bytes: size });
    const md5 = hash.digest('hex');
    await replaceFile(metadataPath, [Buffer.from(JSON.stringify(storedMetadata(object.metadata), null, 2))]);
    await replaceFile(md5Path, [Buffer.from(md5)]);
    return { size, md5 };
  };
}

/** What `recoverStore` removed. */
export interface StoreRecovery {
  /** Unfinished multipart uploads, aborted. */
  readonly abortedUploads: number;
  /** Temp files of writes that never completed. */
  readonly partialFiles: number;
}

async function removePartialFiles(dir: string): Promise<number> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  let removed = 0;
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) removed += await removePartialFiles(full);
    else if (entry.name.includes(PARTIAL_MARK)) {
      await rm(full, { force: true });
      removed++;
    }
  }
  return removed;
}

/**
 * Removes, under s3rver's directory `root`, every bucket's unfinished multipart uploads and the
 * temp files of interrupted writes. Call it before the server starts, while no process writes there.
 */
export async function recoverStore(root: string): Promise<StoreRecovery> {
  let abortedUploads = 0;
  const buckets = await readdir(root, { withFileTypes: true }).catch(() => []);
  for (const bucket of buckets.filter((entry) => entry.isDirectory())) {
    const uploads = path.join(root, bucket.name, UPLOADS_DIR);
    const ids = await readdir(uploads).catch(() => [] as string[]);
    abortedUploads += ids.length;
    await rm(uploads, { recursive: true, force: true });
  }
  return { abortedUploads, partialFiles: await removePartialFiles(root) };
}
