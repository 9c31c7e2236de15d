import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { unzipSync } from 'fflate';

import { main } from '../../local/cli/main';
import { dayCsvPieces, generateDayCsv, generateRange, zipDayCsv } from '../../local/runner/generate';
import { CHUNK_BYTES } from '../../local/runner/zip-stream';
import { captureIo } from './capture-io';

/** Users enough for a CSV of several deflate chunks (about 160 bytes a user). */
const USERS = 30_000;
const DAY = '2021-07-07';
const SEED = 9;

describe('streaming sample data generator', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'gen-stream-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  test('a streamed zip day is byte-identical to zipping the in-memory CSV of the same seed', async () => {
    const csv = generateDayCsv(DAY, SEED, USERS);
    expect(csv.length).toBeGreaterThan(3 * CHUNK_BYTES);
    const [day] = await generateRange({ from: DAY, to: DAY, outDir: dir, seed: SEED, usersPerDay: USERS });
    const streamed = await readFile(day?.file ?? '');
    expect(Buffer.compare(streamed, Buffer.from(zipDayCsv(DAY, csv)))).toBe(0);
    const entries = unzipSync(streamed);
    expect(Buffer.from(entries['session_user_data20210707.csv'] ?? []).toString('latin1')).toBe(csv);
  });

  test('the csv and csv.gz formats hold exactly the in-memory CSV, and the counts are the rows', async () => {
    const csv = generateDayCsv(DAY, SEED, USERS);
    const options = { from: DAY, to: DAY, outDir: dir, seed: SEED, usersPerDay: USERS };
    const [plain] = await generateRange({ ...options, format: 'csv' });
    const [gzipped] = await generateRange({ ...options, format: 'csv.gz' });
    expect(path.basename(plain?.file ?? '')).toBe('session_user_data20210707.csv');
    expect(path.basename(gzipped?.file ?? '')).toBe('session_user_data20210707.csv.gz');
    expect(await readFile(plain?.file ?? '', 'latin1')).toBe(csv);
    expect(gunzipSync(await readFile(gzipped?.file ?? '')).toString('latin1')).toBe(csv);
    expect(plain?.users).toBe(csv.trimEnd().split('\n').length - 1);
    expect(plain?.searches).toBe(csv.split('--\\\\n-:').length - 1);
    expect(gzipped?.users).toBe(plain?.users);
  });

  test('rows are produced as they are asked for: a billion-user day yields its first piece at once', () => {
    const started = Date.now();
    const first = dayCsvPieces(DAY, SEED, 1_000_000_000).next();
    expect(first.done).toBe(false);
    expect(first.value?.startsWith('user_id,user_data\n')).toBe(true);
    expect(first.value?.length).toBeLessThan(2 * CHUNK_BYTES);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  test('generate --format csv.gz writes the gzipped CSV; an unknown format is a usage error', async () => {
    const out = path.join(dir, 'cli');
    const argv = ['generate', '--out', out, '--from', DAY, '--to', DAY, '--users', '50', '--seed', '3'];
    expect(await main([...argv, '--format', 'csv.gz'], captureIo())).toBe(0);
    const csv = gunzipSync(await readFile(path.join(out, 'session_user_data20210707.csv.gz')));
    expect(csv.toString('latin1')).toBe(generateDayCsv(DAY, 3, 50));
    const io = captureIo();
    expect(await main([...argv, '--format', 'rar'], io)).toBe(2);
    expect(io.err()).toMatch(/--format: 'rar' is not one of zip, csv, csv.gz/);
  });
});
