import { AsciiPair, pairAt } from './ascii-words';
import { isRealDate } from './calendar';
import {
  finishFingerprint,
  FINGERPRINT_MUL_1,
  FINGERPRINT_MUL_2,
  FINGERPRINT_SEED_1,
  FINGERPRINT_SEED_2,
  KEY_TOKEN,
  SEARCH_TOKEN,
} from './fingerprint';
import { INT32_MAX, TYPE_MAX_BYTES } from './limits';

/**
 * The fast reader of user_data, straight from the input bytes, for the layout upstream writes:
 * every search with its six keys in contract order, ASCII values, nothing else:
 *
 *     --\\n-:search_id:<1-18 digits>\\n:enabled:<true|false, any case>\\n:clicks:<int>
 *     \\n:created_at:<YYYYMMDD>\\n:listings:<int>\\n:type:<printable ASCII, no comma or quote>\n
 *
 * It reads up to the end of the line and answers -1 on anything else; the caller then reads the
 * line with `parseUserData` (the reference), which decides and words what is wrong. On what it
 * accepts it agrees with `parseUserData`: same valid searches and values, same fingerprint
 * (test/bench/byte-reader.test.ts checks both on generated and mutated lines).
 *
 * Speed: the fixed literals (two thirds of the text) are compared 8 bytes at a time through a
 * DataView; values are read byte by byte; nothing is allocated per search, the valid searches are
 * left as positions in typed arrays for the caller to copy from the input into the outputs.
 */

const LF = 10;
const CR = 13;
const BACKSLASH = 92;
const LETTER_N = 110;
const ZERO = 48;
const NINE = 57;
const COMMA = 44;
const COLON = 58;
const QUOTE = 34;

// The separators before each value; the search start is `--\\n-:` + `search_id` + the colon after it.
const SEARCH_ID = new AsciiPair('--\\\\n-:search_id');
const ENABLED = new AsciiPair('\\\\n:enabled:');
const CLICKS = new AsciiPair('\\\\n:clicks:');
const CREATED_AT = new AsciiPair('\\\\n:created_at:');
const LISTINGS = new AsciiPair('\\\\n:listings:');
const TYPE = new AsciiPair('\\\\n:type:');

const lower = (code: number): number => code | 0x20;

/** `true`/`false` in any case at [at, at + length): 1 / 0, else -1. */
function enabledAt(bytes: Uint8Array, at: number, length: number): number {
  if (length === 4) {
    return lower(bytes[at] as number) === 116 &&
      lower(bytes[at + 1] as number) === 114 &&
      lower(bytes[at + 2] as number) === 117 &&
      lower(bytes[at + 3] as number) === 101
      ? 1
      : -1;
  }
  if (length === 5) {
    return lower(bytes[at] as number) === 102 &&
      lower(bytes[at + 1] as number) === 97 &&
      lower(bytes[at + 2] as number) === 108 &&
      lower(bytes[at + 3] as number) === 115 &&
      lower(bytes[at + 4] as number) === 101
      ? 0
      : -1;
  }
  return -1;
}

/** Type buckets, as stored per valid search. */
export const RENTAL = 0;
export const SALE = 1;
export const NONE = 2;

function bucketOf(bytes: Uint8Array, at: number, length: number): number {
  if (
    length === 6 &&
    bytes[at] === 82 && // R
    bytes[at + 1] === 101 &&
    bytes[at + 2] === 110 &&
    bytes[at + 3] === 116 &&
    bytes[at + 4] === 97 &&
    bytes[at + 5] === 108
  ) {
    return RENTAL;
  }
  if (
    length === 5 &&
    bytes[at] === 83 && // S
    bytes[at + 1] === 97 &&
    bytes[at + 2] === 108 &&
    bytes[at + 3] === 101 &&
    bytes[at + 4] === 115
  ) {
    return SALE;
  }
  return NONE;
}

/** Reads user_data bytes; the results of the last accepted read are in its fields. */
export class ByteUserDataReader {
  fingerprint = 0;
  /** Valid searches of the last accepted line, and their figures. */
  validCount = 0;
  listingsSum = 0;
  rental = 0;
  sale = 0;
  none = 0;
  /** Per valid search i < validCount: 1-based position, value positions in the input, values. */
  seq = new Int32Array(16);
  idStart = new Int32Array(16);
  idEnd = new Int32Array(16);
  clicks = new Int32Array(16);
  /** created_at is always 8 bytes. */
  createdAtStart = new Int32Array(16);
  listings = new Int32Array(16);
  typeStart = new Int32Array(16);
  typeEnd = new Int32Array(16);
  bucket = new Uint8Array(16);
  /** The last created_at found to be a real date (a day's searches mostly share one). */
  private knownDate = -1;

  /**
   * Reads the user_data starting at `start` to the end of its line. Returns the index of the line
   * break that ends it (the '\n', or the '\r' of "\r\n"), or -1 when the line is not in the layout
   * above. Never reads at or past `limit`.
   */
  readUserData(bytes: Uint8Array, view: DataView, start: number, limit: number): number {
    let h1 = FINGERPRINT_SEED_1;
    let h2 = FINGERPRINT_SEED_2;
    let p = start;
    let n = 0;
    this.validCount = 0;
    this.listingsSum = 0;
    this.rental = 0;
    this.sale = 0;
    this.none = 0;
    for (;;) {
      if (p >= limit) return -1;
      let c = bytes[p] as number;
      if (c === LF) break;
      if (c === CR) {
        if (p + 1 < limit && bytes[p + 1] === LF) break;
        return -1;
      }
      if (!pairAt(view, p, limit, SEARCH_ID) || bytes[p + SEARCH_ID.length] !== COLON) return -1;
      n++;
      p += SEARCH_ID.length + 1;
      h1 = Math.imul(Math.imul(h1 ^ SEARCH_TOKEN, FINGERPRINT_MUL_1) ^ KEY_TOKEN, FINGERPRINT_MUL_1);
      h2 = Math.imul(Math.imul(h2 ^ SEARCH_TOKEN, FINGERPRINT_MUL_2) ^ KEY_TOKEN, FINGERPRINT_MUL_2);

      const idStart = p;
      while (p < limit) {
        c = bytes[p] as number;
        if (c < ZERO || c > NINE) break;
        h1 = Math.imul(h1 ^ c, FINGERPRINT_MUL_1);
        h2 = Math.imul(h2 ^ c, FINGERPRINT_MUL_2);
        p++;
      }
      const idEnd = p;
      if (idEnd === idStart || idEnd - idStart > 18) return -1;

      if (!pairAt(view, p, limit, ENABLED)) return -1;
      p += ENABLED.length;
      h1 = Math.imul(h1 ^ (KEY_TOKEN + 1), FINGERPRINT_MUL_1);
      h2 = Math.imul(h2 ^ (KEY_TOKEN + 1), FINGERPRINT_MUL_2);
      const enabledStart = p;
      while (p < limit && p - enabledStart < 5) {
        c = bytes[p] as number;
        if (c === BACKSLASH) break;
        h1 = Math.imul(h1 ^ c, FINGERPRINT_MUL_1);
        h2 = Math.imul(h2 ^ c, FINGERPRINT_MUL_2);
        p++;
      }
      const enabled = enabledAt(bytes, enabledStart, p - enabledStart);
      if (enabled === -1) return -1;

      if (!pairAt(view, p, limit, CLICKS)) return -1;
      p += CLICKS.length;
      h1 = Math.imul(h1 ^ (KEY_TOKEN + 2), FINGERPRINT_MUL_1);
      h2 = Math.imul(h2 ^ (KEY_TOKEN + 2), FINGERPRINT_MUL_2);
      let clicks = 0;
      const clicksStart = p;
      while (p < limit) {
        c = bytes[p] as number;
        if (c < ZERO || c > NINE) break;
        clicks = clicks * 10 + (c - ZERO);
        h1 = Math.imul(h1 ^ c, FINGERPRINT_MUL_1);
        h2 = Math.imul(h2 ^ c, FINGERPRINT_MUL_2);
        p++;
      }
      if (p === clicksStart || p - clicksStart > 10 || clicks > INT32_MAX) return -1;

      if (!pairAt(view, p, limit, CREATED_AT)) return -1;
      p += CREATED_AT.length;
      h1 = Math.imul(h1 ^ (KEY_TOKEN + 3), FINGERPRINT_MUL_1);
      h2 = Math.imul(h2 ^ (KEY_TOKEN + 3), FINGERPRINT_MUL_2);
      let date = 0;
      const createdAtStart = p;
      while (p < limit) {
        c = bytes[p] as number;
        if (c < ZERO || c > NINE) break;
        date = date * 10 + (c - ZERO);
        h1 = Math.imul(h1 ^ c, FINGERPRINT_MUL_1);
        h2 = Math.imul(h2 ^ c, FINGERPRINT_MUL_2);
        p++;
      }
      if (p - createdAtStart !== 8) return -1;
      if (date !== this.knownDate) {
        const year = Math.floor(date / 10000);
        if (!isRealDate(year, Math.floor(date / 100) % 100, date % 100)) return -1;
        this.knownDate = date;
      }

      if (!pairAt(view, p, limit, LISTINGS)) return -1;
      p += LISTINGS.length;
      h1 = Math.imul(h1 ^ (KEY_TOKEN + 4), FINGERPRINT_MUL_1);
      h2 = Math.imul(h2 ^ (KEY_TOKEN + 4), FINGERPRINT_MUL_2);
      let listings = 0;
      const listingsStart = p;
      while (p < limit) {
        c = bytes[p] as number;
        if (c < ZERO || c > NINE) break;
        listings = listings * 10 + (c - ZERO);
        h1 = Math.imul(h1 ^ c, FINGERPRINT_MUL_1);
        h2 = Math.imul(h2 ^ c, FINGERPRINT_MUL_2);
        p++;
      }
      if (p === listingsStart || p - listingsStart > 10 || listings > INT32_MAX) return -1;

      if (!pairAt(view, p, limit, TYPE)) return -1;
      p += TYPE.length;
      h1 = Math.imul(h1 ^ (KEY_TOKEN + 5), FINGERPRINT_MUL_1);
      h2 = Math.imul(h2 ^ (KEY_TOKEN + 5), FINGERPRINT_MUL_2);
      const typeStart = p;
      while (p < limit) {
        c = bytes[p] as number;
        if (c === BACKSLASH) break;
        // Printable ASCII only, and nothing a CSV or JSON writer would have to escape.
        if (c < 0x20 || c > 0x7e || c === COMMA || c === QUOTE) return -1;
        h1 = Math.imul(h1 ^ c, FINGERPRINT_MUL_1);
        h2 = Math.imul(h2 ^ c, FINGERPRINT_MUL_2);
        p++;
      }
      const typeEnd = p;
      if (typeEnd - typeStart > TYPE_MAX_BYTES) return -1;
      // The terminator `\n` (a separator here would mean a seventh field).
      if (p + 1 >= limit || bytes[p + 1] !== LETTER_N) return -1;
      p += 2;

      if (enabled === 1 && clicks >= 3) {
        const v = this.validCount;
        if (v === this.seq.length) this.grow();
        this.seq[v] = n;
        this.idStart[v] = idStart;
        this.idEnd[v] = idEnd;
        this.clicks[v] = clicks;
        this.createdAtStart[v] = createdAtStart;
        this.listings[v] = listings;
        this.typeStart[v] = typeStart;
        this.typeEnd[v] = typeEnd;
        const bucket = bucketOf(bytes, typeStart, typeEnd - typeStart);
        this.bucket[v] = bucket;
        if (bucket === RENTAL) this.rental++;
        else if (bucket === SALE) this.sale++;
        else this.none++;
        this.listingsSum += listings;
        this.validCount = v + 1;
      }
    }
    this.fingerprint = finishFingerprint(h1, h2);
    return p;
  }

  private grow(): void {
    const twice = <T extends Int32Array | Uint8Array>(a: T): T => {
      const grown = new (a.constructor as new (length: number) => T)(a.length * 2);
      grown.set(a);
      return grown;
    };
    this.seq = twice(this.seq);
    this.idStart = twice(this.idStart);
    this.idEnd = twice(this.idEnd);
    this.clicks = twice(this.clicks);
    this.createdAtStart = twice(this.createdAtStart);
    this.listings = twice(this.listings);
    this.typeStart = twice(this.typeStart);
    this.typeEnd = twice(this.typeEnd);
    this.bucket = twice(this.bucket);
  }
}
