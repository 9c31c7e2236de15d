/**
 * `run --mode`: the same day through the CLI once on the single Clean step and once on the
 * scale-out path (Prepare -> CleanBatches -> Combine, the deployed batch size), each into its own
 * work directory, from the same synthesized definition. Both must give the same numbers and leave
 * byte-identical outputs in the embedded S3.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { main } from '../../local/cli/main';
import { dayFileName, zipDayCsv } from '../../local/runner/generate';
import { listStoredObjects } from '../../local/runner/outputs';
import { captureIo } from '../local/capture-io';
import { troubledDayCsv } from '../scale-out/troubled-day';

const DAY = '2021-07-07';
const COMPACT = DAY.replaceAll('-', '');
/** Rows enough for several batches of the deployed size (224 KiB of JSON: about 650 rows). */
const USERS = 3000;
/** The deployed `scaleOutMaxItemsPerBatch` (its default, README's context table). */
const MAX_ITEMS_PER_BATCH = 5000;

interface ModeRun {
  readonly code: number;
  readonly err: string;
  /** search_stats as `query --format csv` prints it. */
  readonly stats: string;
  /** Clean-bucket key -> bytes. */
  readonly objects: Map<string, Buffer>;
}

let root: string;
let input: string;
const runs = new Map<string, ModeRun>();

async function runMode(mode: string): Promise<ModeRun> {
  const workdir = path.join(root, `work-${mode}`);
  const io = captureIo();
  const argv = ['run', '--input', input, '--from', DAY, '--to', DAY, '--workdir', workdir];
  const code = await main([...argv, '--mode', mode, '--retry-wait-ms', '0'], io);
  const query = captureIo();
  const sql =
    'SELECT day, num_users, num_searches, num_rental_searches, num_sale_searches, num_none_searches, ' +
    'rows_read, rows_kept, rows_duplicate, rows_rejected, source_key, source_etag FROM search_stats';
  await main(['query', '--workdir', workdir, '--format', 'csv', sql], query);
  const stored = await listStoredObjects(path.join(workdir, 's3'), 'clean');
  const objects = new Map(
    await Promise.all(stored.map(async (o) => [o.key, await readFile(o.file)] as const)),
  );
  return { code, err: io.err(), stats: query.out(), objects };
}

/** Outputs are run-scoped (`valid-searches/<YYYYMMDD>/<runId>/...`): the run id differs per run. */
const RUN_SCOPED = new RegExp(`/${COMPACT}/([^/]+)/`);

/**
 * The day's outputs, with the run's id taken out of their keys and contents (a manifest names its
 * run-scoped CSV); the run records (timings, run id) and the scale-out work objects aside.
 */
const outputs = (run: ModeRun): Map<string, Buffer> => {
  const kept = [...run.objects].filter(([key]) => !key.startsWith('runs/') && !key.startsWith('scale-out/'));
  const runId = kept.map(([key]) => RUN_SCOPED.exec(key)?.[1]).find((id) => id !== undefined);
  const plain = (text: string): string =>
    runId === undefined ? text : text.split(`/${COMPACT}/${runId}/`).join('/');
  return new Map(
    kept.map(([key, bytes]) => [plain(key), Buffer.from(plain(bytes.toString('latin1')), 'latin1')]),
  );
};

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'cli-run-mode-'));
  input = path.join(root, 'input');
  await mkdir(input);
  await writeFile(path.join(input, dayFileName(DAY)), zipDayCsv(DAY, troubledDayCsv(DAY, USERS).csv));
  runs.set('single', await runMode('single'));
  runs.set('scale-out', await runMode('scale-out'));
}, 240_000); // two runs of a 3,000-user day (and a synthesis) on a busy 2-core machine
afterAll(() => rm(root, { recursive: true, force: true }));

const run = (mode: string): ModeRun => runs.get(mode) as ModeRun;

describe('search-stats run --mode', () => {
  test('both modes succeed; only scale-out runs workers, several, none over the deployed batch size', () => {
    expect([run('single').code, run('scale-out').code]).toEqual([0, 0]);
    const keys = (mode: string): string[] => [...run(mode).objects.keys()];
    expect(keys('single').filter((key) => key.startsWith('scale-out/'))).toEqual([]);
    const parts = keys('scale-out').filter((key) => key.startsWith('scale-out/') && key.includes('/parts/'));
    expect(parts.length).toBeGreaterThan(1);
    // A part is named by its batch's first item index: consecutive names are a batch apart.
    const starts = parts.map((key) => Number(/(\d+)\.part$/.exec(key)?.[1]));
    const sizes = starts.slice(1).map((start, i) => start - (starts[i] ?? 0));
    expect(Math.max(...sizes)).toBeLessThanOrEqual(MAX_ITEMS_PER_BATCH);
  });

  test('scale-out gives exactly the numbers of the single path', () => {
    const stats = run('single').stats;
    expect(stats.trimEnd().split('\r\n')).toHaveLength(2);
    expect(stats).toMatch(new RegExp(`^${DAY},\\d+,\\d+`, 'm'));
    expect(run('scale-out').stats).toBe(stats);
  });

  test('the cleaned dataset, valid searches and rejected rows are byte-identical S3 objects', () => {
    const single = outputs(run('single'));
    const scaled = outputs(run('scale-out'));
    expect([...single.keys()]).toEqual([
      `rejected/session_user_data${COMPACT}.rejected.csv`,
      `user-data-clean/session_user_data${COMPACT}.csv`,
      `valid-searches/valid_searches${COMPACT}.csv`,
      `valid-searches/valid_searches${COMPACT}.manifest`,
    ]);
    expect([...scaled.keys()]).toEqual([...single.keys()]);
    for (const [key, bytes] of single) {
      expect({ key, same: Buffer.compare(scaled.get(key) ?? Buffer.alloc(0), bytes) === 0 }).toEqual({
        key,
        same: true,
      });
    }
    const rejected = single.get(`rejected/session_user_data${COMPACT}.rejected.csv`)?.toString() ?? '';
    expect(rejected.trimEnd().split('\n').length).toBeGreaterThan(1);
  });

  test('an unknown mode is a usage error', async () => {
    const io = captureIo();
    const argv = ['run', '--input', input, '--from', DAY, '--to', DAY, '--mode', 'fast'];
    expect(await main(argv, io)).toBe(2);
    expect(io.err()).toMatch(/--mode: 'fast' is not one of auto, single, scale-out/);
  });
});
