/**
 * The Trigger from event to StartExecution: real EventBridge event shapes (the AWS examples'
 * fields), a real S3 (s3rver) for the schedule's listing, and a Step Functions client mocked to
 * behave as the service documents for names: a name already used answers ExecutionAlreadyExists.
 */
import '../load/silent-logs';
import { Logger } from '@aws-lambda-powertools/logger';
import { ExecutionAlreadyExists, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { InvalidRequest } from '../../lambdas/shared/errors';
import { parseTriggerEvent } from '../../lambdas/trigger/trigger-events';
import { triggerStart, type TriggerDeps } from '../../lambdas/trigger/trigger-start';
import { putTestObject, startTestS3, type TestS3 } from '../support/s3';

const ARN = 'arn:aws:states:us-east-1:111122223333:stateMachine:Daily';
const sfnMock = mockClient(SFNClient);
const logger = new Logger({ serviceName: 'trigger-test', logLevel: 'SILENT' });
let s3: TestS3;
let started: Map<string, string>;

/** An S3 "Object Created" event as EventBridge delivers it (https://docs.aws.amazon.com/AmazonS3/latest/userguide/ev-events.html). */
const objectCreated = (key: string, etag: string, time: string, bucket = 'incoming') => ({
  version: '0',
  id: '17793124-05d4-b198-2fde-7ededc63b103',
  'detail-type': 'Object Created',
  source: 'aws.s3',
  account: '111122223333',
  time,
  region: 'us-east-1',
  resources: [`arn:aws:s3:::${bucket}`],
  detail: {
    version: '0',
    bucket: { name: bucket },
    object: { key, size: 5, etag, sequencer: '00617F08299329D189' },
    'request-id': 'N4N7GDK58NMKJ12R',
    requester: '123456789012',
    'source-ip-address': '1.2.3.4',
    reason: 'PutObject',
  },
});
/** What a scheduled EventBridge rule sends its target (a cron rule's "Scheduled Event"). */
const scheduled = (time: string) => ({
  version: '0',
  id: '89d1a02d-5ec7-412e-82f5-13505f849b41',
  'detail-type': 'Scheduled Event',
  source: 'aws.events',
  account: '111122223333',
  time,
  region: 'us-east-1',
  resources: ['arn:aws:events:us-east-1:111122223333:rule/Daily'],
  detail: {},
});

const deps = (): TriggerDeps => ({
  s3: s3.client,
  sfn: new SFNClient({ region: 'us-east-1' }),
  logger,
  config: { incomingBucket: 'incoming', incomingPrefix: 'user-data/', stateMachineArn: ARN },
});
const trigger = (event: unknown) => triggerStart(deps(), parseTriggerEvent(event));

beforeAll(async () => {
  s3 = await startTestS3(['incoming']);
});
afterAll(() => s3.close());

beforeEach(() => {
  sfnMock.reset();
  started = new Map();
  // Step Functions keeps a name for 90 days: a second start of a closed execution's name fails.
  sfnMock.on(StartExecutionCommand).callsFake((input: { name: string; input: string }) => {
    if (started.has(input.name)) {
      throw new ExecutionAlreadyExists({
        message: `Execution Already Exists: '${input.name}'`,
        $metadata: {},
      });
    }
    started.set(input.name, input.input);
    return { executionArn: `${ARN}:${input.name}`, startDate: new Date() };
  });
});

const calls = () => sfnMock.commandCalls(StartExecutionCommand).map((c) => c.args[0].input);

describe('an Object Created event', () => {
  const key = 'user-data/session_user_data20210702.zip';
  const etag = 'b1946ac92492d2347c6235b4d2611184';

  test('a day file after its day starts the day, named for day and ETag, with the canonical input', async () => {
    await expect(trigger(objectCreated(key, etag, '2021-07-03T09:00:00Z'))).resolves.toEqual({
      outcome: 'started',
      date: '2021-07-02',
      name: `day-20210702-${etag}`,
    });
    expect(calls()).toEqual([
      {
        stateMachineArn: ARN,
        name: `day-20210702-${etag}`,
        input: JSON.stringify({ date: '2021-07-02', source: { key, etag }, skipIfLoaded: true }),
      },
    ]);
  });

  test('the same event twice starts one execution: the second is told it already exists', async () => {
    const event = objectCreated(key, etag, '2021-07-03T09:00:00Z');
    await trigger(event);
    await expect(trigger(event)).resolves.toEqual({
      outcome: 'alreadyStarted',
      date: '2021-07-02',
      name: `day-20210702-${etag}`,
    });
    expect(started.size).toBe(1);
  });

  test('a corrected file (new ETag) starts its own run', async () => {
    await trigger(objectCreated(key, etag, '2021-07-03T09:00:00Z'));
    await trigger(objectCreated(key, '0cc175b9c0f1b6a831c399e269772661', '2021-07-20T09:00:00Z'));
    expect([...started.keys()]).toEqual([
      `day-20210702-${etag}`,
      'day-20210702-0cc175b9c0f1b6a831c399e269772661',
    ]);
  });

  test('a file of a day not over is left to the schedule: nothing started', async () => {
    await expect(trigger(objectCreated(key, etag, '2021-07-02T23:00:00Z'))).resolves.toEqual({
      outcome: 'leftToSchedule',
      date: '2021-07-02',
    });
    expect(calls()).toEqual([]);
  });

  test.each([
    ['not a day file', 'user-data/readme.txt', 'incoming'],
    ['not the incoming bucket', key, 'elsewhere'],
  ])('%s: ignored, nothing started', async (reason, other, bucket) => {
    await expect(trigger(objectCreated(other, etag, '2021-07-03T09:00:00Z', bucket))).resolves.toEqual({
      outcome: 'ignored',
      reason,
    });
    expect(calls()).toEqual([]);
  });

  test('an event without its ETag is refused, naming the field', () => {
    const event = objectCreated(key, etag, '2021-07-03T09:00:00Z');
    const object: Record<string, unknown> = { ...event.detail.object };
    delete object['etag'];
    const parse = () => parseTriggerEvent({ ...event, detail: { ...event.detail, object } });
    expect(parse).toThrow(InvalidRequest);
    expect(parse).toThrow('detail.object.etag is missing (it must be a non-empty string)');
  });
});

describe('the Scheduled Event', () => {
  test('one file for the previous day: the same name and input its arrival would use (one run for both)', async () => {
    const key = 'user-data/session_user_data20210705.csv';
    await putTestObject(s3.client, 'incoming', key, 'user_id,user_data\n');
    const listed = await trigger(scheduled('2021-07-06T00:30:00Z'));
    expect(listed).toMatchObject({ outcome: 'started', date: '2021-07-05' });
    const [first] = calls();
    const etag = first?.name?.replace('day-20210705-', '') ?? '';
    expect(etag).toMatch(/^[0-9a-f]{32}$/);

    // The arrival event of that version, delivered late: the same request, refused as a duplicate.
    await expect(trigger(objectCreated(key, etag, '2021-07-06T00:31:00Z'))).resolves.toMatchObject({
      outcome: 'alreadyStarted',
    });
    const [a, b] = calls();
    expect(b).toEqual(a);
    expect(started.size).toBe(1);
  });

  test.each([
    ['no file', []],
    ['two files', ['user-data/session_user_data20210708.zip', 'user-data/session_user_data20210708.csv']],
  ])('%s: a scheduled run, so Validate fails it once', async (_name, keys) => {
    const day = keys.length === 0 ? '2021-07-07' : '2021-07-08';
    for (const k of keys) await putTestObject(s3.client, 'incoming', k, 'x');
    const next = new Date(Date.parse(`${day}T00:30:00Z`) + 86_400_000).toISOString();
    await trigger(scheduled(next));
    const compact = day.replaceAll('-', '');
    expect(calls()).toEqual([
      {
        stateMachineArn: ARN,
        name: `day-${compact}-scheduled`,
        input: JSON.stringify({ date: day, scheduled: true }),
      },
    ]);
  });
});
