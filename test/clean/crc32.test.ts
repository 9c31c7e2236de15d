/** The table-driven CRC-32 (used where Node lacks zlib.crc32) agrees with the standard and zlib. */
import { randomBytes } from 'node:crypto';
import * as zlib from 'node:zlib';
import { crc32, tableCrc32 } from '../../lambdas/cleaning/crc32';

describe('CRC-32', () => {
  test('gives the standard check value for "123456789"', () => {
    expect(tableCrc32(Buffer.from('123456789'), 0)).toBe(0xcbf43926);
    expect(crc32(Buffer.from('123456789'), 0)).toBe(0xcbf43926);
  });

  test('continues across chunks of any length exactly as over the whole', () => {
    const data = randomBytes(10_007);
    const whole = tableCrc32(data, 0);
    for (const size of [1, 3, 7, 8, 9, 64, 4096]) {
      let crc = 0;
      for (let at = 0; at < data.length; at += size) crc = tableCrc32(data.subarray(at, at + size), crc);
      expect(crc).toBe(whole);
    }
    expect(whole).toBe(zlib.crc32(data));
  });
});
