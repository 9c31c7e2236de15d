/**
 * The fingerprint of a user_data that parsed: a 53-bit hash (cyrb53's mixing) of its token stream,
 * i.e. a start token per search, then per field a key token and the value's character codes.
 *
 * A parsed user_data is determined by that stream (the separators between tokens are fixed
 * literals, and tokens >= 0x10000 cannot be mistaken for UTF-16 code units), so two texts with
 * equal fingerprints are equal up to a 2^-53 collision, as with a hash of the whole text; but the
 * literals, about two thirds of the text, are not hashed. Both parsers compute it the same way
 * (text: per UTF-16 code unit; bytes: per byte, used on ASCII only, where a byte is its code).
 */

export const FINGERPRINT_SEED_1 = 0xdeadbeef | 0;
export const FINGERPRINT_SEED_2 = 0x41c6ce57;
export const FINGERPRINT_MUL_1 = 2654435761;
export const FINGERPRINT_MUL_2 = 1597334677;
/** Mixed at the start of each search. */
export const SEARCH_TOKEN = 0x10000;
/** Mixed before each field's value: KEY_TOKEN + the key's index in contract order. */
export const KEY_TOKEN = 0x10001;

/** The 53-bit fingerprint from the two 32-bit lanes. */
export function finishFingerprint(lane1: number, lane2: number): number {
  let h1 = Math.imul(lane1 ^ (lane1 >>> 16), 2246822507);
  h1 ^= Math.imul(lane2 ^ (lane2 >>> 13), 3266489909);
  let h2 = Math.imul(lane2 ^ (lane2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}
