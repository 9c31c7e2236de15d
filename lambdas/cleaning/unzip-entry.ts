import { once } from 'node:events';
import { PassThrough, type Duplex } from 'node:stream';
import { finished } from 'node:stream/promises';
import { createInflateRaw } from 'node:zlib';
import {
  Unzip,
  type AsyncFlateStreamHandler,
  type UnzipDecoder,
  type UnzipDecoderConstructor,
  type UnzipFile,
} from 'fflate';
import { AmbiguousInput, MalformedInput } from '../shared/errors';
import { crc32 } from './crc32';
import { checkStreamedEntry } from './zip-directory';

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));

const LOCAL_FILE_HEADER = [0x50, 0x4b, 0x03, 0x04];
const STORED = 0;
const DEFLATE = 8;
/** Inflated output per chunk (zlib's default is 16 KiB: more, smaller chunks for the reader). */
const CHUNK_BYTES = 128 * 1024;
/** The archive's first bytes kept for the check: the local header (after any directory entries). */
const HEAD_BYTES = 64 * 1024;
/** Its last bytes kept: the data descriptor, central directory and end record of a one-file zip. */
const TAIL_BYTES = 1024 * 1024;

/**
 * The one CSV entry of a zip, inflated as it streams. fflate's Unzip reads the archive's local
 * headers (so it need not be seekable) and hands over each entry's compressed bytes; the kept
 * entry's are inflated by Node's zlib, native code on libuv's thread pool: 3-4x less CPU than
 * fflate's JavaScript inflate, and in parallel with the parsing on the main thread.
 *
 * Decisions: directory entries are ignored; zero file entries or several are AmbiguousInput naming
 * them (the rest of the archive is still read, without inflating it, to name every entry); a cut or
 * corrupt archive is MalformedInput. The entry's CRC-32 and sizes are computed as it streams and,
 * once the archive has been read, checked against its central directory, local header and data
 * descriptor (zip-directory.ts): a mismatch is MalformedInput naming the checksum or size, expected
 * and actual, thrown after the last chunk and before the iteration ends, so a caller that commits
 * only on a complete read (the clean step does) never commits altered data. Backpressure: the
 * archive is read no faster than the entry is inflated, and inflated no faster than it is consumed.
 */
export async function* unzipSingleEntry(bytes: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  const output = new PassThrough({ highWaterMark: CHUNK_BYTES });
  const stop = new AbortController();
  const entries: string[] = [];
  let entry: Duplex | undefined;
  let entryDone: Promise<void> = Promise.resolve();
  let entryComplete = false;
  let keepNext = false;
  let failure: { error: unknown } | undefined;
  let startsWithLocalHeader: boolean | undefined;
  const directories: string[] = [];
  let compressedBytes = 0;
  // The archive's ends, for the check: chunks are kept by reference, as fflate itself does.
  const head = new Uint8Array(HEAD_BYTES);
  let headLength = 0;
  const tail: Uint8Array[] = [];
  let tailLength = 0;
  let archiveLength = 0;
  const keepEnds = (chunk: Uint8Array): void => {
    if (headLength < HEAD_BYTES) {
      const part = chunk.subarray(0, HEAD_BYTES - headLength);
      head.set(part, headLength);
      headLength += part.length;
    }
    archiveLength += chunk.length;
    tail.push(chunk);
    tailLength += chunk.length;
    while (tailLength - (tail[0]?.length ?? 0) >= TAIL_BYTES) tailLength -= tail.shift()?.length ?? 0;
  };

  /** Forwards the kept entry's bytes to its inflater (or, when stored, as they are); drops the rest. */
  const decoder = (compression: number): UnzipDecoderConstructor =>
    class Forward implements UnzipDecoder {
      static readonly compression = compression;
      ondata: AsyncFlateStreamHandler = () => undefined;
      private readonly target = keepNext ? entry : undefined;

      push(chunk: Uint8Array, final: boolean): void {
        const target = this.target;
        if (target !== undefined && chunk.length > 0 && !target.destroyed) {
          compressedBytes += chunk.length;
          target.write(Buffer.from(chunk)); // a copy: fflate owns `chunk`
        }
        if (final) this.ondata(null, new Uint8Array(0), true);
      }
    };
  const unzip = new Unzip();
  unzip.register(decoder(STORED));
  unzip.register(decoder(DEFLATE));

  unzip.onfile = (file: UnzipFile) => {
    const isDirectory = file.name.endsWith('/');
    if (isDirectory) directories.push(file.name);
    else entries.push(file.name);
    keepNext = !isDirectory && entries.length === 1;
    const keep = keepNext;
    if (keep && (file.compression === STORED || file.compression === DEFLATE)) {
      entry =
        file.compression === DEFLATE
          ? createInflateRaw({ chunkSize: CHUNK_BYTES })
          : new PassThrough({ highWaterMark: CHUNK_BYTES });
      entry.pipe(output, { end: false });
      entryDone = finished(entry);
      entryDone.catch(() => undefined); // awaited at the end; only an early stop leaves it unread
    }
    file.ondata = (error, _data, final) => {
      if (error) failure ??= { error };
      else if (final && keep) {
        entryComplete = true; // the archive held all of the entry's bytes
        entry?.end();
      }
    };
    try {
      file.start(); // always start: an entry not started would be buffered in memory
    } catch (error) {
      failure ??= { error };
    } finally {
      keepNext = false;
    }
  };
  const corrupt = (what: string, cause: unknown): MalformedInput =>
    new MalformedInput(`zip archive ${what}: ${message(cause)}`, { cause });
  const unreadable = (cause: unknown): MalformedInput =>
    corrupt(`entry ${entries[0] ?? ''} cannot be read`, cause);

  const read = async (): Promise<void> => {
    for await (const chunk of bytes) {
      if (stop.signal.aborted) return;
      startsWithLocalHeader ??= LOCAL_FILE_HEADER.every((b, i) => chunk[i] === b);
      keepEnds(chunk);
      try {
        unzip.push(chunk);
      } catch (error) {
        throw corrupt('is corrupt', error);
      }
      if (failure) throw unreadable(failure.error);
      if (entry?.errored) throw unreadable(entry.errored);
      if (entry?.writableNeedDrain) {
        await once(entry, 'drain', { signal: stop.signal }).catch((error: unknown) => {
          throw entry?.errored ? unreadable(entry.errored) : error;
        });
      }
    }
    try {
      unzip.push(new Uint8Array(0), true);
    } catch (error) {
      throw corrupt('is truncated', error);
    }
    if (failure) throw unreadable(failure.error);
    if (entries.length === 0) {
      if (directories.length > 0) {
        const shown = directories.slice(0, 20).join(', ') + (directories.length > 20 ? ', ...' : '');
        throw new AmbiguousInput(
          `zip archive has no file entry, only ${directories.length === 1 ? 'a directory' : 'directories'}: ${shown}; expected exactly one CSV`,
        );
      }
      if (startsWithLocalHeader) throw new MalformedInput('zip archive is truncated before its first entry');
      throw new AmbiguousInput('zip archive has no entry, expected exactly one CSV');
    }
    if (entries.length > 1) {
      const shown = entries.slice(0, 20).join(', ') + (entries.length > 20 ? ', ...' : '');
      throw new AmbiguousInput(
        `zip archive has ${entries.length} entries, expected exactly one CSV: ${shown}`,
      );
    }
    if (!entryComplete) throw new MalformedInput(`zip archive is truncated inside entry ${entries[0]}`);
    await entryDone.catch((error: unknown) => {
      throw unreadable(error);
    });
  };

  const reading = read().then(
    () => output.end(),
    (error: unknown) => {
      entry?.destroy();
      output.destroy(error as Error);
    },
  );
  let crc = 0;
  let size = 0;
  try {
    for await (const chunk of output) {
      crc = crc32(chunk as Buffer, crc);
      size += (chunk as Buffer).length;
      yield chunk as Buffer;
    }
  } finally {
    // Stopped early (the caller failed): read no further. The read loop notices at its next chunk.
    stop.abort();
    entry?.destroy();
  }
  await reading;
  const tailBytes = Buffer.concat(tail);
  checkStreamedEntry(
    {
      head: head.subarray(0, headLength),
      tail: tailBytes,
      tailOffset: archiveLength - tailBytes.length,
      length: archiveLength,
    },
    { name: entries[0] ?? '', compressedSize: compressedBytes, size, crc },
  );
}
