import { isRealDate } from './calendar';
import { INT32_MAX, INT64_MAX_DIGITS, TYPE_MAX_BYTES, utf8ByteLength } from './limits';

/**
 * Typing of one field value, read in place from `text[start, end)` so the parser allocates no
 * string for values it only needs as numbers or booleans. Each returns INVALID (-1) when the value
 * is not acceptable.
 */

export const INVALID = -1;
const ZERO = 48;

function isDigitRange(text: string, start: number, end: number): boolean {
  if (start >= end) return false;
  for (let i = start; i < end; i++) {
    const code = text.charCodeAt(i);
    if (code < ZERO || code > ZERO + 9) return false;
  }
  return true;
}

/**
 * `search_id`: an integer >= 0 that fits BIGINT, kept as written (leading zeros included).
 * Decision: a sign, spaces or a decimal point make it invalid.
 */
export function searchIdAt(text: string, start: number, end: number): string | undefined {
  const length = end - start;
  if (length > INT64_MAX_DIGITS.length || !isDigitRange(text, start, end)) return undefined;
  const value = text.slice(start, end);
  return length === INT64_MAX_DIGITS.length && value > INT64_MAX_DIGITS ? undefined : value;
}

/** `clicks`, `listings`: an integer >= 0 that fits INTEGER. Decision: no sign, no spaces, no exponent. */
export function countAt(text: string, start: number, end: number): number {
  if (start >= end || end - start > 10) return INVALID;
  let value = 0;
  for (let i = start; i < end; i++) {
    const digit = text.charCodeAt(i) - ZERO;
    if (digit < 0 || digit > 9) return INVALID;
    value = value * 10 + digit;
  }
  return value <= INT32_MAX ? value : INVALID;
}

const lower = (text: string, i: number): number => text.charCodeAt(i) | 0x20; // ASCII letters only

/** `enabled`: `True`/`False` in any case -> 1/0. Decision: anything else (1, yes, empty) is invalid. */
export function enabledAt(text: string, s: number, end: number): number {
  const length = end - s;
  if (length === 4) {
    return lower(text, s) === 116 &&
      lower(text, s + 1) === 114 &&
      lower(text, s + 2) === 117 &&
      lower(text, s + 3) === 101
      ? 1
      : INVALID;
  }
  if (length === 5) {
    return lower(text, s) === 102 &&
      lower(text, s + 1) === 97 &&
      lower(text, s + 2) === 108 &&
      lower(text, s + 3) === 115 &&
      lower(text, s + 4) === 101
      ? 0
      : INVALID;
  }
  return INVALID;
}

const numberAt = (text: string, start: number, end: number): number => {
  let value = 0;
  for (let i = start; i < end; i++) value = value * 10 + text.charCodeAt(i) - ZERO;
  return value;
};

/** `created_at`: `YYYYMMDD`, a real calendar date. Decision: present but empty is invalid. */
export function createdAtAt(text: string, start: number, end: number): string | undefined {
  if (end - start !== 8 || !isDigitRange(text, start, end)) return undefined;
  const ok = isRealDate(
    numberAt(text, start, start + 4),
    numberAt(text, start + 4, start + 6),
    numberAt(text, start + 6, end),
  );
  return ok ? text.slice(start, end) : undefined;
}

/** `type`: any text that fits the warehouse column (empty included). */
export function typeAt(text: string, start: number, end: number): string | undefined {
  const value = text.slice(start, end);
  // A UTF-16 code unit is at most 3 UTF-8 bytes: short values need no byte count.
  if (value.length > TYPE_MAX_BYTES / 3 && utf8ByteLength(value) > TYPE_MAX_BYTES) return undefined;
  return value;
}
