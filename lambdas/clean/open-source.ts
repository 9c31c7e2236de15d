import { GetObjectCommand, NoSuchKey, type S3Client } from '@aws-sdk/client-s3';
import type { SourceObject } from '../shared/contracts';
import { InputNotFound } from '../shared/errors';
import { decompress } from './decompress';
import { detectFormat, SIGNATURE_BYTES, type SourceFormat } from './source-format';

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
      etag: (out.ETag ?? source.etag).replace(/^"|"$/g, ''),
      bytes: out.ContentLength ?? source.bytes,
    },
  };
}
