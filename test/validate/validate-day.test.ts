import { Logger } from '@aws-lambda-powertools/logger';
import type { PipelineConfig } from '../../lambdas/shared/function-env';
import {
  AmbiguousInput,
  InputNotArrived,
  InputNotFound,
  InvalidRequest,
  NON_RETRYABLE_ERRORS,
} from '../../lambdas/shared/errors';
import {
  parseExecutionInput,
  type SupersededDay,
  type ValidatedDay,
} from '../../lambdas/shared/step-payloads';
import { resolveDayRequest } from '../../lambdas/validate/day-request';
import { validateDay } from '../../lambdas/validate/validate-day';
import { putTestObject, startTestS3, type TestS3 } from '../support/s3';

const config: PipelineConfig = {
  incomingBucket: 'incoming',
  incomingPrefix: 'user-data/',
  cleanBucket: 'clean',
  cleanPrefix: 'user-data-clean/',
  rejectedThreshold: 0.01,
  codeVersion: 'test',
  volumeMinShare: 0.1,
  volumeLookbackDays: 7,
};
const logger = new Logger({ serviceName: 'validate-test', logLevel: 'SILENT' });
let s3: TestS3;
const validateRun = async (event: unknown): Promise<ValidatedDay | SupersededDay> =>
  validateDay({ s3: s3.client, config, logger }, parseExecutionInput(event));
/** A run that must find its day's file (not a superseded one). */
const validate = async (event: unknown): Promise<ValidatedDay> => {
  const result = await validateRun(event);
  if ('superseded' in result) throw new Error(`unexpectedly superseded: ${JSON.stringify(result)}`);
  return result;
};
/** The execution input as Validate reads it: parsed at the boundary, then resolved to a day and run id. */
const parseDayRequest = (event: unknown, newRunId?: () => string) =>
  resolveDayRequest(parseExecutionInput(event), newRunId);
const put = (key: string, body = 'user_id,user_data\n'): Promise<void> =>
  putTestObject(s3.client, 'incoming', key, body);

beforeAll(async () => {
  s3 = await startTestS3(['incoming']);
});
afterAll(() => s3.close());

describe('the day of a run', () => {
  test('a manual run names its day', () => {
    expect(parseDayRequest({ date: '2021-07-05' }, () => 'r1')).toEqual({
      date: '2021-07-05',
      compactDate: '20210705',
      runId: 'r1',
      allowVolumeDrop: false,
    });
  });

  test('a scheduled run processes the previous UTC day of its time', () => {
    expect(parseDayRequest({ time: '2021-07-06T00:30:00Z' }).date).toBe('2021-07-05');
  });

  test('a whole EventBridge event is accepted (other keys are ignored)', () => {
    const event = {
      version: '0',
      id: 'x',
      'detail-type': 'Scheduled Event',
      source: 'aws.events',
      time: '2021-07-06T00:30:00Z',
      detail: {},
    };
    expect(parseDayRequest(event).date).toBe('2021-07-05');
  });

  test('date wins over time when both are given', () => {
    expect(parseDayRequest({ date: '2021-07-02', time: '2021-07-06T00:30:00Z' }).date).toBe('2021-07-02');
  });

  test('keeps the runId the state machine passes', () => {
    expect(parseDayRequest({ date: '2021-07-05', runId: 'exec-2021-07-05_a1' }).runId).toBe(
      'exec-2021-07-05_a1',
    );
  });

  test('generates a distinct runId per run otherwise', () => {
    expect(parseDayRequest({ date: '2021-07-05' }).runId).not.toBe(
      parseDayRequest({ date: '2021-07-05' }).runId,
    );
  });

  test('keeps the object version, skipIfLoaded and scheduled the Trigger starts a run with', () => {
    const source = { key: 'user-data/session_user_data20210705.zip', etag: 'abc' };
    expect(parseExecutionInput({ date: '2021-07-05', source, skipIfLoaded: true })).toEqual({
      date: '2021-07-05',
      source,
      skipIfLoaded: true,
    });
    expect(parseExecutionInput({ date: '2021-07-05', scheduled: true })).toEqual({
      date: '2021-07-05',
      scheduled: true,
    });
  });

  test("an EventBridge event's string source is not a run's object version", () => {
    expect(parseExecutionInput({ source: 'aws.events', time: '2021-07-06T00:30:00Z' })).toEqual({
      date: '2021-07-05',
    });
  });

  test.each([
    ['an impossible date', { date: '2021-02-30' }, /^date must be a real calendar date/],
    ['a date without zero padding', { date: '2021-7-5' }, /^date must be/],
    ['a numeric date', { date: 20210705 }, /^date must be/],
    ['an empty date', { date: '' }, /^date must be/],
    ['a time that is not a timestamp', { time: 'yesterday' }, /^time must be an ISO-8601 timestamp/],
    ['a time without offset', { time: '2021-07-06T00:30:00' }, /^time must be/],
    ['a time with month 13', { time: '2021-13-06T00:30:00Z' }, /^time must be/],
    ['an empty object', {}, /^input needs "date".*or "time"/],
    ['a misnamed field', { day: '2021-07-05' }, /^input needs "date"/],
    ['null', null, /^input must be a JSON object/],
    ['a bare string', '2021-07-05', /^input must be a JSON object/],
    ['an array', [{ date: '2021-07-05' }], /^input must be a JSON object/],
    ['an empty runId', { date: '2021-07-05', runId: '' }, /^runId must be/],
    ['a runId with a space', { date: '2021-07-05', runId: 'a b' }, /^runId must be/],
    ['a runId with a character unsafe in S3 keys', { date: '2021-07-05', runId: 'a:b' }, /^runId must be/],
    ['a runId of 129 characters', { date: '2021-07-05', runId: 'x'.repeat(129) }, /^runId must be/],
    ['a source without its ETag', { date: '2021-07-05', source: { key: 'k' } }, /^source\.etag is missing/],
    [
      'a source with an empty key',
      { date: '2021-07-05', source: { key: '', etag: 'e' } },
      /^source\.key must be/,
    ],
    [
      'a skipIfLoaded that is not a boolean',
      { date: '2021-07-05', skipIfLoaded: 'yes' },
      /^skipIfLoaded must be/,
    ],
    ['a scheduled that is not a boolean', { date: '2021-07-05', scheduled: 1 }, /^scheduled must be/],
  ])('refuses %s with a one-line InvalidRequest naming the field', (_name, event, message) => {
    expect(() => parseDayRequest(event)).toThrow(InvalidRequest);
    expect(() => parseDayRequest(event)).toThrow(message);
    try {
      parseDayRequest(event);
    } catch (error) {
      expect((error as Error).message).not.toContain('\n');
    }
  });
});

describe('validateDay', () => {
  test.each(['.zip', '.csv', '.csv.gz'])('finds the day file with extension %s', async (ext) => {
    const day = ext === '.zip' ? '2021-07-10' : ext === '.csv' ? '2021-07-11' : '2021-07-12';
    const key = `user-data/session_user_data${day.replaceAll('-', '')}${ext}`;
    await put(key, 'user_id,user_data\n1,\n');
    const result = await validate({ date: day, runId: 'run-1' });
    expect(result).toEqual({
      date: day,
      compactDate: day.replaceAll('-', ''),
      runId: 'run-1',
      source: { bucket: 'incoming', key, etag: expect.stringMatching(/^[0-9a-f]{32}$/), bytes: 21 },
    });
  });

  test('ignores names that only start like the day file', async () => {
    await put('user-data/session_user_data20210713.csv.old');
    await put('user-data/session_user_data20210713.zip.tmp');
    await put('user-data/session_user_data202107130.csv');
    await put('user-data/session_user_data20210713.csv');
    expect((await validate({ date: '2021-07-13' })).source.key).toBe(
      'user-data/session_user_data20210713.csv',
    );
  });

  test('no object for the day is InputNotFound (retried: it may arrive late)', async () => {
    await put('user-data/session_user_data20210714.csv.old');
    await expect(validate({ date: '2021-07-14' })).rejects.toThrow(InputNotFound);
    await expect(validate({ date: '2021-07-14' })).rejects.toThrow(
      's3://incoming/user-data/session_user_data20210714{.zip,.csv,.csv.gz}',
    );
  });

  test('two candidate objects are AmbiguousInput naming both', async () => {
    await put('user-data/session_user_data20210715.zip');
    await put('user-data/session_user_data20210715.csv.gz');
    const attempt = validate({ date: '2021-07-15' });
    await expect(attempt).rejects.toThrow(AmbiguousInput);
    await expect(validate({ date: '2021-07-15' })).rejects.toThrow(
      /s3:\/\/incoming\/user-data\/session_user_data20210715\.zip.*session_user_data20210715\.csv\.gz|csv\.gz.*\.zip/,
    );
  });

  test('an invalid request fails before touching S3', async () => {
    await expect(validate({ date: 'nope' })).rejects.toThrow(InvalidRequest);
  });

  test('uses the configured prefix', async () => {
    await put('other/session_user_data20210716.csv');
    const result = await validateDay(
      { s3: s3.client, config: { ...config, incomingPrefix: 'other/' }, logger },
      { date: '2021-07-16' },
    );
    expect(result.source.key).toBe('other/session_user_data20210716.csv');
  });
});

describe('a run started for one version of the day file (the Trigger)', () => {
  const etagOf = async (key: string): Promise<string> => {
    const day = await validate({ date: dayOf(key) });
    return day.source.etag;
  };
  const dayOf = (key: string): string => {
    const compact = /(\d{8})/.exec(key)?.[1] ?? '';
    return `${compact.slice(0, 4)}-${compact.slice(4, 6)}-${compact.slice(6, 8)}`;
  };

  test('the same key and ETag: the day is validated, and Load is asked to skip an ETag already loaded', async () => {
    const key = 'user-data/session_user_data20210720.csv';
    await put(key, 'user_id,user_data\n1,\n');
    const etag = await etagOf(key);
    const result = await validate({
      date: '2021-07-20',
      source: { key, etag },
      skipIfLoaded: true,
      runId: 'r',
    });
    expect(result).toEqual({
      date: '2021-07-20',
      compactDate: '20210720',
      runId: 'r',
      source: { bucket: 'incoming', key, etag, bytes: 21 },
      skipIfLoaded: true,
    });
  });

  test('a replaced file (another ETag) supersedes the run: it ends without loading', async () => {
    const key = 'user-data/session_user_data20210721.csv';
    await put(key, 'user_id,user_data\n1,\n');
    const first = await etagOf(key);
    await put(key, 'user_id,user_data\n1,\n2,\n');
    const second = await etagOf(key);
    expect(second).not.toBe(first);
    await expect(
      validateRun({ date: '2021-07-21', source: { key, etag: first }, skipIfLoaded: true, runId: 'r' }),
    ).resolves.toEqual({
      date: '2021-07-21',
      compactDate: '20210721',
      runId: 'r',
      superseded: { expected: { key, etag: first }, found: { key, etag: second } },
    });
  });

  test('a file replaced under another name supersedes the run', async () => {
    const csv = 'user-data/session_user_data20210722.csv';
    await put('user-data/session_user_data20210722.zip');
    const result = await validateRun({ date: '2021-07-22', source: { key: csv, etag: 'abc' } });
    expect(result).toMatchObject({
      superseded: {
        expected: { key: csv, etag: 'abc' },
        found: { key: 'user-data/session_user_data20210722.zip' },
      },
    });
  });

  test('a file removed since supersedes the run (nothing to load), naming no current file', async () => {
    const key = 'user-data/session_user_data20210723.csv';
    const result = await validateRun({ date: '2021-07-23', source: { key, etag: 'abc' } });
    expect(result).toEqual(expect.objectContaining({ superseded: { expected: { key, etag: 'abc' } } }));
  });

  test("a quoted ETag in the input is the same version as the listing's", async () => {
    const key = 'user-data/session_user_data20210724.csv';
    await put(key, 'user_id,user_data\n');
    const etag = await etagOf(key);
    expect((await validate({ date: '2021-07-24', source: { key, etag: `"${etag}"` } })).source.etag).toBe(
      etag,
    );
  });

  test('two files for the day stay AmbiguousInput', async () => {
    await put('user-data/session_user_data20210725.zip');
    await put('user-data/session_user_data20210725.csv');
    await expect(
      validateRun({
        date: '2021-07-25',
        source: { key: 'user-data/session_user_data20210725.zip', etag: 'x' },
      }),
    ).rejects.toThrow(AmbiguousInput);
  });
});

describe('a scheduled run (the schedule found no single file)', () => {
  test('no file is InputNotArrived, which is never retried (the arrival starts its own run)', async () => {
    const attempt = validateRun({ date: '2021-07-26', scheduled: true });
    await expect(attempt).rejects.toThrow(InputNotArrived);
    await expect(validateRun({ date: '2021-07-26', scheduled: true })).rejects.toThrow(
      "no input object s3://incoming/user-data/session_user_data20210726{.zip,.csv,.csv.gz} at the scheduled time; the file's arrival will start its run",
    );
    expect(NON_RETRYABLE_ERRORS).toContain('InputNotArrived');
    expect(NON_RETRYABLE_ERRORS).not.toContain('InputNotFound');
  });

  test('a manual run of the same day keeps the retried InputNotFound', async () => {
    await expect(validateRun({ date: '2021-07-26' })).rejects.toThrow(InputNotFound);
    await expect(validateRun({ date: '2021-07-26' })).rejects.not.toThrow(InputNotArrived);
  });

  test('two files are AmbiguousInput, as for any run', async () => {
    await put('user-data/session_user_data20210727.zip');
    await put('user-data/session_user_data20210727.csv');
    await expect(validateRun({ date: '2021-07-27', scheduled: true })).rejects.toThrow(AmbiguousInput);
  });

  test('a file that arrived after all is validated as usual', async () => {
    await put('user-data/session_user_data20210728.csv');
    expect((await validate({ date: '2021-07-28', scheduled: true })).source.key).toBe(
      'user-data/session_user_data20210728.csv',
    );
  });
});
