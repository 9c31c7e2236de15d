import { isUtf8 } from 'node:buffer';
import type { DayAggregates, RejectedRow, RowCounts } from '../shared/step-payloads';
import { ByteLane } from './byte-lane';
import type { CleanSinks } from './output-rows';
import { csvRecordBatches } from './csv-records';
import { DayCleaner } from './day-cleaner';
import { decodeUtf8Text } from './utf8-text';

/** What the clean step found in a day file. */
export interface CleanTotals {
  readonly counts: RowCounts;
  readonly aggregates: DayAggregates;
  readonly firstRejections: readonly Pick<RejectedRow, 'line' | 'reason' | 'detail'>[];
}

export interface CleanStreamOptions {
  /** A guess of the day's users (see expectedUsers), to size the dedup memory. @default 0 */
  readonly expectedUsers?: number;
}

/**
 * Today's lines average about 200 bytes, and the zips are 11-12x smaller than their CSV. A guess
 * too high costs table slots never used; too low, one doubling near the end, with both tables alive
 * while it rehashes: so the guess leans high.
 */
const BYTES_PER_USER_GUESS = 200;
const COMPRESSION_GUESS = 12;

/** Past this the table grows as needed (a 20M-user table is 320 MB; pages are committed as used). */
const MAX_USERS_GUESS = 20_000_000;

/** A guess of the users in a day file of `bytes` bytes in `format`. */
export function expectedUsers(bytes: number, format: 'csv' | 'zip' | 'gzip'): number {
  const guess = (bytes * (format === 'csv' ? 1 : COMPRESSION_GUESS)) / BYTES_PER_USER_GUESS;
  return Math.floor(Math.min(guess, MAX_USERS_GUESS));
}

/** A line longer than this is left to the text route (which bounds records at 32 Mi characters). */
const MAX_FAST_LINE_BYTES = 1024 * 1024;
const LF = 10;
const CR = 13;
const QUOTE = 34;

/** Where the fast lane stopped: the text route reads on from there. */
interface Handover {
  readonly rest: readonly Uint8Array[];
  /** Where `rest` starts in the file. */
  readonly offset: number;
  /** Nothing was read yet: a BOM may follow. */
  readonly atStart: boolean;
  /** The file's line ending, once known. */
  readonly newline: '\n' | undefined;
  readonly line: number;
}

const asBuffer = (bytes: Uint8Array): Buffer =>
  Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

/** No quote character, no NUL, valid UTF-8: lines the fast lane may take as they are. */
function isPlain(bytes: Buffer): boolean {
  return bytes.indexOf(QUOTE) === -1 && bytes.indexOf(0) === -1 && isUtf8(bytes);
}

/** The line ending papaparse will be given (as csv-records.ts decides it); undefined until known. */
function newlineOf(bytes: Buffer): '\n' | '\r' | undefined {
  const lf = bytes.indexOf(LF);
  const cr = bytes.indexOf(CR);
  if (cr === -1 || (lf !== -1 && lf < cr)) return lf === -1 ? undefined : '\n';
  if (cr === bytes.length - 1) return undefined;
  return bytes[cr + 1] === LF ? '\n' : '\r';
}

/**
 * The fast lane's loop: complete lines of each chunk go to the ByteLane, a line cut by a chunk
 * boundary is joined first. Stops, handing the rest over, at the first bytes it must not take:
 * a quote character (quoted fields may span lines), a NUL or invalid UTF-8 (the text route words
 * the error), bare-CR line ends, a line over 1 MiB, or the last line when it has no line break.
 */
async function readFast(
  lane: ByteLane,
  iterator: AsyncIterator<Uint8Array>,
  sinks: CleanSinks,
): Promise<Handover | undefined> {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let offset = 0;
  let started = false;
  const handover = (rest: readonly Uint8Array[]): Handover => ({
    rest,
    offset,
    atStart: !started,
    newline: started ? '\n' : undefined,
    line: lane.line,
  });

  for (;;) {
    const next = await iterator.next();
    if (next.done) break;
    let chunk = asBuffer(next.value);
    if (!started) {
      pending.push(Buffer.from(chunk));
      pendingBytes += chunk.length;
      const head = pending.length === 1 ? chunk : Buffer.concat(pending);
      const newline = newlineOf(head);
      if (newline === '\r') return handover(pending);
      if (newline === undefined) {
        if (pendingBytes > MAX_FAST_LINE_BYTES) return handover(pending);
        continue;
      }
      pending = [];
      pendingBytes = 0;
      chunk = head;
      if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) {
        chunk = head.subarray(3); // the BOM, dropped as TextDecoder does
        offset = 3;
      }
      started = true;
    }
    const lastLf = chunk.lastIndexOf(LF);
    if (lastLf === -1) {
      pending.push(Buffer.from(chunk));
      pendingBytes += chunk.length;
      if (pendingBytes > MAX_FAST_LINE_BYTES) return handover(pending);
      continue;
    }
    let start = 0;
    if (pendingBytes > 0) {
      start = chunk.indexOf(LF) + 1;
      const line = Buffer.concat([...pending, chunk.subarray(0, start)]);
      if (!isPlain(line)) return handover([...pending, chunk]);
      lane.lines(line, 0, line.length);
      offset += line.length;
      pending = [];
      pendingBytes = 0;
    }
    const end = lastLf + 1;
    if (start < end) {
      if (!isPlain(chunk.subarray(start, end))) return handover([chunk.subarray(start)]);
      lane.lines(chunk, start, end);
      offset += end - start;
    }
    if (end < chunk.length) {
      // A copy: the rest of a line is small, and the source may reuse its chunk buffers.
      pending.push(Buffer.from(chunk.subarray(end)));
      pendingBytes += chunk.length - end;
    }
    await sinks.drain();
  }
  return !started || pendingBytes > 0 ? handover(pending) : undefined;
}

/** The text route from a handover to the end: UTF-8 decoding, papaparse, DayCleaner. */
async function readText(
  cleaner: DayCleaner,
  from: Handover,
  iterator: AsyncIterator<Uint8Array>,
  sinks: CleanSinks,
): Promise<void> {
  async function* bytes(): AsyncGenerator<Uint8Array> {
    yield* from.rest;
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      yield next.value;
    }
  }
  const text = decodeUtf8Text(bytes(), { offset: from.offset, atStart: from.atStart, line: from.line });
  for await (const batch of csvRecordBatches(text, { firstLine: from.line, newline: from.newline })) {
    for (const record of batch) cleaner.accept(record);
    await sinks.drain();
  }
}

/**
 * The clean step's streaming core, shared by the Lambda (S3 in, S3 out) and the benchmark (file in,
 * discarding sinks): applies the contract's rules to the decompressed CSV bytes of a day and writes the
 * rows to the sinks. Reads through the fast lane (bytes, no strings) and switches to the text route
 * for good where the fast lane must not go; the two give the same result on every line both can take.
 */
export async function cleanCsvBytes(
  date: string,
  bytes: AsyncIterable<Uint8Array>,
  sinks: CleanSinks,
  options: CleanStreamOptions = {},
): Promise<CleanTotals> {
  const cleaner = new DayCleaner(date, sinks, options.expectedUsers);
  const iterator = bytes[Symbol.asyncIterator]();
  try {
    const handover = await readFast(new ByteLane(cleaner, sinks, date), iterator, sinks);
    if (handover !== undefined) await readText(cleaner, handover, iterator, sinks);
  } finally {
    await iterator.return?.();
  }
  cleaner.finish();
  return { counts: cleaner.counts, aggregates: cleaner.aggregates, firstRejections: cleaner.firstRejections };
}
