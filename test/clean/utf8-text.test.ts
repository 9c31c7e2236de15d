/** Invalid UTF-8 is named by its line and byte, whatever the chunking and wherever decoding starts. */
import { decodeUtf8Text } from '../../lambdas/cleaning/utf8-text';
import { firstInvalidUtf8 } from '../../lambdas/cleaning/utf8-error';
import { MalformedInput } from '../../lambdas/shared/errors';

async function* chunks(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}

async function failure(bytes: Uint8Array, size: number, line?: number): Promise<unknown> {
  try {
    for await (const text of decodeUtf8Text(chunks(bytes, size), { line })) void text;
  } catch (error) {
    return error;
  }
  return undefined;
}

// "é" and "€" before the bad byte, so a chunk may end inside a character just before it.
const file = (bad: number[]): Buffer =>
  Buffer.concat([Buffer.from('user_id,user_data\n1,é\n\n2,x€'), Buffer.from(bad), Buffer.from('y\n3,z\n')]);

describe('decoding the CSV as UTF-8', () => {
  test.each([
    ['a stray continuation byte', [0x80]],
    ['a lead byte without its continuation', [0xe2, 0x28]],
    ['an overlong form', [0xc0, 0xaf]],
    ['an encoded surrogate', [0xed, 0xa0, 0x80]],
  ])('%s is MalformedInput naming line 4 and the byte, in any chunking', async (_name, bad) => {
    const bytes = file(bad);
    const at = bytes.indexOf('€') + 3 + (bad[0] === 0xe2 || bad[0] === 0xed ? 1 : 0);
    for (let size = 1; size <= bytes.length; size++) {
      const error = await failure(bytes, size);
      expect(error).toBeInstanceOf(MalformedInput);
      expect((error as Error).message).toBe(`not UTF-8 text: invalid byte sequence at line 4 (byte ${at})`);
    }
  });

  test('a file that ends inside a character names its last line', async () => {
    const bytes = Buffer.concat([Buffer.from('user_id,user_data\n1,x\n2,'), Buffer.from([0xe2, 0x82])]);
    expect(((await failure(bytes, 5)) as Error).message).toBe(
      `not UTF-8 text: invalid byte sequence at line 3 (byte ${bytes.length - 2})`,
    );
  });

  test('counts lines from where the caller says the bytes start', async () => {
    expect(((await failure(file([0x80]), 7, 10)) as Error).message).toMatch(/ at line 13 /);
  });

  test('the locator agrees with TextDecoder on what is valid', () => {
    const decoder = new TextDecoder('utf-8', { fatal: true });
    for (let a = 0x80; a <= 0xff; a++) {
      for (const b of [0x00, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0]) {
        const bytes = new Uint8Array([a, b, 0x80, 0x80]);
        const valid = (() => {
          try {
            decoder.decode(bytes);
            return true;
          } catch {
            return false;
          }
        })();
        expect([a, b, firstInvalidUtf8(bytes) === bytes.length]).toEqual([a, b, valid]);
      }
    }
  });
});
