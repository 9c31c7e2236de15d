import { MalformedInput } from '../shared/errors';

/**
 * The zip structures that describe an entry: its central directory record (the archive's own
 * index, at its end), its local header and, for a streamed entry, its data descriptor (APPNOTE.TXT
 * 4.3.7-4.3.16, https://pkware.cachefly.net/webdocs/casestudies/APPNOTE.TXT). The reader
 * (unzip-entry.ts) streams the archive through fflate, which reads only local headers; this checks
 * what it inflated against all three, from the archive's first and last bytes, which the reader
 * keeps. Pure: no I/O.
 */

/** The first and last bytes of an archive of `length` bytes: tail starts at `tailOffset`. */
export interface ArchiveEnds {
  readonly head: Uint8Array;
  readonly tail: Uint8Array;
  readonly tailOffset: number;
  readonly length: number;
}

/** What the reader saw of the one file entry. */
export interface StreamedEntry {
  readonly name: string;
  readonly compressedSize: number;
  readonly size: number;
  readonly crc: number;
}

interface DirectoryRecord {
  readonly name: Uint8Array;
  readonly utf8: boolean;
  readonly compression: number;
  readonly crc: number;
  readonly compressedSize: number;
  readonly size: number;
  readonly localHeaderOffset: number;
}

const END_OF_DIRECTORY = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_END_OF_DIRECTORY = 0x06064b50;
const DIRECTORY_RECORD = 0x02014b50;
const LOCAL_HEADER = 0x04034b50;
const DATA_DESCRIPTOR = 0x08074b50;
const ZIP64_EXTRA = 0x0001;
const MAX_U32 = 0xffffffff;
const MAX_U16 = 0xffff;
const STREAMED_FLAG = 0x08;
const UTF8_FLAG = 0x800;

const hex = (crc: number): string => `0x${crc.toString(16).padStart(8, '0')}`;
const fail = (what: string): MalformedInput => new MalformedInput(`zip archive ${what}`);

/** Little-endian reads that fail as MalformedInput past the end (a cut or lying archive). */
class Reader {
  constructor(
    private readonly bytes: Uint8Array,
    private readonly what: string,
  ) {}
  has(at: number, length: number): boolean {
    return at >= 0 && at + length <= this.bytes.length;
  }
  private need(at: number, length: number): void {
    if (!this.has(at, length)) throw fail(`is truncated or corrupt: its ${this.what} ends early`);
  }
  u16(at: number): number {
    this.need(at, 2);
    return (this.bytes[at] as number) | ((this.bytes[at + 1] as number) << 8);
  }
  u32(at: number): number {
    this.need(at, 4);
    return (this.u16(at) | (this.u16(at + 2) << 16)) >>> 0;
  }
  u64(at: number): number {
    const value = this.u32(at) + this.u32(at + 4) * 2 ** 32;
    if (!Number.isSafeInteger(value)) throw fail(`${this.what} holds an impossible size or offset`);
    return value;
  }
  slice(at: number, length: number): Uint8Array {
    this.need(at, length);
    return this.bytes.subarray(at, at + length);
  }
}

/** The zip64 extended-information extra field's values, in order, for the fields that overflowed. */
function zip64Values(reader: Reader, extraAt: number, extraLength: number, wanted: number): number[] {
  for (let at = extraAt; at + 4 <= extraAt + extraLength;) {
    const id = reader.u16(at);
    const size = reader.u16(at + 2);
    if (id === ZIP64_EXTRA) {
      if (size < wanted * 8) break;
      return Array.from({ length: wanted }, (_, i) => reader.u64(at + 4 + i * 8));
    }
    at += 4 + size;
  }
  throw fail('has a size or offset of 0xFFFFFFFF without its zip64 extra field');
}

/** Where the central directory is (offset and size in the archive), from its end record(s). */
function locateDirectory(ends: ArchiveEnds): { offset: number; size: number; entries: number } {
  const tail = new Reader(ends.tail, 'end of central directory record');
  let end = -1;
  for (let at = ends.tail.length - 22; at >= Math.max(0, ends.tail.length - 22 - MAX_U16); at--) {
    if (tail.u32(at) === END_OF_DIRECTORY && at + 22 + tail.u16(at + 20) === ends.tail.length) {
      end = at;
      break;
    }
  }
  if (end === -1) throw fail('has no end of central directory record: it is truncated or not a zip');
  const entries = tail.u16(end + 10);
  const size = tail.u32(end + 12);
  const offset = tail.u32(end + 16);
  if (entries !== MAX_U16 && size !== MAX_U32 && offset !== MAX_U32) return { offset, size, entries };
  if (end < 20 || tail.u32(end - 20) !== ZIP64_LOCATOR)
    throw fail('lacks its zip64 end of central directory locator');
  const record = tail.u64(end - 12) - ends.tailOffset;
  if (tail.u32(record) !== ZIP64_END_OF_DIRECTORY) throw fail('has no zip64 end of central directory record');
  return { entries: tail.u64(record + 32), size: tail.u64(record + 40), offset: tail.u64(record + 48) };
}

/** The central directory's records of files (directories, named with a trailing '/', left out). */
function fileRecords(ends: ArchiveEnds): DirectoryRecord[] {
  const { offset, size, entries } = locateDirectory(ends);
  const start = offset - ends.tailOffset;
  if (start < 0 || offset + size > ends.length) {
    if (offset + size > ends.length) throw fail('has a central directory beyond its end');
    throw fail(
      `has a central directory of ${size} bytes, more than this reader checks (${ends.tail.length})`,
    );
  }
  const reader = new Reader(ends.tail, 'central directory');
  const files: DirectoryRecord[] = [];
  let at = start;
  for (let i = 0; i < entries; i++) {
    if (reader.u32(at) !== DIRECTORY_RECORD) throw fail(`central directory record ${i + 1} is corrupt`);
    const nameLength = reader.u16(at + 28);
    const extraLength = reader.u16(at + 30);
    const name = reader.slice(at + 46, nameLength);
    const record = {
      name,
      utf8: (reader.u16(at + 8) & UTF8_FLAG) !== 0,
      compression: reader.u16(at + 10),
      crc: reader.u32(at + 16),
      compressedSize: reader.u32(at + 20),
      size: reader.u32(at + 24),
      localHeaderOffset: reader.u32(at + 42),
    };
    const overflowed = [record.size, record.compressedSize, record.localHeaderOffset].filter(
      (v) => v === MAX_U32,
    );
    if (overflowed.length > 0) {
      const values = zip64Values(reader, at + 46 + nameLength, extraLength, overflowed.length);
      if (record.size === MAX_U32) record.size = values.shift() as number;
      if (record.compressedSize === MAX_U32) record.compressedSize = values.shift() as number;
      if (record.localHeaderOffset === MAX_U32) record.localHeaderOffset = values.shift() as number;
    }
    if (name[name.length - 1] !== 0x2f) files.push(record);
    at += 46 + nameLength + extraLength + reader.u16(at + 32);
  }
  if (at !== start + size) throw fail('central directory size does not match its records');
  return files;
}

const decodeName = (record: DirectoryRecord): string =>
  Buffer.from(record.name).toString(record.utf8 ? 'utf8' : 'latin1');

function expectEqual(
  what: string,
  expected: number,
  actual: number,
  show: (value: number) => string = String,
): void {
  if (expected !== actual) throw fail(`${what}: expected ${show(expected)}, actual ${show(actual)}`);
}

/** The entry's local header (and data descriptor, if streamed) must say what its record says. */
function checkLocalHeader(ends: ArchiveEnds, record: DirectoryRecord, name: string): void {
  const head = new Reader(ends.head, 'local header');
  const at = record.localHeaderOffset;
  if (!head.has(at, 30) || head.u32(at) !== LOCAL_HEADER)
    throw fail(`central directory points entry ${name} at offset ${at}, where there is no local header`);
  const flags = head.u16(at + 6);
  const nameLength = head.u16(at + 26);
  const extraLength = head.u16(at + 28);
  const localName = head.slice(at + 30, nameLength);
  if (Buffer.compare(localName, record.name) !== 0)
    throw fail(`entry ${name}: local header and central directory name it differently`);
  expectEqual(`entry ${name} compression method (local header)`, record.compression, head.u16(at + 8));
  const dataEnd = at + 30 + nameLength + extraLength + record.compressedSize;
  let crc: number;
  let compressedSize: number;
  let size: number;
  let where: string;
  if ((flags & STREAMED_FLAG) === 0) {
    where = 'local header';
    crc = head.u32(at + 14);
    compressedSize = head.u32(at + 18);
    size = head.u32(at + 22);
    if (compressedSize === MAX_U32 || size === MAX_U32) {
      [size, compressedSize] = zip64Values(head, at + 30 + nameLength, extraLength, 2) as [number, number];
    }
  } else {
    where = 'data descriptor';
    const tail = new Reader(ends.tail, 'data descriptor');
    let d = dataEnd - ends.tailOffset;
    if (!tail.has(d, 12)) throw fail(`entry ${name}: its data descriptor is not where its sizes put it`);
    if (tail.u32(d) === DATA_DESCRIPTOR && tail.has(d + 4, 12)) d += 4;
    crc = tail.u32(d);
    const wide = record.size >= MAX_U32 || record.compressedSize >= MAX_U32;
    compressedSize = wide ? tail.u64(d + 4) : tail.u32(d + 4);
    size = wide ? tail.u64(d + 12) : tail.u32(d + 8);
  }
  expectEqual(`entry ${name} CRC-32 (${where} vs central directory)`, record.crc, crc, hex);
  expectEqual(
    `entry ${name} compressed size (${where} vs central directory)`,
    record.compressedSize,
    compressedSize,
  );
  expectEqual(`entry ${name} uncompressed size (${where} vs central directory)`, record.size, size);
}

/**
 * Checks the one file entry the reader streamed against the archive's central directory, local
 * header and data descriptor: CRC-32, sizes, name. Any disagreement is MalformedInput naming the
 * field, what the archive says (expected) and what the data gives (actual).
 */
export function checkStreamedEntry(ends: ArchiveEnds, entry: StreamedEntry): void {
  const files = fileRecords(ends);
  if (files.length !== 1) throw fail(`central directory lists ${files.length} files, its local headers 1`);
  const record = files[0] as DirectoryRecord;
  const name = decodeName(record);
  if (name !== entry.name)
    throw fail(`central directory names its file ${name}, its local header ${entry.name}`);
  checkLocalHeader(ends, record, name);
  expectEqual(`entry ${name} CRC-32 check failed`, record.crc, entry.crc, hex);
  expectEqual(`entry ${name} uncompressed size`, record.size, entry.size);
  expectEqual(`entry ${name} compressed size`, record.compressedSize, entry.compressedSize);
}
