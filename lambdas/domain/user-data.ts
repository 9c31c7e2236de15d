import {
  finishFingerprint,
  FINGERPRINT_MUL_1,
  FINGERPRINT_MUL_2,
  FINGERPRINT_SEED_1,
  FINGERPRINT_SEED_2,
  KEY_TOKEN,
  SEARCH_TOKEN,
} from './fingerprint';
import type { Rejection, RejectReason } from './reasons';
import type { Search } from './search';
import { countAt, createdAtAt, enabledAt, INVALID, searchIdAt, typeAt } from './search-values';

/**
 * Parser for a user's `user_data` (contract §1), the hot path of the clean step: one left-to-right scan
 * with indexOf/startsWith, values typed in place, no regular expressions, no splitting, no strings
 * allocated except the ones a Search keeps.
 *
 *     search    := '--\\n-:' field ( '\\n:' field )* '\n'      (every backslash is a literal one)
 *     field     := key ':' value
 *
 * A value runs to the next backslash, which must open a separator (`\\n:`) or the terminator (`\n`).
 * Decisions where the contract is silent:
 * - keys may come in any order;
 * - an unknown key rejects the line: it means upstream changed the format, and silently dropping
 *   data we do not understand would hide that (the rejected share then fails the day loudly);
 * - a key twice in one search rejects the line (which value would be right is unknowable);
 * - `search_id`, `enabled`, `clicks` and `listings` are required; `created_at` and `type` optional;
 * - a value cannot contain a backslash (it would be ambiguous with the separators), a colon is fine;
 * - the empty user_data is a user with zero searches (valid, just nothing to count);
 * - when a search has several problems, the first reported is: grammar, then missing keys (in the contract
 *   key order), then invalid values (same order).
 *
 * The clean step reads most lines with the byte parser of `user-data-bytes.ts` (the common layout
 * only); this one reads the rest and is the reference the other is tested against.
 */

const SEARCH_START = '--\\\\n-:';
const BACKSLASH = 92;
const LETTER_N = 110;
const COLON = 58;

const KEYS = ['search_id', 'enabled', 'clicks', 'created_at', 'listings', 'type'] as const;
const SEARCH_ID = 0;
const ENABLED = 1;
const CLICKS = 2;
const CREATED_AT = 3;
const LISTINGS = 4;
const TYPE = 5;

/** Which known key `text[start, end)` is, or -1; compared in place. */
function keyAt(text: string, start: number, end: number): number {
  const length = end - start;
  switch (text.charCodeAt(start)) {
    case 115: // s
      return length === 9 && text.startsWith('search_id', start) ? SEARCH_ID : -1;
    case 101: // e
      return length === 7 && text.startsWith('enabled', start) ? ENABLED : -1;
    case 99: // c
      if (length === 6) return text.startsWith('clicks', start) ? CLICKS : -1;
      return length === 10 && text.startsWith('created_at', start) ? CREATED_AT : -1;
    case 108: // l
      return length === 8 && text.startsWith('listings', start) ? LISTINGS : -1;
    case 116: // t
      return length === 4 && text.startsWith('type', start) ? TYPE : -1;
    default:
      return -1;
  }
}

export type UserDataParse =
  { readonly ok: true; readonly searches: readonly Search[] } | ({ readonly ok: false } & Rejection);

function fail(reason: RejectReason, detail: string): UserDataParse {
  return { ok: false, reason, detail };
}

function shorten(text: string, max = 40): string {
  return text.length <= max ? text : `${text.slice(0, max)}...`;
}

// Value bounds of the current search: starts[k] = -1 while key k has not been seen. Shared scratch
// space (parsing is synchronous, so calls never interleave): no allocation per call.
const starts = new Int32Array(KEYS.length);
const ends = new Int32Array(KEYS.length);
const REQUIRED = [SEARCH_ID, ENABLED, CLICKS, LISTINGS] as const;

let lastFingerprint = 0;

/** The fingerprint (see fingerprint.ts) of the last user_data that `parseUserData` accepted. */
export function parsedFingerprint(): number {
  return lastFingerprint;
}

export function parseUserData(text: string): UserDataParse {
  const searches: Search[] = [];
  const end = text.length;
  let pos = 0;
  let h1 = FINGERPRINT_SEED_1;
  let h2 = FINGERPRINT_SEED_2;
  while (pos < end) {
    const n = searches.length + 1;
    if (!text.startsWith(SEARCH_START, pos)) {
      return fail('invalid_search_start', `search ${n} does not start with "--\\\\n-:" at char ${pos + 1}`);
    }
    pos += SEARCH_START.length;
    h1 = Math.imul(h1 ^ SEARCH_TOKEN, FINGERPRINT_MUL_1);
    h2 = Math.imul(h2 ^ SEARCH_TOKEN, FINGERPRINT_MUL_2);
    starts[0] = starts[1] = starts[2] = starts[3] = starts[4] = starts[5] = -1;
    for (;;) {
      const backslash = text.indexOf('\\', pos);
      if (backslash === -1 || backslash === end - 1) {
        return fail('missing_terminator', `search ${n} is not terminated by "\\n"`);
      }
      const colon = text.indexOf(':', pos);
      if (colon === -1 || colon >= backslash || colon === pos) {
        return fail(
          'malformed_field',
          `search ${n}: field "${shorten(text.slice(pos, backslash))}" is not key:value`,
        );
      }
      const key = keyAt(text, pos, colon);
      if (key === -1)
        return fail('unknown_key', `search ${n}: unknown key "${shorten(text.slice(pos, colon))}"`);
      if (starts[key] !== -1) return fail('duplicate_key', `search ${n}: key "${KEYS[key]}" appears twice`);
      starts[key] = colon + 1;
      ends[key] = backslash;
      h1 = Math.imul(h1 ^ (KEY_TOKEN + key), FINGERPRINT_MUL_1);
      h2 = Math.imul(h2 ^ (KEY_TOKEN + key), FINGERPRINT_MUL_2);
      for (let i = colon + 1; i < backslash; i++) {
        const code = text.charCodeAt(i);
        h1 = Math.imul(h1 ^ code, FINGERPRINT_MUL_1);
        h2 = Math.imul(h2 ^ code, FINGERPRINT_MUL_2);
      }

      const next = text.charCodeAt(backslash + 1);
      if (next === LETTER_N) {
        pos = backslash + 2; // terminator
        break;
      }
      if (
        next === BACKSLASH &&
        text.charCodeAt(backslash + 2) === LETTER_N &&
        text.charCodeAt(backslash + 3) === COLON
      ) {
        pos = backslash + 4; // separator
        continue;
      }
      return fail(
        'invalid_separator',
        `search ${n}: backslash at char ${backslash + 1} is not "\\\\n:" or "\\n"`,
      );
    }
    const search = typeSearch(text, n);
    if (!('searchId' in search)) return search;
    searches.push(search);
  }
  lastFingerprint = finishFingerprint(h1, h2);
  return { ok: true, searches };
}

const quoted = (text: string, key: number): string => `"${shorten(text.slice(starts[key], ends[key]))}"`;

function typeSearch(text: string, n: number): Search | UserDataParse {
  for (const key of REQUIRED) {
    if (starts[key] === -1) return fail(`missing_${KEYS[key]}`, `search ${n} has no ${KEYS[key]}`);
  }
  const searchId = searchIdAt(text, starts[SEARCH_ID] as number, ends[SEARCH_ID] as number);
  if (searchId === undefined) {
    return fail(
      'invalid_search_id',
      `search ${n}: search_id ${quoted(text, SEARCH_ID)} is not an integer >= 0 that fits BIGINT`,
    );
  }
  const enabled = enabledAt(text, starts[ENABLED] as number, ends[ENABLED] as number);
  if (enabled === INVALID)
    return fail('invalid_enabled', `search ${n}: enabled ${quoted(text, ENABLED)} is not True or False`);
  const clicks = countAt(text, starts[CLICKS] as number, ends[CLICKS] as number);
  if (clicks === INVALID) {
    return fail(
      'invalid_clicks',
      `search ${n}: clicks ${quoted(text, CLICKS)} is not an integer in 0..2147483647`,
    );
  }
  const listings = countAt(text, starts[LISTINGS] as number, ends[LISTINGS] as number);
  if (listings === INVALID) {
    return fail(
      'invalid_listings',
      `search ${n}: listings ${quoted(text, LISTINGS)} is not an integer in 0..2147483647`,
    );
  }
  let createdAt: string | null = null;
  if (starts[CREATED_AT] !== -1) {
    const parsed = createdAtAt(text, starts[CREATED_AT] as number, ends[CREATED_AT] as number);
    if (parsed === undefined) {
      return fail(
        'invalid_created_at',
        `search ${n}: created_at ${quoted(text, CREATED_AT)} is not a YYYYMMDD date`,
      );
    }
    createdAt = parsed;
  }
  let type: string | null = null;
  if (starts[TYPE] !== -1) {
    const parsed = typeAt(text, starts[TYPE] as number, ends[TYPE] as number);
    if (parsed === undefined) return fail('invalid_type', `search ${n}: type is longer than 64 bytes`);
    // A BOM would make "\uFEFFRental" a type of its own, bucketed none: refused, not stripped.
    if (parsed.includes('\uFEFF'))
      return fail('invalid_type', `search ${n}: type holds U+FEFF (a byte order mark)`);
    type = parsed;
  }
  return { searchId, enabled: enabled === 1, clicks, createdAt, listings, type };
}
