/** The zip reader with native inflation: same bytes as fflate, errors named, early stops clean. */
import { randomBytes } from 'node:crypto';
import { Zip, ZipDeflate, zipSync } from 'fflate';
import { unzipSingleEntry } from '../../lambdas/cleaning/unzip-entry';
import { MalformedInput } from '../../lambdas/shared/errors';

async function* chunks(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}

async function inflated(bytes: Uint8Array, size = 4096): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  for await (const part of unzipSingleEntry(chunks(bytes, size))) parts.push(part);
  return Buffer.concat(parts);
}

/** Text that compresses like a day file, with some incompressible noise. */
const sample = (bytes: number): Buffer =>
  Buffer.concat(
    Array.from({ length: Math.ceil(bytes / 1100) }, (_, i) =>
      Buffer.concat([
        Buffer.from(`${i},${'--\\\\n-:search_id:1\\\\n:enabled:True'.repeat(30)}\n`),
        randomBytes(16),
      ]),
    ),
  );

function streamedZip(name: string, data: Uint8Array): Uint8Array {
  const parts: Uint8Array[] = [];
  const zip = new Zip((error, chunk) => {
    if (error) throw error;
    parts.push(chunk);
  });
  const entry = new ZipDeflate(name, { level: 6 });
  zip.add(entry);
  entry.push(data, true);
  zip.end();
  return Buffer.concat(parts);
}

/**
 * The archive in `size`-byte chunks, counting what the reader pulls. `closed` resolves when the
 * source is finished with: 'read to the end', or 'stopped early' when the reader returned it first.
 */
function trackedSource(
  bytes: Uint8Array,
  size: number,
): {
  chunks: AsyncGenerator<Uint8Array>;
  pulled: () => number;
  closed: Promise<'read to the end' | 'stopped early'>;
} {
  let pulled = 0;
  let close!: (how: 'read to the end' | 'stopped early') => void;
  const closed = new Promise<'read to the end' | 'stopped early'>((resolve) => (close = resolve));
  async function* read(): AsyncGenerator<Uint8Array> {
    let atEnd = false;
    try {
      for (let at = 0; at < bytes.length; at += size) {
        pulled++;
        yield bytes.subarray(at, at + size);
      }
      atEnd = true;
    } finally {
      close(atEnd ? 'read to the end' : 'stopped early');
    }
  }
  return { chunks: read(), pulled: () => pulled, closed };
}

describe('unzipSingleEntry', () => {
  const data = sample(3 * 1024 * 1024);

  test('inflates a deflated entry, sized or streamed, in any chunking', async () => {
    expect((await inflated(zipSync({ 'day.csv': data }), 65536)).equals(data)).toBe(true);
    expect((await inflated(streamedZip('day.csv', data), 1000)).equals(data)).toBe(true);
  });

  test('passes a stored entry through', async () => {
    expect((await inflated(zipSync({ 'day.csv': [data, { level: 0 }] }))).equals(data)).toBe(true);
  });

  test('an empty entry is empty, not truncated', async () => {
    expect((await inflated(zipSync({ 'day.csv': new Uint8Array(0) }))).length).toBe(0);
  });

  test('corrupt deflate data is MalformedInput naming the entry', async () => {
    const archive = Buffer.from(zipSync({ 'day.csv': data }));
    archive[30 + 'day.csv'.length] = 0b111; // the first deflate block: final, of the invalid type 3
    await expect(inflated(archive)).rejects.toThrow(MalformedInput);
    await expect(inflated(archive)).rejects.toThrow(/^zip archive entry day\.csv cannot be read/);
  });

  test('a reader that stops early stops the archive being read', async () => {
    const archive = zipSync({ 'day.csv': data });
    const source = trackedSource(archive, 1024);

    for await (const part of unzipSingleEntry(source.chunks)) {
      void part;
      break;
    }

    // Deterministic: `closed` settles only once the source can yield nothing more.
    await expect(source.closed).resolves.toBe('stopped early');
    expect(source.pulled()).toBeLessThan(Math.ceil(archive.length / 1024));
  }, 10_000);
});
