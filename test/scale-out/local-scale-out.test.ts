/**
 * The scale-out path against the single-Lambda path, end to end on the local state machine (the
 * synthesized definition with the scale-out path on, threshold 0): the same day files, once with
 * `{"mode": "single"}` (forced through Clean) and once without (every day through Prepare ->
 * CleanBatches -> Combine), into the same warehouse. Both must leave the same bytes in S3 and the
 * same rows in the warehouse.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

import { synthesizePipeline, type SynthesizedPipeline } from '../../local/runner/definition';
import type { DayResult } from '../../local/runner/execute-day';
import { dayFileName, zipDayCsv } from '../../local/runner/generate';
import { classifyOutputs, listStoredObjects } from '../../local/runner/outputs';
import { withLocalPipeline, type LocalPipeline } from '../../local/runner/runner';
import { BATCH, troubledDayCsv } from './troubled-day';

const DAYS = ['2021-07-02', '2021-07-03'];
const USERS = 2000;

interface Snapshot {
  readonly result: DayResult;
  /** Output key -> text, for the day's outputs (the run record aside: it holds timings and the run id). */
  readonly files: Record<string, string>;
  readonly searchStats: Record<string, unknown>[];
  readonly validSearches: Record<string, unknown>[];
  /** Keys of the run's scale-out objects. */
  readonly scaleOutKeys: string[];
}

async function snapshot(pipeline: LocalPipeline, result: DayResult): Promise<Snapshot> {
  const compact = result.day.replaceAll('-', '');
  const objects = await listStoredObjects(pipeline.paths.s3, 'clean');
  // The day's current outputs, with this run's id (in keys and the manifest) written as RUN.
  const outputs = (await classifyOutputs(objects)).filter(
    (o) => o.state === 'current' && o.key.includes(compact) && !o.key.startsWith('runs/'),
  );
  const anonymous = (text: string): string => text.replaceAll(result.executionName, 'RUN');
  const files = Object.fromEntries(
    await Promise.all(
      outputs.map(async (o) => [anonymous(o.key), anonymous(await readFile(o.file, 'utf8'))]),
    ),
  );
  const searchStats = await pipeline.warehouse.query(
    `SELECT day, num_users, num_searches, num_rental_searches, num_sale_searches, num_none_searches,
       rows_read, rows_kept, rows_duplicate, rows_rejected, source_key, source_etag, code_version
     FROM search_stats WHERE day = $1`,
    [result.day],
  );
  const validSearches = await pipeline.warehouse.query(
    'SELECT * FROM valid_searches WHERE day = $1 ORDER BY user_id, search_seq',
    [result.day],
  );
  const scaleOutKeys = objects
    .filter((o) => o.key.startsWith(`scale-out/${result.executionName}/`))
    .map((o) => o.key);
  return { result, files, searchStats, validSearches, scaleOutKeys };
}

let root: string;
let synthesized: SynthesizedPipeline;
const single = new Map<string, Snapshot>();
const scaled = new Map<string, Snapshot>();

beforeAll(async () => {
  synthesized = synthesizePipeline({ scaleOutThresholdBytes: 0, scaleOutMaxItemsPerBatch: BATCH });
  root = await mkdtemp(path.join(os.tmpdir(), 'scale-out-e2e-'));
  const input = path.join(root, 'input');
  await mkdir(input);
  const [zipped, gzipped] = DAYS as [string, string];
  await writeFile(
    path.join(input, dayFileName(zipped)),
    zipDayCsv(zipped, troubledDayCsv(zipped, USERS).csv),
  );
  const crlf = troubledDayCsv(gzipped, USERS, { crlf: true, extraColumn: true }).csv;
  await writeFile(path.join(input, `session_user_data${gzipped.replaceAll('-', '')}.csv.gz`), gzipSync(crlf));
  await withLocalPipeline({ workdir: path.join(root, 'work'), synthesized }, async (pipeline) => {
    await pipeline.uploadInputs(input, DAYS);
    for (const result of await pipeline.runDays(DAYS, { retryIntervalMs: 0, input: { mode: 'single' } })) {
      single.set(result.day, await snapshot(pipeline, result));
    }
    for (const result of await pipeline.runDays(DAYS, { retryIntervalMs: 0 })) {
      scaled.set(result.day, await snapshot(pipeline, result));
    }
  });
}, 120_000);
afterAll(() => rm(root, { recursive: true, force: true }));

const both = (day: string): [Snapshot, Snapshot] => [
  single.get(day) as Snapshot,
  scaled.get(day) as Snapshot,
];

describe.each(DAYS)('day %s, single Lambda vs scale-out', (day) => {
  test('both runs succeed, the first through Clean only, the second through the Distributed Map', () => {
    const [a, b] = both(day);
    expect([a.result.status, b.result.status]).toEqual(['SUCCEEDED', 'SUCCEEDED']);
    expect(a.scaleOutKeys).toEqual([]);
    const parts = b.scaleOutKeys.filter((key) => key.includes('/parts/'));
    expect(parts).toHaveLength(Math.ceil((USERS + 1) / BATCH));
    expect(b.scaleOutKeys.some((key) => key.endsWith('/manifest.json'))).toBe(true);
  });

  test('the cleaned, valid-search, manifest and rejected objects are byte-identical', () => {
    const [a, b] = both(day);
    expect(Object.keys(a.files).sort()).toEqual([
      `rejected/${day.replaceAll('-', '')}/RUN/session_user_data${day.replaceAll('-', '')}.rejected.csv`,
      `user-data-clean/session_user_data${day.replaceAll('-', '')}.csv`,
      `valid-searches/${day.replaceAll('-', '')}/RUN/valid_searches${day.replaceAll('-', '')}.csv`,
      `valid-searches/${day.replaceAll('-', '')}/RUN/valid_searches${day.replaceAll('-', '')}.manifest`,
    ]);
    expect(b.files).toEqual(a.files);
  });

  test('the CleanResult has the same counts, aggregates, first rejections, outputs and source', () => {
    const [a, b] = both(day);
    const comparable = (s: Snapshot) => {
      const { counts, aggregates, firstRejections, outputs, source, format, date, codeVersion } =
        s.result.clean ?? {};
      const runScoped = JSON.parse(
        JSON.stringify(outputs ?? {}).replaceAll(s.result.executionName, 'RUN'),
      ) as unknown;
      return { counts, aggregates, firstRejections, outputs: runScoped, source, format, date, codeVersion };
    };
    expect(comparable(b)).toEqual(comparable(a));
  });

  test('the warehouse holds the same search_stats row and valid searches', () => {
    const [a, b] = both(day);
    expect(a.searchStats).toHaveLength(1);
    expect(b.searchStats).toEqual(a.searchStats);
    expect(b.validSearches).toEqual(a.validSearches);
  });

  test('the injected trouble is counted once each: 4 duplicates, 11 rejections, 6 of them duplicate_user_id', () => {
    const [, b] = both(day);
    expect(b.result.clean?.counts).toMatchObject({ read: USERS + 1, duplicate: 4, rejected: 11 });
    const rejected = Object.entries(b.files).find(([key]) => key.startsWith('rejected/'))?.[1] ?? '';
    expect(rejected.split('\n').filter((line) => /^\d+,duplicate_user_id,/.test(line))).toHaveLength(6);
  });
});
