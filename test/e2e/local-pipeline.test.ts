import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ListMultipartUploadsCommand } from '@aws-sdk/client-s3';

import { WarehouseUnavailable, MalformedInput } from '../../lambdas/shared/errors';
import { synthesizePipeline, type SynthesizedPipeline } from '../../local/runner/definition';
import type { DayResult } from '../../local/runner/execute-day';
import { dayFileName } from '../../local/runner/generate';
import { classifyOutputs, listStoredObjects } from '../../local/runner/outputs';
import { withLocalWarehouse } from '../../local/runner/query';
import { openLocalPipeline, withLocalPipeline, type LocalPipeline } from '../../local/runner/runner';
import type { TaskInterceptor } from '../../local/runner/tasks';
import type { S3FaultHook, S3Request } from '../../local/runner/s3-faults';
import { workdirPaths } from '../../local/runner/workdir';
import { accepts, DAYS, generatedInput, inputWithout, openFilesUnder, queryRows } from './fixtures';
import { expectedStats } from './independent-counts';

const SEARCH_STATS = `SELECT day, num_users, num_searches, num_rental_searches, num_sale_searches, num_none_searches,
  rows_read, rows_kept, rows_duplicate, rows_rejected, source_key, source_etag, code_version
  FROM search_stats ORDER BY day`;
const VALID_SEARCHES = 'SELECT * FROM valid_searches ORDER BY day, user_id, search_seq';

/**
 * A hook that synthesizes or runs days through the pipeline: well under a minute on a quiet 2-core
 * machine, several on a busy one. A hook that times out leaves its pipeline running past the suite.
 */
const PIPELINE_HOOK_MS = 240_000;

let synthesized: SynthesizedPipeline;
let root: string;
let input: string;

beforeAll(async () => {
  synthesized = synthesizePipeline();
  ({ root, input } = await generatedInput());
}, PIPELINE_HOOK_MS);
afterAll(() => rm(root, { recursive: true, force: true }));

async function backfill(workdir: string, dir = input): Promise<DayResult[]> {
  return withLocalPipeline({ workdir, synthesized }, async (pipeline) => {
    await pipeline.uploadInputs(dir, DAYS);
    return pipeline.runDays(DAYS, { retryIntervalMs: 0, concurrency: 2 });
  });
}

/** Run ids (local execution names) in keys and manifests, written as RUN: two runs of a day differ by them. */
const anonymous = (text: string): string => text.replace(/\d{4}-\d{2}-\d{2}-[0-9a-f]{8}/g, 'RUN');

/**
 * What a re-run must not change: the warehouse's business columns and the days' current outputs
 * (each run also keeps its own run-scoped files, under its run id).
 */
async function snapshot(workdir: string): Promise<unknown> {
  const objects = (await classifyOutputs(await listStoredObjects(workdirPaths(workdir).s3, 'clean'))).filter(
    (o) => o.state === 'current',
  );
  const dataFiles = objects.filter((o) => !o.key.startsWith('runs/'));
  const [searchStats, validSearches] = await withLocalWarehouse({ workdir }, (w) =>
    Promise.all([w.query(SEARCH_STATS), w.query(VALID_SEARCHES)]),
  );
  return {
    searchStats,
    validSearches,
    keys: objects.map((o) => anonymous(o.key)),
    files: await Promise.all(
      dataFiles.map(async (o) => [anonymous(o.key), anonymous(await readFile(o.file, 'utf8'))]),
    ),
  };
}

describe('a local back-fill of generated days', () => {
  let workdir: string;
  let first: DayResult[];
  beforeAll(async () => {
    workdir = path.join(root, 'backfill');
    first = await backfill(workdir);
  }, PIPELINE_HOOK_MS);

  test('every day succeeds', () => {
    expect(first.map((r) => [r.day, r.status, r.failure])).toEqual(
      DAYS.map((d) => [d, 'SUCCEEDED', undefined]),
    );
  });

  test('search_stats equals the counts computed independently from the generated files', async () => {
    const rows = await queryRows(
      { workdir },
      `SELECT day, num_users, num_searches, num_rental_searches, num_sale_searches, num_none_searches
       FROM search_stats ORDER BY day`,
    );
    expect(rows).toEqual(DAYS.map((day) => ({ day, ...expectedStats(path.join(input, dayFileName(day))) })));
  });

  test('the outputs land in the clean bucket under the same keys as on AWS', async () => {
    const keys = (await listStoredObjects(workdirPaths(workdir).s3, 'clean')).map((o) => o.key);
    for (const compact of ['20210701', '20210702', '20210703']) {
      expect(keys).toContain(`user-data-clean/session_user_data${compact}.csv`);
      expect(keys).toContain(`runs/session_user_data${compact}.json`);
    }
  });

  test('running the range again leaves the warehouse and the outputs identical', async () => {
    const before = await snapshot(workdir);
    const again = await backfill(workdir);
    expect(again.every((r) => r.status === 'SUCCEEDED')).toBe(true);
    expect(await snapshot(workdir)).toEqual(before);
  });
});

describe('a day whose input file is missing', () => {
  let results: DayResult[];
  let port: number;
  let workdir: string;
  beforeAll(async () => {
    workdir = path.join(root, 'missing');
    const partial = await inputWithout(input, '2021-07-02', path.join(root, 'partial-input'));
    results = await withLocalPipeline({ workdir, synthesized }, async (pipeline) => {
      port = pipeline.s3.port;
      await pipeline.uploadInputs(partial, DAYS);
      return pipeline.runDays(DAYS, { retryIntervalMs: 0 });
    });
  }, PIPELINE_HOOK_MS);

  test('fails at Validate with InputNotFound after its 3 retries', () => {
    const failed = results.find((r) => r.day === '2021-07-02');
    expect(failed?.status).toBe('FAILED');
    expect(failed?.retries).toBe(3);
    expect(failed?.failure).toMatchObject({ step: 'Validate', error: 'InputNotFound' });
    expect(failed?.failure?.cause).toMatch(/20210702/);
  });

  test('publishes exactly one notification naming the day, the step and the reason', () => {
    const notifications = results.flatMap((r) => r.notifications);
    expect(notifications).toHaveLength(1);
    expect(notifications[0]?.message).toMatchObject({
      date: '2021-07-02',
      step: 'Validate',
      error: 'InputNotFound',
    });
    expect(JSON.stringify(notifications[0]?.message)).toContain('2021-07-02');
  });

  test('the other days still load', async () => {
    expect(results.filter((r) => r.status === 'SUCCEEDED').map((r) => r.day)).toEqual([
      '2021-07-01',
      '2021-07-03',
    ]);
    const days = await queryRows({ workdir }, 'SELECT day FROM search_stats ORDER BY day');
    expect(days).toEqual([{ day: '2021-07-01' }, { day: '2021-07-03' }]);
  });

  test('once closed, the port is released and no file under the work directory is open', async () => {
    expect(await accepts(port)).toBe(false);
    expect(await openFilesUnder(workdir)).toEqual([]);
  });
});

describe('retries and faults through the synthesized state machine', () => {
  let pipeline: LocalPipeline;
  let fault: TaskInterceptor | undefined;
  let s3Fault: S3FaultHook | undefined;
  beforeAll(async () => {
    pipeline = await openLocalPipeline({
      workdir: path.join(root, 'faults'),
      synthesized,
      intercept: (step, stepInput, next) => (fault ? fault(step, stepInput, next) : next(stepInput)),
      s3Faults: (request) => s3Fault?.(request),
    });
    await pipeline.uploadInputs(input, DAYS);
  }, PIPELINE_HOOK_MS);
  afterAll(() => pipeline.close());
  afterEach(() => {
    fault = undefined;
    s3Fault = undefined;
  });

  const isCleanBucketWrite = (r: S3Request): boolean =>
    r.bucket === 'clean' && ['PUT', 'POST'].includes(r.method);
  const dayState = async (): Promise<unknown> => ({
    rows: await pipeline.warehouse.query(
      `${SEARCH_STATS} `.replace('ORDER BY day', "WHERE day = '2021-07-02'"),
    ),
    validSearches: await pipeline.warehouse.query(
      "SELECT count(*) AS n FROM valid_searches WHERE day = '2021-07-02'",
    ),
    outputs: await Promise.all(
      (await listStoredObjects(pipeline.paths.s3, 'clean'))
        .filter((o) => o.key.includes('20210702') && !o.key.startsWith('runs/'))
        .map(async (o) => [o.key, await readFile(o.file, 'utf8')]),
    ),
  });

  test('an S3 error while Clean writes fails that attempt; the retry succeeds with the same counts', async () => {
    let cleanAttempts = 0;
    fault = (step, stepInput, next) => {
      if (step === 'Clean') cleanAttempts++;
      return next(stepInput);
    };
    s3Fault = (r) =>
      isCleanBucketWrite(r) && cleanAttempts === 1 ? { status: 503, code: 'SlowDown' } : undefined;
    const [result] = await pipeline.runDays(['2021-07-02'], { retryIntervalMs: 0 });
    expect(result).toMatchObject({ status: 'SUCCEEDED', retries: 1 });
    expect(cleanAttempts).toBe(2);
    const [row] = await pipeline.warehouse.query(
      "SELECT num_users, num_searches, num_rental_searches, num_sale_searches, num_none_searches FROM search_stats WHERE day = '2021-07-02'",
    );
    expect(row).toEqual(expectedStats(path.join(input, dayFileName('2021-07-02'))));
  });

  test('a Clean that keeps failing to write leaves the day as it was: rows, outputs, no open upload', async () => {
    await pipeline.runDays(['2021-07-02'], { retryIntervalMs: 0 });
    const before = await dayState();
    s3Fault = (r) => (isCleanBucketWrite(r) ? {} : undefined);
    const [result] = await pipeline.runDays(['2021-07-02'], { retryIntervalMs: 0 });
    expect(result).toMatchObject({ status: 'FAILED', retries: 3, failure: { step: 'Clean' } });
    s3Fault = undefined;
    expect(await dayState()).toEqual(before);
    const uploads = await pipeline.s3.client.send(new ListMultipartUploadsCommand({ Bucket: 'clean' }));
    expect(uploads.Uploads ?? []).toEqual([]);
  });

  test('a step that fails once with a retryable error is retried and the day succeeds', async () => {
    let failures = 0;
    fault = async (step, stepInput, next) => {
      if (step === 'Load' && failures++ === 0) throw new WarehouseUnavailable('warehouse busy');
      return next(stepInput);
    };
    const [result] = await pipeline.runDays(['2021-07-01'], { retryIntervalMs: 0 });
    expect(result).toMatchObject({ status: 'SUCCEEDED', retries: 1, notifications: [] });
  });

  test('an error a retry cannot fix fails the day at once, without retries', async () => {
    fault = async (step, stepInput, next) => {
      if (step === 'Clean') throw new MalformedInput('not a CSV');
      return next(stepInput);
    };
    const [result] = await pipeline.runDays(['2021-07-03'], { retryIntervalMs: 0 });
    expect(result).toMatchObject({
      status: 'FAILED',
      retries: 0,
      failure: { step: 'Clean', error: 'MalformedInput', cause: 'not a CSV' },
    });
    expect(result?.notifications).toHaveLength(1);
  });
});

describe('the volume guard through the synthesized state machine', () => {
  const day = '2021-07-02';
  let pipeline: LocalPipeline;
  let loaded: unknown;
  beforeAll(async () => {
    pipeline = await openLocalPipeline({ workdir: path.join(root, 'volume'), synthesized });
    await pipeline.uploadInputs(input, [day]);
    await pipeline.runDays([day], { retryIntervalMs: 0 });
    loaded = await pipeline.warehouse.query(SEARCH_STATS);
    const empty = path.join(root, 'header-only-input');
    await mkdir(empty, { recursive: true });
    await writeFile(
      path.join(empty, `session_user_data${day.replaceAll('-', '')}.csv`),
      'user_id,user_data\n',
    );
    await pipeline.uploadInputs(empty, [day]);
  }, PIPELINE_HOOK_MS);
  afterAll(() => pipeline.close());

  test('a loaded day re-run with a header-only file fails at Clean with SuspiciousVolume, at once; the warehouse keeps its rows', async () => {
    const [result] = await pipeline.runDays([day], { retryIntervalMs: 0 });
    expect(result).toMatchObject({
      status: 'FAILED',
      retries: 0,
      failure: { step: 'Clean', error: 'SuspiciousVolume' },
    });
    expect(result?.failure?.cause).toMatch(/^2021-07-02 kept 0 rows; .*"allowVolumeDrop": true/);
    expect(await pipeline.warehouse.query(SEARCH_STATS)).toEqual(loaded);
  });

  test('the same run with "allowVolumeDrop": true in the execution input loads the day as zero rows', async () => {
    const [result] = await pipeline.runDays([day], { retryIntervalMs: 0, input: { allowVolumeDrop: true } });
    expect(result?.status).toBe('SUCCEEDED');
    expect(await pipeline.warehouse.query(SEARCH_STATS)).toEqual([
      expect.objectContaining({ day, num_users: 0, num_searches: 0, rows_read: 0 }),
    ]);
  });
});
