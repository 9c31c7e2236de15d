/**
 * Where UTF-8 goes wrong, for the error message only (decoding itself is TextDecoder's): the index
 * of the first byte that cannot be part of well-formed UTF-8 as TextDecoder's `fatal` mode defines it
 * (Unicode Table 3-7: no overlong forms, no surrogates, nothing above U+10FFFF), or `bytes.length`
 * when the bytes end inside a character. Pure.
 */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i] as number;
    if (b < 0x80) {
      i++;
      continue;
    }
    let length: number;
    let low = 0x80;
    let high = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) length = 2;
    else if (b >= 0xe0 && b <= 0xef) {
      length = 3;
      if (b === 0xe0) low = 0xa0;
      if (b === 0xed) high = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      length = 4;
      if (b === 0xf0) low = 0x90;
      if (b === 0xf4) high = 0x8f;
    } else return i;
    for (let k = 1; k < length; k++) {
      if (i + k >= bytes.length) return bytes.length;
      const c = bytes[i + k] as number;
      if (c < (k === 1 ? low : 0x80) || c > (k === 1 ? high : 0xbf)) return i + k;
    }
    i += length;
  }
  return bytes.length;
}

/** The bytes at the end of `bytes` that start a character not complete yet (0 to 3 of them). */
export function incompleteTail(bytes: Uint8Array): number {
  for (let back = 1; back <= Math.min(3, bytes.length); back++) {
    const b = bytes[bytes.length - back] as number;
    if (b < 0x80) return 0;
    if (b >= 0xc0) {
      const length = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2;
      return length > back ? back : 0;
    }
  }
  return 0;
}
