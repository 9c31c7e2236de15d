import { AsciiWords, copyAscii, putWords } from '../domain/ascii-words';
import { ceilDiv } from '../domain/user-summary';
import { RENTAL, SALE, type ByteUserDataReader } from '../domain/user-data-bytes';
import type { ByteSink } from './output-rows';

/**
 * The fast lane's output rows, written as bytes straight into a sink's buffer: the same text as
 * `cleanedRow` and `validSearchRows` (output-rows.ts) for the lines the byte reader accepts, whose
 * fields need no CSV quoting and whose values need no JSON escaping (printable ASCII without
 * quotes or commas). Input bytes (user_id, user_data, search_id, created_at, type) are copied as
 * they are, 8 at a time (ascii-words.ts); numbers are written as digits.
 */

const JSON_OPEN = Uint8Array.from([44, 34, 91]); // ,"[
const SEARCH_ID_OPEN = new AsciiWords('{""search_id"":""');
const CLICKS_OPEN = new AsciiWords('"",""enabled"":true,""clicks"":');
const CREATED_AT_OPEN = new AsciiWords(',""created_at"":""');
const LISTINGS_OPEN = new AsciiWords('"",""listings"":');
const TYPE_OPEN = new AsciiWords(',""type"":""');
const SEARCH_CLOSE = Uint8Array.from([34, 34, 125]); // ""}
const JSON_CLOSE = Uint8Array.from([93, 34, 44]); // ]",
const BUCKETS = [
  Uint8Array.from('rental', (c) => c.charCodeAt(0)),
  Uint8Array.from('sale', (c) => c.charCodeAt(0)),
  Uint8Array.from('none', (c) => c.charCodeAt(0)),
] as const;
const COMMA = 44;
const LF = 10;
const CREATED_AT_BYTES = 8;

/** Upper bounds of one search's text (values at their longest: 18, 10, 8, 10 and 64 bytes). */
const MAX_JSON_SEARCH_BYTES = 256;
const MAX_VALID_ROW_BYTES = 192;
const MAX_ROW_TAIL_BYTES = 128;

function put(target: Uint8Array, at: number, bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length; i++) target[at + i] = bytes[i] as number;
  return at + bytes.length;
}

/** A non-negative integer below 2^53, in decimal. */
function putUint(target: Uint8Array, at: number, value: number): number {
  if (value < 10) {
    target[at] = 48 + value;
    return at + 1;
  }
  let digits = 2;
  for (let rest = value; rest >= 100; rest = Math.floor(rest / 10)) digits++;
  let rest = value;
  for (let i = at + digits - 1; i >= at; i--) {
    target[i] = 48 + (rest % 10);
    rest = Math.floor(rest / 10);
  }
  return at + digits;
}

/** A sink's buffer and a DataView over it, renewed when the sink hands out another buffer. */
class SinkBuffer {
  private buffer: Buffer = Buffer.alloc(0);
  view = new DataView(this.buffer.buffer, 0, 0);

  constructor(readonly sink: ByteSink) {}

  reserve(bytes: number): Buffer {
    const buffer = this.sink.reserve(bytes);
    if (buffer !== this.buffer) {
      this.buffer = buffer;
      this.view = new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength);
    }
    return buffer;
  }
}

/** Writes cleaned rows: `user_id,user_data` is the input line itself, then valid_search_data and the counts. */
export class CleanedRowWriter {
  private readonly out: SinkBuffer;

  constructor(sink: ByteSink) {
    this.out = new SinkBuffer(sink);
  }

  write(
    input: Buffer,
    inputView: DataView,
    lineStart: number,
    lineEnd: number,
    user: ByteUserDataReader,
  ): void {
    const n = user.validCount;
    const out = this.out.reserve(lineEnd - lineStart + MAX_ROW_TAIL_BYTES + n * MAX_JSON_SEARCH_BYTES);
    const view = this.out.view;
    let at = copyAscii(out, view, this.out.sink.offset, input, inputView, lineStart, lineEnd);
    at = put(out, at, JSON_OPEN);
    for (let v = 0; v < n; v++) {
      if (v > 0) out[at++] = COMMA;
      at = putWords(view, at, SEARCH_ID_OPEN);
      at = copyAscii(out, view, at, input, inputView, user.idStart[v] as number, user.idEnd[v] as number);
      at = putWords(view, at, CLICKS_OPEN);
      at = putUint(out, at, user.clicks[v] as number);
      at = putWords(view, at, CREATED_AT_OPEN);
      const createdAt = user.createdAtStart[v] as number;
      at = copyAscii(out, view, at, input, inputView, createdAt, createdAt + CREATED_AT_BYTES);
      at = putWords(view, at, LISTINGS_OPEN);
      at = putUint(out, at, user.listings[v] as number);
      at = putWords(view, at, TYPE_OPEN);
      at = copyAscii(out, view, at, input, inputView, user.typeStart[v] as number, user.typeEnd[v] as number);
      at = put(out, at, SEARCH_CLOSE);
    }
    at = put(out, at, JSON_CLOSE);
    at = putUint(out, at, n);
    out[at++] = COMMA;
    at = putUint(out, at, ceilDiv(user.listingsSum, n));
    out[at++] = COMMA;
    at = putUint(out, at, user.rental);
    out[at++] = COMMA;
    at = putUint(out, at, user.sale);
    out[at++] = COMMA;
    at = putUint(out, at, user.none);
    out[at++] = LF;
    this.out.sink.commit(at);
  }
}

/** Writes valid-searches rows: `day,user_id,search_seq,search_id,clicks,created_at,listings,type,type_bucket`. */
export class ValidSearchRowWriter {
  private readonly out: SinkBuffer;
  private readonly day: AsciiWords;

  constructor(sink: ByteSink, date: string) {
    this.out = new SinkBuffer(sink);
    this.day = new AsciiWords(date);
  }

  write(input: Buffer, inputView: DataView, idStart: number, idEnd: number, user: ByteUserDataReader): void {
    const n = user.validCount;
    const out = this.out.reserve(n * (MAX_VALID_ROW_BYTES + idEnd - idStart));
    const view = this.out.view;
    let at = this.out.sink.offset;
    for (let v = 0; v < n; v++) {
      at = putWords(view, at, this.day);
      out[at++] = COMMA;
      at = copyAscii(out, view, at, input, inputView, idStart, idEnd);
      out[at++] = COMMA;
      at = putUint(out, at, user.seq[v] as number);
      out[at++] = COMMA;
      at = copyAscii(out, view, at, input, inputView, user.idStart[v] as number, user.idEnd[v] as number);
      out[at++] = COMMA;
      at = putUint(out, at, user.clicks[v] as number);
      out[at++] = COMMA;
      const createdAt = user.createdAtStart[v] as number;
      at = copyAscii(out, view, at, input, inputView, createdAt, createdAt + CREATED_AT_BYTES);
      out[at++] = COMMA;
      at = putUint(out, at, user.listings[v] as number);
      out[at++] = COMMA;
      at = copyAscii(out, view, at, input, inputView, user.typeStart[v] as number, user.typeEnd[v] as number);
      out[at++] = COMMA;
      const bucket = user.bucket[v] as number;
      at = put(out, at, BUCKETS[bucket === RENTAL ? 0 : bucket === SALE ? 1 : 2]);
      out[at++] = LF;
    }
    this.out.sink.commit(at);
  }
}
