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

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));

const LOCAL_FILE_HEADER = [0x50, 0x4b, 0x03, 0x04];
const STORED = 0;
const DEFLATE = 8;
/** Inflated output per chunk (zlib's default is 16 KiB: more, smaller chunks for the reader). */
const CHUNK_BYTES = 128 * 1024;

/**
 * The one CSV entry of a zip, inflated as it streams. fflate's Unzip reads the archive's local
 * headers (so it need not be seekable) and hands over each entry's compressed bytes; the kept
 * entry's are inflated by Node's zlib, native code on libuv's thread pool: 3-4x less CPU than
 * fflate's JavaScript inflate, and in parallel with the parsing on the main thread.
 *
 * Decisions: directory entries are ignored; zero entries or several are AmbiguousInput naming them
 * (the rest of the archive is still read, without inflating it, to name every entry); a cut or
 * corrupt archive is MalformedInput. Backpressure: the archive is read no faster than the entry is
 * inflated, and inflated no faster than it is consumed.
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

  /** Forwards the kept entry's bytes to its inflater (or, when stored, as they are); drops the rest. */
  const decoder = (compression: number): UnzipDecoderConstructor =>
    class Forward implements UnzipDecoder {
      static readonly compression = compression;
      ondata: AsyncFlateStreamHandler = () => undefined;
      private readonly target = keepNext ? entry : undefined;

      push(chunk: Uint8Array, final: boolean): void {
        const target = this.target;
        if (target !== undefined && chunk.length > 0 && !target.destroyed) {
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
    if (!isDirectory) entries.push(file.name);
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
  try {
    for await (const chunk of output) yield chunk as Buffer;
  } finally {
    // Stopped early (the caller failed): read no further. The read loop notices at its next chunk.
    stop.abort();
    entry?.destroy();
  }
  await reading;
}
