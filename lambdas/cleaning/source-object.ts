import { GetObjectCommand, NoSuchKey, type S3Client } from '@aws-sdk/client-s3';
import type { SourceObject } from '../shared/step-payloads';
import { InputNotFound } from '../shared/errors';
import { decompress } from './decompress';
import { bareEtag } from '../shared/s3-etag';

/** What the day's object holds, told from its first bytes rather than its name. */
export type SourceFormat = 'zip' | 'gzip' | 'csv';

/** Bytes needed to tell the formats apart. */
export const SIGNATURE_BYTES = 4;

/**
 * `PK\x03\x04` (a local file header) or `PK\x05\x06` (the end record of an empty archive) -> zip;
 * `\x1f\x8b` -> gzip; anything else is read as CSV text (and fails later if it is not UTF-8 text).
 */
export function detectFormat(head: Uint8Array): SourceFormat {
  if (
    head[0] === 0x50 &&
    head[1] === 0x4b &&
    ((head[2] === 3 && head[3] === 4) || (head[2] === 5 && head[3] === 6))
  ) {
    return 'zip';
  }
  if (head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  return 'csv';
}

export interface OpenedSource {
  readonly format: SourceFormat;
  /** The decompressed bytes of the CSV, streamed: never the whole file in memory. */
  readonly bytes: AsyncIterable<Uint8Array>;
  /** The object actually read (it may have been replaced since validation): for lineage. */
  readonly object: SourceObject;
}

function isAsyncIterable(body: unknown): body is AsyncIterable<Uint8Array> {
  return typeof body === 'object' && body !== null && Symbol.asyncIterator in body;
}

/** Reads the first bytes, then hands back a stream that still yields them. */
async function peek(
  source: AsyncIterable<Uint8Array>,
  count: number,
): Promise<{ head: Uint8Array; stream: AsyncIterable<Uint8Array> }> {
  const iterator = source[Symbol.asyncIterator]();
  const buffered: Uint8Array[] = [];
  let size = 0;
  let ended = false;
  while (size < count) {
    const next = await iterator.next();
    if (next.done) {
      ended = true;
      break;
    }
    buffered.push(next.value);
    size += next.value.length;
  }
  async function* stream(): AsyncGenerator<Uint8Array> {
    try {
      yield* buffered;
      while (!ended) {
        const next = await iterator.next();
        if (next.done) return;
        yield next.value;
      }
    } finally {
      await iterator.return?.(); // releases the HTTP connection when the reader stops early
    }
  }
  return { head: Buffer.concat(buffered).subarray(0, count), stream: stream() };
}

/** Tells the format from the first bytes; returns it with the decompressed CSV bytes, streamed. */
export async function csvBytesOf(
  stream: AsyncIterable<Uint8Array>,
): Promise<{ format: SourceFormat; bytes: AsyncIterable<Uint8Array> }> {
  const { head, stream: rest } = await peek(stream, SIGNATURE_BYTES);
  const format = detectFormat(head);
  return { format, bytes: decompress(format, rest) };
}

/** Opens the day's object from S3 as a stream of CSV bytes, whatever its format. */
export async function openSource(s3: S3Client, source: SourceObject): Promise<OpenedSource> {
  let out;
  try {
    out = await s3.send(new GetObjectCommand({ Bucket: source.bucket, Key: source.key }));
  } catch (error) {
    if (error instanceof NoSuchKey) {
      throw new InputNotFound(`s3://${source.bucket}/${source.key} no longer exists`, { cause: error });
    }
    throw error;
  }
  if (!isAsyncIterable(out.Body))
    throw new Error(`GetObject s3://${source.bucket}/${source.key} returned no stream`);
  const { format, bytes } = await csvBytesOf(out.Body);
  return {
    format,
    bytes,
    object: {
      ...source,
      etag: bareEtag(out.ETag ?? source.etag),
      bytes: out.ContentLength ?? source.bytes,
    },
  };
}
