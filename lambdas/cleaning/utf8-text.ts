import { MalformedInput } from '../shared/errors';
import { firstInvalidUtf8, incompleteTail } from './utf8-error';

export interface DecodeOptions {
  /** Where the bytes start in the file (for error messages). @default 0 */
  readonly offset?: number;
  /** False when the bytes continue a file: a U+FEFF there is text, not a BOM. @default true */
  readonly atStart?: boolean;
  /** The physical line the bytes start on, at a line's start (for error messages). @default 1 */
  readonly line?: number;
}

const LF = 10;

function lineFeeds(bytes: Uint8Array, end = bytes.length): number {
  let count = 0;
  for (let at = bytes.indexOf(LF); at !== -1 && at < end; at = bytes.indexOf(LF, at + 1)) count++;
  return count;
}

/**
 * Decodes the CSV bytes as UTF-8, streaming, and drops a leading BOM. Invalid UTF-8 (named by its
 * physical line, counted by line feeds, and byte) or a NUL character (binary data that happens to
 * decode) is MalformedInput: the file is not CSV text.
 */
export async function* decodeUtf8Text(
  bytes: AsyncIterable<Uint8Array>,
  options: DecodeOptions = {},
): AsyncGenerator<string> {
  // ignoreBOM false strips a leading BOM.
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: options.atStart === false });
  let offset = options.offset ?? 0;
  let line = options.line ?? 1;
  /** The bytes the decoder holds back: a character the last chunk ended inside of. */
  let carry: Uint8Array = new Uint8Array(0);
  const decode = (chunk?: Uint8Array): string => {
    let text: string;
    try {
      text = chunk ? decoder.decode(chunk, { stream: true }) : decoder.decode();
    } catch (error) {
      // Locate the first bad byte from the character the previous chunk left open.
      const bytes = Buffer.concat([carry, chunk ?? new Uint8Array(0)]);
      const bad = chunk ? firstInvalidUtf8(bytes) : 0;
      throw new MalformedInput(
        `not UTF-8 text: invalid byte sequence at line ${line + lineFeeds(bytes, bad)} ` +
          `(byte ${offset - carry.length + bad})`,
        { cause: error },
      );
    }
    const nul = text.indexOf('\0');
    if (nul !== -1)
      throw new MalformedInput(`not CSV text: binary data (a NUL byte) near byte ${offset + nul}`);
    if (chunk) {
      offset += chunk.length;
      line += lineFeeds(chunk);
      const joined = carry.length === 0 ? chunk : Buffer.concat([carry, chunk]);
      carry = joined.subarray(joined.length - incompleteTail(joined));
    }
    return text;
  };
  for await (const chunk of bytes) {
    const text = decode(chunk);
    if (text !== '') yield text;
  }
  const rest = decode();
  if (rest !== '') yield rest;
}
