/**
 * Sizes imposed by the warehouse columns (sql/schema): a value that would not fit is rejected here,
 * with a reason, instead of failing the whole day's COPY later.
 */

/** `valid_searches.user_id VARCHAR(256)`: Redshift counts VARCHAR length in UTF-8 bytes. */
export const USER_ID_MAX_BYTES = 256;

/** `valid_searches.type VARCHAR(64)`. */
export const TYPE_MAX_BYTES = 64;

/** `clicks` and `listings` load into INTEGER columns. */
export const INT32_MAX = 2_147_483_647;

/** `search_id` loads into a BIGINT column. */
export const INT64_MAX_DIGITS = '9223372036854775807';

/** UTF-8 length of a string, without Buffer (the domain has no Node dependency). */
export function utf8ByteLength(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      bytes += 4; // surrogate pair: one 4-byte code point
      i++;
    } else bytes += 3;
  }
  return bytes;
}
