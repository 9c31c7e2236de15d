import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { MalformedInput } from '../shared/errors';
import type { SourceFormat } from './source-object';
import { unzipSingleEntry } from './unzip-entry';

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** The CSV bytes inside the source, decompressed as a stream. */
export function decompress(
  format: SourceFormat,
  bytes: AsyncIterable<Uint8Array>,
): AsyncIterable<Uint8Array> {
  if (format === 'gzip') return gunzip(bytes);
  if (format === 'zip') return unzipSingleEntry(bytes);
  return bytes;
}

/** zlib's errors carry a `Z_...` code; S3 read errors do not, and stay retryable. */
function isZlibError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('Z_');
}

async function* gunzip(bytes: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  const inflater = createGunzip();
  // Errors of either side surface through the iteration below; this only avoids an unhandled rejection.
  const piped = pipeline(Readable.from(bytes), inflater).catch(() => undefined);
  try {
    for await (const chunk of inflater) yield chunk as Buffer;
  } catch (error) {
    if (isZlibError(error))
      throw new MalformedInput(`gzip data is corrupt or truncated: ${message(error)}`, { cause: error });
    throw error;
  } finally {
    inflater.destroy();
    await piped;
  }
}
