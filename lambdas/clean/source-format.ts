/** What the day's object holds, told from its first bytes rather than its name. */
export type SourceFormat = 'zip' | 'gzip' | 'csv';

/** Bytes needed to tell the formats apart. */
export const SIGNATURE_BYTES = 4;

/**
 * `PK\x03\x04` (a local file header) or `PK\x05\x06` (the end record of an empty archive) -> zip;
 * `\x1f\x8b` -> gzip; anything else is read as CSV text (and fails later if it is not UTF-8 text).
 */
export function detectFormat(head: Uint8Array): SourceFormat {
  if (
    head[0] === 0x50 &&
    head[1] === 0x4b &&
    ((head[2] === 3 && head[3] === 4) || (head[2] === 5 && head[3] === 6))
  ) {
    return 'zip';
  }
  if (head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  return 'csv';
}
