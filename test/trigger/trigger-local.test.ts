/**
 * From event to loaded day, locally, through the synthesized state machine: the Trigger decides
 * on real EventBridge event shapes and lists the embedded S3; each StartExecution it makes is run
 * by the local runner with the same input (Step Functions' name rule, a name starts once, is kept
 * by the mocked client). A scheduled run without its file fails once; the late arrival starts the
 * run; a duplicate event starts nothing; a second run of a loaded version loads nothing; a corrected file replaces the day; a stale version's run ends
 * Superseded.
 */
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { Logger } from '@aws-lambda-powertools/logger';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { ExecutionAlreadyExists, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { parseTriggerEvent } from '../../lambdas/trigger/trigger-events';
import { triggerStart } from '../../lambdas/trigger/trigger-start';
import { findSourceObject } from '../../lambdas/validate/find-source';
import { synthesizePipeline } from '../../local/runner/definition';
import type { DayResult } from '../../local/runner/execute-day';
import { dayFileName } from '../../local/runner/generate';
import { openLocalPipeline, type LocalPipeline } from '../../local/runner/runner';
import { generatedInput } from '../e2e/fixtures';

const DAY = '2021-07-02';
const ARN = 'arn:aws:states:us-east-1:111122223333:stateMachine:Daily';
const sfnMock = mockClient(SFNClient);
const logger = new Logger({ serviceName: 'trigger-local', logLevel: 'SILENT' });

let root: string;
let input: string;
let pipeline: LocalPipeline;
const names = new Set<string>();
let pending: { name: string; input: Record<string, unknown> }[] = [];

beforeAll(async () => {
  ({ root, input } = await generatedInput());
  pipeline = await openLocalPipeline({ workdir: path.join(root, 'work'), synthesized: synthesizePipeline() });
  sfnMock.on(StartExecutionCommand).callsFake((request: { name: string; input: string }) => {
    if (names.has(request.name)) {
      throw new ExecutionAlreadyExists({
        message: `Execution Already Exists: '${request.name}'`,
        $metadata: {},
      });
    }
    names.add(request.name);
    pending.push({ name: request.name, input: JSON.parse(request.input) as Record<string, unknown> });
    return { executionArn: `${ARN}:${request.name}`, startDate: new Date() };
  });
}, 120_000);
afterAll(async () => {
  await pipeline?.close();
  sfnMock.restore();
  await rm(root, { recursive: true, force: true });
});

const trigger = (event: unknown) =>
  triggerStart(
    {
      s3: pipeline.s3.client,
      sfn: new SFNClient({ region: 'us-east-1' }),
      logger,
      config: {
        incomingBucket: pipeline.config.incomingBucket,
        incomingPrefix: pipeline.config.incomingPrefix,
        stateMachineArn: ARN,
      },
    },
    parseTriggerEvent(event),
  );

/** Runs what the Trigger started since the last call, through the local state machine. */
async function runStarted(): Promise<DayResult[]> {
  const started = pending;
  pending = [];
  const results: DayResult[] = [];
  for (const { input: executionInput } of started) {
    const [result] = await pipeline.runDays([executionInput['date'] as string], {
      input: executionInput,
      retryIntervalMs: 0,
    });
    if (result) results.push(result);
  }
  return results;
}

const currentFile = () =>
  findSourceObject(
    pipeline.s3.client,
    pipeline.config.incomingBucket,
    pipeline.config.incomingPrefix,
    '20210702',
  );
const loadedDay = async () =>
  (await pipeline.warehouse.query(
    `SELECT num_searches, source_etag, run_id, loaded_at FROM search_stats WHERE day = '${DAY}'`,
  )) as { num_searches: number; source_etag: string; run_id: string; loaded_at: string }[];

const objectCreated = (key: string, etag: string, time: string) => ({
  version: '0',
  id: 'b3bd7ba9-2d9c-4e36-9f2d-ae6c3c2a9bb2',
  'detail-type': 'Object Created',
  source: 'aws.s3',
  account: '111122223333',
  time,
  region: 'us-east-1',
  resources: [`arn:aws:s3:::${pipeline.config.incomingBucket}`],
  detail: {
    version: '0',
    bucket: { name: pipeline.config.incomingBucket },
    object: { key, size: 1, etag, sequencer: '00617F08299329D189' },
    'request-id': 'N4N7GDK58NMKJ12R',
    requester: '111122223333',
    reason: 'PutObject',
  },
});
const scheduled = (time: string) => ({
  version: '0',
  id: '89d1a02d-5ec7-412e-82f5-13505f849b41',
  'detail-type': 'Scheduled Event',
  source: 'aws.events',
  account: '111122223333',
  time,
  region: 'us-east-1',
  resources: [ARN.replace(':states:', ':events:').replace('stateMachine:Daily', 'rule/Daily')],
  detail: {},
});

test('schedule, late duplicate, reload of a loaded version, corrected file, stale run', async () => {
  // The schedule finds no file yet: a scheduled run, which fails once with InputNotArrived.
  await trigger(scheduled('2021-07-03T00:30:00Z'));
  const [missing] = await runStarted();
  expect(missing).toMatchObject({
    status: 'FAILED',
    retries: 0,
    failure: { step: 'Validate', error: 'InputNotArrived' },
  });
  expect(missing?.notifications).toHaveLength(1);

  // The file arrives late: its arrival starts the day's run, which loads it.
  await pipeline.uploadInputs(input, [DAY]);
  const first = await currentFile();
  await expect(trigger(objectCreated(first.key, first.etag, '2021-07-03T09:00:00Z'))).resolves.toMatchObject({
    outcome: 'started',
    name: `day-20210702-${first.etag}`,
  });
  const [arrived] = await runStarted();
  expect(arrived).toMatchObject({ status: 'SUCCEEDED', load: { searchStatsRows: 1 } });
  const [loaded] = await loadedDay();
  expect(loaded?.source_etag).toBe(first.etag);

  // The same event again: Step Functions refuses the name, nothing runs.
  await expect(trigger(objectCreated(first.key, first.etag, '2021-07-03T09:00:00Z'))).resolves.toMatchObject({
    outcome: 'alreadyStarted',
  });
  expect(pending).toEqual([]);

  // The same version started again once its name is forgotten (Step Functions keeps a name 90 days;
  // or the day was loaded by a manual run of another name): Load skips it.
  names.clear();
  await trigger(objectCreated(first.key, first.etag, '2021-07-04T09:00:00Z'));
  const [again] = await runStarted();
  expect(again).toMatchObject({
    status: 'SUCCEEDED',
    load: { skipped: 'AlreadyLoaded', searchStatsRows: 0 },
  });
  expect(await loadedDay()).toEqual([loaded]);

  // A corrected file (other content under the same key): its own run replaces the day.
  const other = await readFile(path.join(input, dayFileName('2021-07-03')));
  await pipeline.s3.client.send(
    new PutObjectCommand({ Bucket: pipeline.config.incomingBucket, Key: first.key, Body: other }),
  );
  const corrected = await currentFile();
  expect(corrected.etag).not.toBe(first.etag);
  await trigger(objectCreated(corrected.key, corrected.etag, '2021-07-20T09:00:00Z'));
  const [replaced] = await runStarted();
  expect(replaced).toMatchObject({ status: 'SUCCEEDED', load: { searchStatsRows: 1 } });
  const [now] = await loadedDay();
  expect(now?.source_etag).toBe(corrected.etag);
  expect(now?.num_searches).not.toBe(loaded?.num_searches);

  // A late start of the first version (its event delivered after the correction): Superseded, nothing loaded.
  names.clear();
  await trigger(objectCreated(first.key, first.etag, '2021-07-20T09:05:00Z'));
  const [stale] = await runStarted();
  expect(stale).toMatchObject({ status: 'SUCCEEDED' });
  expect(stale?.load).toBeUndefined();
  expect(stale?.notifications).toEqual([]);
  expect(await loadedDay()).toEqual([now]);
}, 300_000);
