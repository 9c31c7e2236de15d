import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { Unzip, UnzipInflate, type UnzipFile } from 'fflate';
import { AmbiguousInput, MalformedInput } from '../shared/errors';
import type { SourceFormat } from './source-format';

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

const LOCAL_FILE_HEADER = [0x50, 0x4b, 0x03, 0x04];

/**
 * The one CSV entry of a zip, inflated as it streams (fflate's Unzip reads local headers, so the
 * archive need not be seekable). Decisions: directory entries are ignored; zero entries or several
 * are AmbiguousInput naming them (the rest of the archive is still read, without keeping its data,
 * to name every entry); a cut or corrupt archive is MalformedInput.
 */
async function* unzipSingleEntry(bytes: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  const unzip = new Unzip();
  unzip.register(UnzipInflate);
  const entries: string[] = [];
  let ready: Uint8Array[] = [];
  let firstEntryEnded = false;
  let failure: { error: unknown } | undefined;
  let startsWithLocalHeader: boolean | undefined;

  unzip.onfile = (file: UnzipFile) => {
    const isDirectory = file.name.endsWith('/');
    if (!isDirectory) entries.push(file.name);
    const keep = !isDirectory && entries.length === 1;
    file.ondata = (error, data, final) => {
      if (error) failure ??= { error };
      else if (keep) {
        if (data.length > 0) ready.push(data);
        if (final) firstEntryEnded = true;
      }
    };
    try {
      file.start(); // always start: data of an entry that is not started would be buffered in memory
    } catch (error) {
      failure ??= { error };
    }
  };
  const corrupt = (what: string, cause: unknown): MalformedInput =>
    new MalformedInput(`zip archive ${what}: ${message(cause)}`, { cause });

  for await (const chunk of bytes) {
    startsWithLocalHeader ??= LOCAL_FILE_HEADER.every((b, i) => chunk[i] === b);
    try {
      unzip.push(chunk);
    } catch (error) {
      throw corrupt('is corrupt', error);
    }
    if (failure) throw corrupt(`entry ${entries[0] ?? ''} cannot be read`, failure.error);
    const out = ready;
    ready = [];
    if (entries.length > 1) continue; // ambiguous: read on only to name the entries
    yield* out;
  }
  try {
    unzip.push(new Uint8Array(0), true);
  } catch (error) {
    throw corrupt('is truncated', error);
  }
  if (failure) throw corrupt(`entry ${entries[0] ?? ''} cannot be read`, failure.error);
  if (entries.length === 0) {
    if (startsWithLocalHeader) throw new MalformedInput('zip archive is truncated before its first entry');
    throw new AmbiguousInput('zip archive has no entry, expected exactly one CSV');
  }
  if (entries.length > 1) {
    const shown = entries.slice(0, 20).join(', ') + (entries.length > 20 ? ', ...' : '');
    throw new AmbiguousInput(`zip archive has ${entries.length} entries, expected exactly one CSV: ${shown}`);
  }
  if (!firstEntryEnded) throw new MalformedInput(`zip archive is truncated inside entry ${entries[0]}`);
  yield* ready;
}
