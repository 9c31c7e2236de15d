import { MalformedInput } from '../shared/errors';

export interface DecodeOptions {
  /** Where the bytes start in the file (for error messages). @default 0 */
  readonly offset?: number;
  /** False when the bytes continue a file: a U+FEFF there is text, not a BOM. @default true */
  readonly atStart?: boolean;
}

/**
 * Decodes the CSV bytes as UTF-8, streaming, and drops a leading BOM. Invalid UTF-8 or a NUL
 * character (binary data that happens to decode) is MalformedInput: the file is not CSV text.
 */
export async function* decodeUtf8Text(
  bytes: AsyncIterable<Uint8Array>,
  options: DecodeOptions = {},
): AsyncGenerator<string> {
  // ignoreBOM false strips a leading BOM.
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: options.atStart === false });
  let offset = options.offset ?? 0;
  const decode = (chunk?: Uint8Array): string => {
    let text: string;
    try {
      text = chunk ? decoder.decode(chunk, { stream: true }) : decoder.decode();
    } catch (error) {
      throw new MalformedInput(
        `not UTF-8 text: invalid byte sequence within bytes ${offset}..${offset + (chunk?.length ?? 0)}`,
        {
          cause: error,
        },
      );
    }
    const nul = text.indexOf('\0');
    if (nul !== -1)
      throw new MalformedInput(`not CSV text: binary data (a NUL byte) near byte ${offset + nul}`);
    offset += chunk?.length ?? 0;
    return text;
  };
  for await (const chunk of bytes) {
    const text = decode(chunk);
    if (text !== '') yield text;
  }
  const rest = decode();
  if (rest !== '') yield rest;
}
