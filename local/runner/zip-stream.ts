/**
 * A one-entry zip written as a stream (fflate's `Zip` + `ZipDeflate`): memory stays flat whatever
 * the entry's size. The entry's CRC and sizes follow its data in a data descriptor (APPNOTE.TXT
 * 4.3.9, https://pkware.cachefly.net/webdocs/casestudies/APPNOTE.TXT), which the Clean step's reader
 * checks (lambdas/cleaning/zip-directory.ts).
 *
 * Deflate's output depends on where its input is cut, so the input is regrouped into chunks of
 * exactly CHUNK_BYTES: the same bytes in give the same zip out, however they were pushed.
 */
import { Zip, ZipDeflate } from 'fflate';

/** Bytes handed to deflate at a time (the last chunk may be shorter). */
export const CHUNK_BYTES = 1 << 20;

export interface ZipEntry {
  readonly name: string;
  /** The entry's modification time (local time, as zip stores it). */
  readonly mtime: Date;
  /** @default 6 */
  readonly level?: 6 | 9 | 1 | 2 | 3 | 4 | 5 | 7 | 8;
}

/**
 * Synchronous core: `push` bytes of the entry, `end` once; each returns the zip bytes produced so far
 * (possibly none). The caller writes them where it wants.
 */
export class OneEntryZip {
  private readonly zip: Zip;
  private readonly entry: ZipDeflate;
  private out: Uint8Array[] = [];
  private failure: Error | undefined;
  private pending = new Uint8Array(CHUNK_BYTES);
  private filled = 0;

  constructor(entry: ZipEntry) {
    this.zip = new Zip((error, data) => {
      if (error) this.failure = error;
      else this.out.push(data);
    });
    this.entry = new ZipDeflate(entry.name, { level: entry.level ?? 6 });
    this.entry.mtime = entry.mtime;
    this.zip.add(this.entry);
  }

  push(bytes: Uint8Array): Uint8Array[] {
    let offset = 0;
    while (offset < bytes.length) {
      const take = Math.min(CHUNK_BYTES - this.filled, bytes.length - offset);
      this.pending.set(bytes.subarray(offset, offset + take), this.filled);
      this.filled += take;
      offset += take;
      if (this.filled === CHUNK_BYTES) {
        this.entry.push(this.pending, false);
        this.pending = new Uint8Array(CHUNK_BYTES);
        this.filled = 0;
      }
    }
    return this.take();
  }

  end(): Uint8Array[] {
    this.entry.push(this.pending.subarray(0, this.filled), true);
    this.zip.end();
    return this.take();
  }

  private take(): Uint8Array[] {
    if (this.failure) throw new Error('zip stream failed', { cause: this.failure });
    const out = this.out;
    this.out = [];
    return out;
  }
}

/** The whole zip of `bytes` in memory (small inputs): byte-identical to streaming the same bytes. */
export function zipBytes(entry: ZipEntry, bytes: Uint8Array): Uint8Array {
  const zip = new OneEntryZip(entry);
  return Buffer.concat([...zip.push(bytes), ...zip.end()]);
}
