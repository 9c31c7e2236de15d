/**
 * Comparing and copying ASCII bytes 8 at a time, as float64 words through DataViews: the fast
 * lane's way to handle the fixed texts of the grammar and of the output rows without a loop per
 * byte or a native call per copy.
 *
 * Safe because the bytes are ASCII (every byte below 0x80, none of them NUL): such a word has a
 * sign bit of 0 and an exponent of at most 0x7F7, so it is never NaN, infinite, zero or subnormal,
 * and float equality, loads and stores are bit-exact. Callers only use these on bytes they have
 * checked to be ASCII without NUL (or, for comparisons, against ASCII text: a non-ASCII word simply
 * does not compare equal).
 */

/** A fixed ASCII text (at least 8 bytes) as float64 words; a last partial word overlaps the one before. */
export class AsciiWords {
  readonly words: Float64Array;
  /** Where each word starts in the text. */
  readonly offsets: Int32Array;
  readonly length: number;

  constructor(text: string) {
    const codes = Array.from({ length: text.length }, (_, i) => text.charCodeAt(i));
    if (codes.length < 8 || codes.some((c) => c === 0 || c > 0x7f)) {
      throw new Error(`not 8 or more ASCII characters: ${text}`);
    }
    const bytes = Uint8Array.from(codes);
    this.length = bytes.length;
    const view = new DataView(bytes.buffer);
    const offsets: number[] = [];
    for (let at = 0; at + 8 <= this.length; at += 8) offsets.push(at);
    if (this.length % 8 !== 0) offsets.push(this.length - 8);
    this.offsets = Int32Array.from(offsets);
    this.words = Float64Array.from(offsets, (at) => view.getFloat64(at, true));
  }
}

/** A fixed ASCII text of 9 to 16 bytes: exactly two words, unrolled (the grammar's separators). */
export class AsciiPair {
  readonly length: number;
  readonly first: number;
  readonly secondAt: number;
  readonly second: number;

  constructor(text: string) {
    const words = new AsciiWords(text);
    if (words.words.length !== 2) throw new Error(`not 9 to 16 bytes: ${text}`);
    this.length = words.length;
    this.first = words.words[0] as number;
    this.secondAt = words.offsets[1] as number;
    this.second = words.words[1] as number;
  }
}

/** True when view[at, limit) starts with the text. */
export function pairAt(view: DataView, at: number, limit: number, text: AsciiPair): boolean {
  return (
    at + text.length <= limit &&
    view.getFloat64(at, true) === text.first &&
    view.getFloat64(at + text.secondAt, true) === text.second
  );
}

/** Writes the text at `at`; returns the position after it. */
export function putWords(view: DataView, at: number, text: AsciiWords): number {
  const words = text.words;
  const offsets = text.offsets;
  for (let i = 0; i < words.length; i++)
    view.setFloat64(at + (offsets[i] as number), words[i] as number, true);
  return at + text.length;
}

/**
 * Copies the ASCII bytes source[start, end) to `at` (8 at a time when there are 8 or more); returns
 * the position after them.
 */
export function copyAscii(
  target: Uint8Array,
  targetView: DataView,
  at: number,
  source: Uint8Array,
  sourceView: DataView,
  start: number,
  end: number,
): number {
  const length = end - start;
  if (length < 8) {
    for (let i = start; i < end; i++) target[at++] = source[i] as number;
    return at;
  }
  let i = 0;
  for (; i + 8 <= length; i += 8) targetView.setFloat64(at + i, sourceView.getFloat64(start + i, true), true);
  if (i < length) targetView.setFloat64(at + length - 8, sourceView.getFloat64(end - 8, true), true);
  return at + length;
}
