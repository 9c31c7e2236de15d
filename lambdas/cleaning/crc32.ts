import * as zlib from 'node:zlib';

/** CRC-32 (ISO-HDLC, the zip and gzip checksum) of `bytes`, continuing from `crc` (0 to start). */
export type Crc32 = (bytes: Uint8Array, crc: number) => number;

/** The IEEE 802.3 polynomial, reflected. */
const POLYNOMIAL = 0xedb88320;

/** Slicing-by-8 tables: TABLES[k][b] is the CRC of byte b followed by k zero bytes. */
const TABLES: readonly Int32Array[] = (() => {
  const tables = Array.from({ length: 8 }, () => new Int32Array(256));
  const first = tables[0] as Int32Array;
  for (let b = 0; b < 256; b++) {
    let c = b;
    for (let k = 0; k < 8; k++) c = c & 1 ? POLYNOMIAL ^ (c >>> 1) : c >>> 1;
    first[b] = c;
  }
  for (let b = 0; b < 256; b++) {
    let c = first[b] as number;
    for (let k = 1; k < 8; k++) {
      c = (first[c & 0xff] as number) ^ (c >>> 8);
      (tables[k] as Int32Array)[b] = c;
    }
  }
  return tables;
})();

/**
 * Table-driven CRC-32 (slicing-by-8, ~1 GB/s in V8): the fallback where `zlib.crc32` is missing
 * (Node < 20.15 / < 22.2; it was added by nodejs/node#52692, https://github.com/nodejs/node/pull/52692).
 */
export const tableCrc32: Crc32 = (bytes, crc) => {
  const [t0, t1, t2, t3, t4, t5, t6, t7] = TABLES as [
    Int32Array,
    Int32Array,
    Int32Array,
    Int32Array,
    Int32Array,
    Int32Array,
    Int32Array,
    Int32Array,
  ];
  let c = ~crc;
  let i = 0;
  const fast = bytes.length - (bytes.length % 8);
  for (; i < fast; i += 8) {
    const a =
      c ^
      ((bytes[i] as number) |
        ((bytes[i + 1] as number) << 8) |
        ((bytes[i + 2] as number) << 16) |
        ((bytes[i + 3] as number) << 24));
    c =
      (t7[a & 0xff] as number) ^
      (t6[(a >>> 8) & 0xff] as number) ^
      (t5[(a >>> 16) & 0xff] as number) ^
      (t4[a >>> 24] as number) ^
      (t3[bytes[i + 4] as number] as number) ^
      (t2[bytes[i + 5] as number] as number) ^
      (t1[bytes[i + 6] as number] as number) ^
      (t0[bytes[i + 7] as number] as number);
  }
  for (; i < bytes.length; i++) c = (t0[(c ^ (bytes[i] as number)) & 0xff] as number) ^ (c >>> 8);
  return ~c >>> 0;
};

/** Node's native CRC-32 (zlib's, SIMD where the CPU has it) when this Node has it. */
const native = (zlib as { crc32?: (data: Uint8Array, value?: number) => number }).crc32;

export const crc32: Crc32 = native === undefined ? tableCrc32 : (bytes, crc) => native(bytes, crc);
