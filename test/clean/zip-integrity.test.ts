/** Every byte of a real zip is covered: a changed byte fails the read or changes nothing read. */
import { Zip, ZipDeflate, ZipPassThrough, zipSync } from 'fflate';
import { unzipSingleEntry } from '../../lambdas/cleaning/unzip-entry';
import { AmbiguousInput, MalformedInput } from '../../lambdas/shared/errors';

async function* chunks(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}

async function read(bytes: Uint8Array, chunkSize = 64): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  for await (const part of unzipSingleEntry(chunks(bytes, chunkSize))) parts.push(part);
  return Buffer.concat(parts);
}

/** A streamed zip: sizes and CRC-32 in a data descriptor after the data (general purpose bit 3). */
function streamedZip(name: string, data: Uint8Array, stored: boolean): Uint8Array {
  const parts: Uint8Array[] = [];
  const zip = new Zip((error, chunk) => {
    if (error) throw error;
    parts.push(chunk);
  });
  const entry = stored ? new ZipPassThrough(name) : new ZipDeflate(name, { level: 6 });
  zip.add(entry);
  entry.push(data, true);
  zip.end();
  return Buffer.concat(parts);
}

const csv = Buffer.from(
  'user_id,user_data\n' +
    '1,-\\n-:search_id:1\\n:enabled:True\\n:clicks:3\\n:created_at:2021-07-01\\n:listings:[1]\\n:type:rental\\n\n' +
    '2,-\\n-:search_id:2\\n:enabled:False\\n:clicks:9\\n:created_at:2021-07-01\\n:listings:[]\\n:type:sale\\n\n',
);

const archives: Record<string, Uint8Array> = {
  stored: zipSync({ 'day.csv': [csv, { level: 0 }] }),
  deflated: zipSync({ 'day.csv': [csv, { level: 6 }] }),
  'stored, streamed': streamedZip('day.csv', csv, true),
  'deflated, streamed': streamedZip('day.csv', csv, false),
};

describe('a zip entry is checked against its CRC-32, sizes and central directory', () => {
  test.each(Object.entries(archives))('%s: the untouched archive reads back the CSV', async (_, archive) => {
    expect((await read(archive)).equals(csv)).toBe(true);
  });

  test.each(Object.entries(archives))(
    '%s: every byte changed (flipped, or one bit) fails the read or reads the same CSV',
    async (_, archive) => {
      const altered: string[] = [];
      for (let at = 0; at < archive.length; at++) {
        for (const mask of [0xff, 0x01]) {
          const bytes = Buffer.from(archive);
          bytes[at] = (bytes[at] as number) ^ mask;
          const outcome = await read(bytes).then(
            (out) => (out.equals(csv) ? 'same' : 'altered'),
            (error: unknown) => {
              if (error instanceof MalformedInput || error instanceof AmbiguousInput) return 'failed';
              throw error;
            },
          );
          if (outcome === 'altered') altered.push(`byte ${at} ^ 0x${mask.toString(16)}`);
        }
      }
      expect(altered).toEqual([]);
    },
  );

  test('a stored zip with one digit changed fails naming the CRC-32, expected and actual', async () => {
    const bytes = Buffer.from(archives.stored as Uint8Array);
    const at = bytes.indexOf(':clicks:9');
    bytes[at + ':clicks:'.length] = '8'.charCodeAt(0);
    const failure = read(bytes);
    await expect(failure).rejects.toThrow(MalformedInput);
    await expect(failure).rejects.toThrow(
      /^zip archive entry day\.csv CRC-32 check failed: expected 0x[0-9a-f]{8}, actual 0x[0-9a-f]{8}$/,
    );
  });

  test('a cut central directory fails as truncated', async () => {
    const archive = archives.deflated as Uint8Array;
    await expect(read(archive.subarray(0, archive.length - 30))).rejects.toThrow(
      /zip archive has no end of central directory record/,
    );
  });
});
