/**
 * The scale-out steps' core functions (Prepare, the workers through the local Distributed Map,
 * Combine) against the embedded S3, side by side with the single path's cleanDay on the same
 * files: edge cases the end-to-end test does not reach, without synthesizing the stack.
 */
import { gzipSync } from 'node:zlib';
import { Logger } from '@aws-lambda-powertools/logger';
import { strToU8, zipSync } from 'fflate';
import { cleanDay } from '../../lambdas/cleaning/clean-day';
import { outputKeys } from '../../lambdas/cleaning/output-keys';
import { cleanBatchStep } from '../../lambdas/cleaning/scale-out/clean-batch';
import { combineDay } from '../../lambdas/cleaning/scale-out/combine-day';
import { prepareDay } from '../../lambdas/cleaning/scale-out/prepare-day';
import { SPILL_CHARS } from '../../lambdas/cleaning/scale-out/staging-format';
import { parseBatchEvent, parseCombineInput } from '../../lambdas/cleaning/scale-out/scale-out-payloads';
import type { PipelineConfig } from '../../lambdas/shared/function-env';
import type { CleanResult, ValidatedDay } from '../../lambdas/shared/step-payloads';
import { validateDay } from '../../lambdas/validate/validate-day';
import { distributedMapHandler } from '../../local/runner/distributed-map';
import type { AslState } from '../../local/runner/resolve-template';
import { lambdaBoundary } from '../../local/runner/tasks';
import { listTestKeys, putTestObject, readTestObject, startTestS3, type TestS3 } from '../support/s3';

const config: PipelineConfig = {
  incomingBucket: 'incoming',
  incomingPrefix: 'user-data/',
  cleanBucket: 'clean',
  cleanPrefix: 'user-data-clean/',
  rejectedThreshold: 1,
  codeVersion: 'test',
  // Tests use consecutive days of very different sizes: only the no-rows rule applies unless a test sets these.
  volumeMinShare: 0,
  volumeLookbackDays: 0,
};
const logger = new Logger({ serviceName: 'scale-out-test', logLevel: 'SILENT' });

/** The daily machine's Map, as synthesized (lib/workflow/scale-out-path.ts), with small batches. */
const MAP: AslState = {
  Type: 'Map',
  ItemReader: {
    Resource: 'arn:aws:states:::s3:getObject',
    ReaderConfig: { InputType: 'CSV', CSVHeaderLocation: 'FIRST_ROW' },
    Parameters: { 'Bucket.$': '$.prepared.staging.bucket', 'Key.$': '$.prepared.staging.key' },
  },
  ItemSelector: { 'index.$': '$$.Map.Item.Index', 'row.$': '$$.Map.Item.Value' },
  ItemBatcher: {
    MaxItemsPerBatch: 2,
    MaxInputBytesPerBatch: 229376,
    BatchInput: {
      'date.$': '$.day.date',
      'runId.$': '$.day.runId',
      'partsPrefix.$': '$.prepared.partsPrefix',
    },
  },
  ItemProcessor: {
    ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'EXPRESS' },
    StartAt: 'CleanBatch',
    States: {
      CleanBatch: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:0:function:CleanBatch', End: true },
    },
  },
  ResultWriter: {
    Resource: 'arn:aws:states:::s3:putObject',
    Parameters: { 'Bucket.$': '$.prepared.staging.bucket', 'Prefix.$': '$.prepared.resultsPrefix' },
    WriterConfig: { OutputType: 'JSON', Transformation: 'COMPACT' },
  },
};

const S = (id: number, clicks: number): string =>
  `--\\\\n-:search_id:${id}\\\\n:enabled:True\\\\n:clicks:${clicks}\\\\n:created_at:20210702\\\\n:listings:3\\\\n:type:Rental\\n`;
const FILE = [
  'user_id,user_data',
  `1,${S(1, 3)}`,
  `2,${S(2, 4)}`,
  `1,${S(1, 3)}`,
  `2,${S(9, 9)}`,
  `3,${S(3, 1)}`,
  '',
].join('\n');

let s3: TestS3;
let dayNumber = 0;
beforeAll(async () => {
  s3 = await startTestS3(['incoming', 'clean']);
});
afterAll(() => s3.close());

async function putDay(body: string | Uint8Array, ext = '.csv'): Promise<ValidatedDay> {
  dayNumber++;
  const date = new Date(Date.UTC(2022, 0, dayNumber)).toISOString().slice(0, 10);
  await putTestObject(
    s3.client,
    'incoming',
    `user-data/session_user_data${date.replaceAll('-', '')}${ext}`,
    body,
  );
  return validateDay({ s3: s3.client, config, logger }, { date, runId: `run-${dayNumber}` });
}

interface Run {
  readonly result?: CleanResult;
  readonly error?: unknown;
  readonly files: Record<string, string | undefined>;
}

async function outputsOf(day: ValidatedDay): Promise<Record<string, string | undefined>> {
  const keys = outputKeys(config, day.compactDate, day.runId);
  const read = async (key: string) => (await readTestObject(s3.client, 'clean', key))?.toString('utf8');
  return {
    cleaned: await read(keys.cleaned),
    validSearches: await read(keys.validSearches),
    manifest: await read(keys.validSearchesManifest),
    rejected: await read(keys.rejected),
  };
}

async function attempt(day: ValidatedDay, fn: () => Promise<CleanResult>): Promise<Run> {
  try {
    const result = await fn();
    return { result, files: await outputsOf(day) };
  } catch (error) {
    return { error, files: await outputsOf(day) };
  }
}

function single(day: ValidatedDay, overrides: Partial<PipelineConfig> = {}): Promise<Run> {
  return attempt(day, () => cleanDay({ s3: s3.client, config: { ...config, ...overrides }, logger }, day));
}

function scaledOut(day: ValidatedDay, overrides: Partial<PipelineConfig> = {}): Promise<Run> {
  const deps = { s3: s3.client, config: { ...config, ...overrides }, logger };
  return attempt(day, async () => {
    const prepared = await prepareDay(deps, day);
    const worker = lambdaBoundary((batch) => cleanBatchStep(deps, parseBatchEvent(batch)));
    const map = await distributedMapHandler('CleanBatches', MAP, {
      s3: s3.client,
      handlers: { CleanBatch: worker },
    })({
      day,
      prepared,
    });
    return combineDay(deps, parseCombineInput({ day, prepared, map }));
  });
}

const essentials = (run: Run) => ({
  files: run.files,
  counts: run.result?.counts,
  aggregates: run.result?.aggregates,
  firstRejections: run.result?.firstRejections,
  format: run.result?.format,
  source: run.result?.source,
  error:
    run.error === undefined
      ? undefined
      : { name: (run.error as Error).name, message: (run.error as Error).message },
});

/**
 * Backslashes where the Step Functions CSV reader would drop them or read them as escapes (`\,`,
 * `\\`, `\q`): in user_ids, in every user_data (its separators) and in a rejected line's raw.
 */
const BACKSLASHES = [
  'user_id,user_data',
  `u\\1,${S(1, 3)}`,
  `"u\\,3\\\\",${S(3, 4)}`,
  `u\\2,${S(2, 5).replace(':type:Rental', ':type:\\q')}`,
  '',
].join('\n');

/** The odd values of docs/data-contract-decisions.md, one per line, between two good users. */
const ODD_VALUES = [
  'user_id,user_data',
  `1,${S(1, 3)}`,
  `   ,${S(2, 3)}`,
  `\uFEFF1,${S(1, 3)}`,
  `3,${S(3, 3).replace(':type:Rental', ':type:\uFEFFRental')}`,
  `4,${S(4, 3)}\r5,${S(5, 3)}`,
  `6,${S(6, 3)}`,
  '',
].join('\n');

describe('the scale-out steps, next to the single path', () => {
  test.each([
    ['a plain CSV', () => putDay(FILE)],
    ['a gzip file', () => putDay(gzipSync(FILE), '.csv.gz')],
    ['a zip file', () => putDay(zipSync({ 'export.csv': strToU8(FILE) }), '.zip')],
  ])('%s gives the same outputs and result', async (_name, put) => {
    const day = await put();
    const a = await single(day);
    const b = await scaledOut(day);
    expect(b.result?.counts).toEqual({ read: 5, kept: 3, duplicate: 1, rejected: 1 });
    expect(essentials(b)).toEqual(essentials(a));
  });

  test('backslashes in user_id and user_data reach the workers unchanged: same outputs and result', async () => {
    const day = await putDay(BACKSLASHES);
    const a = await single(day);
    const b = await scaledOut(day);
    expect(a.result?.counts).toEqual({ read: 3, kept: 2, duplicate: 0, rejected: 1 });
    expect(a.files.cleaned).toContain('\nu\\1,--\\\\n-:search_id:1');
    expect(a.files.cleaned).toContain('\n"u\\,3\\\\",--');
    expect(a.files.rejected).toContain(':type:\\q\\n');
    expect(essentials(b)).toEqual(essentials(a));
  });

  test('odd values (blank user_id, U+FEFF in user_id or type, a lone CR) are rejected alike on both paths', async () => {
    const day = await putDay(ODD_VALUES);
    const a = await single(day);
    const b = await scaledOut(day);
    expect(a.result?.counts).toEqual({ read: 6, kept: 2, duplicate: 0, rejected: 4 });
    expect(a.result?.firstRejections.map((r) => [r.line, r.reason])).toEqual([
      [3, 'blank_user_id'],
      [4, 'invalid_user_id'],
      [5, 'invalid_type'],
      [6, 'lone_carriage_return'],
    ]);
    expect(essentials(b)).toEqual(essentials(a));
  });

  test('a file with a header and no record gives the same empty outputs (a Map Run of no batch)', async () => {
    // No row kept: the volume guard would fail both paths alike; the input allows it here.
    const day = { ...(await putDay('user_id,user_data\n')), allowVolumeDrop: true };
    const a = await single(day);
    const b = await scaledOut(day);
    expect(b.result?.counts).toEqual({ read: 0, kept: 0, duplicate: 0, rejected: 0 });
    expect(essentials(b)).toEqual(essentials(a));
  });

  test('Prepare writes one staging line per record, numbered as in the day file, under the run prefix', async () => {
    const day = await putDay('id,user_data,source\r\n\r\n7,"a,b",web\r\n8,x\r\n');
    const prepared = await prepareDay({ s3: s3.client, config, logger }, day);
    expect(prepared.staging).toMatchObject({
      bucket: 'clean',
      key: `scale-out/${day.runId}/staging.csv`,
      rows: 2,
    });
    expect(String(await readTestObject(s3.client, 'clean', prepared.staging.key))).toBe(
      'line,user_id,user_data,reason,detail,raw,spill\n' +
        `3,7,a%2Cb,,,7%2C%22a%2Cb%22%2Cweb,\n` +
        `4,,,wrong_column_count,2 fields%2C the header has 3,8%2Cx,\n`,
    );
  });

  test.each([
    ['an empty file', () => putDay('')],
    ['a header without user_data', () => putDay('user_id,data\n1,x\n')],
    [
      'a zip with two entries',
      () => putDay(zipSync({ 'a.csv': strToU8(FILE), 'b.csv': strToU8(FILE) }), '.zip'),
    ],
    ['bytes that are not UTF-8', () => putDay(new Uint8Array([0x75, 0x73, 0xff, 0xfe, 0x0a]))],
  ])('%s fails in Prepare with the error of the single path, before any worker', async (_name, put) => {
    const day = await put();
    const a = await single(day);
    const b = await scaledOut(day);
    expect(b.error).toBeDefined();
    expect(essentials(b).error).toEqual(essentials(a).error);
    expect(await listTestKeys(s3.client, 'clean', `scale-out/${day.runId}/parts/`)).toEqual([]);
  });

  test('over the rejected threshold, fails as the single path does and leaves only the rejected rows', async () => {
    const day = await putDay(FILE);
    const a = await single(day, { rejectedThreshold: 0 });
    const b = await scaledOut(day, { rejectedThreshold: 0 });
    expect((b.error as Error).name).toBe('TooManyRejectedRows');
    expect(essentials(b)).toEqual(essentials(a));
    expect(b.files.cleaned).toBeUndefined();
    expect(b.files.rejected).toContain('duplicate_user_id');
  });

  test('a good run, then a re-run over the threshold, both through Combine: the good run stays current, the failed one is kept under its run id', async () => {
    const good = await putDay(FILE);
    const first = await scaledOut(good);
    expect(first.error).toBeUndefined();
    const current = async () => ({
      cleaned: await readTestObject(
        s3.client,
        'clean',
        `user-data-clean/session_user_data${good.compactDate}.csv`,
      ),
      record: await readTestObject(s3.client, 'clean', `runs/session_user_data${good.compactDate}.json`),
    });
    const before = await current();
    const rerun = { ...good, runId: `${good.runId}-rerun` };
    const second = await scaledOut(rerun, { rejectedThreshold: 0 });
    expect((second.error as Error).name).toBe('TooManyRejectedRows');
    expect(await current()).toEqual(before);
    expect(JSON.parse(before.record?.toString('utf8') ?? '')).toMatchObject({ runId: good.runId });
    expect(second.files.rejected).toContain('duplicate_user_id');
    expect(await listTestKeys(s3.client, 'clean', `rejected/${good.compactDate}/`)).toEqual(
      [
        `rejected/${good.compactDate}/${good.runId}/session_user_data${good.compactDate}.rejected.csv`,
        `rejected/${good.compactDate}/${rerun.runId}/session_user_data${good.compactDate}.rejected.csv`,
      ].sort(),
    );
    const failedRecord = await readTestObject(
      s3.client,
      'clean',
      `runs/${good.compactDate}/${rerun.runId}.json`,
    );
    expect(JSON.parse(failedRecord?.toString('utf8') ?? '')).toMatchObject({
      status: 'failed',
      error: { name: 'TooManyRejectedRows' },
    });
  });

  test('a header-only day fails the volume guard in Combine as in the single path', async () => {
    const day = await putDay('user_id,user_data\n');
    const a = await single(day);
    const b = await scaledOut(day);
    expect((b.error as Error).name).toBe('SuspiciousVolume');
    expect(essentials(b)).toEqual(essentials(a));
  });

  test('a record too long for a Map item is spilled to its own object and cleaned all the same', async () => {
    const long = Array.from({ length: Math.ceil(SPILL_CHARS / 100) + 10 }, (_, i) => S(i, 3)).join('');
    const day = await putDay(`user_id,user_data\n1,${S(1, 3)}\n2,${long}\n2,${long}\n`);
    const a = await single(day);
    const b = await scaledOut(day);
    expect(await listTestKeys(s3.client, 'clean', `scale-out/${day.runId}/spill/`)).toEqual([
      `scale-out/${day.runId}/spill/3.csv`,
      `scale-out/${day.runId}/spill/4.csv`,
    ]);
    expect(b.result?.counts).toEqual({ read: 3, kept: 2, duplicate: 1, rejected: 0 });
    expect(essentials(b)).toEqual(essentials(a));
  });

  test('Combine refuses map results that do not cover every staging row exactly once', async () => {
    const day = await putDay(FILE);
    const deps = { s3: s3.client, config, logger };
    const prepared = await prepareDay(deps, day);
    const worker = lambdaBoundary((batch) => cleanBatchStep(deps, parseBatchEvent(batch)));
    const map = (await distributedMapHandler('CleanBatches', MAP, {
      s3: s3.client,
      handlers: { CleanBatch: worker },
    })({
      day,
      prepared,
    })) as { ResultWriterDetails: { Bucket: string; Key: string } };
    const manifest = JSON.parse(
      String(await readTestObject(s3.client, 'clean', map.ResultWriterDetails.Key)),
    );
    const resultsKey = manifest.ResultFiles.SUCCEEDED[0].Key as string;
    const results = JSON.parse(String(await readTestObject(s3.client, 'clean', resultsKey))) as {
      firstIndex: number;
    }[];
    const withoutMiddle = results.filter((r) => r.firstIndex !== 2);
    await putTestObject(s3.client, 'clean', resultsKey, JSON.stringify(withoutMiddle));
    await expect(combineDay(deps, parseCombineInput({ day, prepared, map }))).rejects.toMatchObject({
      name: 'InvalidRequest',
      message:
        'map results do not tile the 5 staging rows: expected a batch at item 2, found one at 4 (1 rows)',
    });
    await putTestObject(s3.client, 'clean', resultsKey, JSON.stringify([...results, results[0]]));
    await expect(combineDay(deps, parseCombineInput({ day, prepared, map }))).rejects.toMatchObject({
      name: 'InvalidRequest',
    });
  });
});
