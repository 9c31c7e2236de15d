/**
 * The Validate and Clean handlers, as Lambda runs them (module-scope clients from the environment,
 * pointed at the embedded S3), publish the day's metrics as EMF on stdout.
 */
import type { SupersededDay, ValidatedDay } from '../../lambdas/shared/step-payloads';
import { captureEmf } from '../support/emf';
import { lambdaContext } from '../support/lambda-context';
import { putTestObject, startTestS3, type TestS3 } from '../support/s3';

const LINE_500 =
  '500,--\\\\n-:search_id:4410\\\\n:enabled:True\\\\n:clicks:4\\\\n:created_at:20210702\\\\n:listings:6\\\\n:type:Rental\\n';
const LINE_501 =
  '501,--\\\\n-:search_id:78\\\\n:enabled:True\\\\n:clicks:3\\\\n:created_at:20210702\\\\n:listings:5\\\\n:type:Sales\\n';
// Two kept users, an exact repeat of 500's line, and one line whose user_data cannot be read.
const DAY_FILE = `user_id,user_data\n${LINE_500}\n${LINE_501}\n${LINE_500}\n502,not user data\n`;

let s3: TestS3;
const saved = { ...process.env };
type Handler<T> = (event: unknown, context: ReturnType<typeof lambdaContext>) => Promise<T>;
let validate: Handler<ValidatedDay | SupersededDay>;
let clean: Handler<unknown>;

beforeAll(async () => {
  s3 = await startTestS3(['incoming', 'clean']);
  process.env = {
    ...saved,
    // The handlers' SDK clients are made at import, from the environment, as on Lambda.
    AWS_ENDPOINT_URL_S3: s3.endpoint,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
    AWS_REQUEST_CHECKSUM_CALCULATION: 'WHEN_REQUIRED',
    AWS_RESPONSE_CHECKSUM_VALIDATION: 'WHEN_REQUIRED',
    INCOMING_BUCKET: 'incoming',
    CLEAN_BUCKET: 'clean',
    REJECTED_THRESHOLD: '0.5',
    POWERTOOLS_SERVICE_NAME: 'SearchStats',
    POWERTOOLS_METRICS_NAMESPACE: 'SearchStats',
    POWERTOOLS_LOG_LEVEL: 'SILENT',
  };
  validate = (await import('../../lambdas/validate/handler')).handler;
  clean = (await import('../../lambdas/clean/handler')).handler;
});

afterAll(async () => {
  process.env = saved;
  await s3.close();
});

test('Clean publishes rows read, kept, duplicate, rejected, the rejected share, bytes and its duration', async () => {
  await putTestObject(s3.client, 'incoming', 'user-data/session_user_data20210702.csv', DAY_FILE);
  const { result: day } = await captureEmf(() =>
    validate({ date: '2021-07-02' }, lambdaContext(900_000, 'validate')),
  );

  const { emf } = await captureEmf(() => clean(day, lambdaContext(900_000, 'clean')));

  expect(emf).toHaveLength(1);
  const [doc] = emf;
  expect(doc?.namespace).toBe('SearchStats');
  expect(doc?.dimensions).toEqual([['service', 'step']]);
  expect(doc?.dimensionValues).toEqual({ service: 'SearchStats', step: 'clean' });
  expect(doc?.metrics).toEqual({
    RowsRead: { unit: 'Count', value: 4 },
    RowsKept: { unit: 'Count', value: 2 },
    RowsDuplicate: { unit: 'Count', value: 1 },
    RowsRejected: { unit: 'Count', value: 1 },
    RejectedShare: { unit: 'Percent', value: 25 },
    InputBytes: { unit: 'Bytes', value: Buffer.byteLength(DAY_FILE) },
    StepDuration: { unit: 'Milliseconds', value: expect.any(Number) },
  });
});

test('Validate publishes its duration under its own step, also when the day has no file', async () => {
  const { emf } = await captureEmf(() =>
    validate({ date: '2021-08-01' }, lambdaContext(900_000, 'validate')).catch((error: unknown) => error),
  );

  expect(emf).toEqual([
    {
      namespace: 'SearchStats',
      dimensions: [['service', 'step']],
      dimensionValues: { service: 'SearchStats', step: 'validate' },
      metrics: { StepDuration: { unit: 'Milliseconds', value: expect.any(Number) } },
    },
  ]);
});

test('every log line of the Clean handler carries the Lambda context', async () => {
  process.env['POWERTOOLS_LOG_LEVEL'] = 'INFO';
  let loud: Handler<unknown> | undefined;
  // The module-scope Logger reads the level when created: a fresh copy of the module, logging.
  await jest.isolateModulesAsync(async () => {
    loud = (await import('../../lambdas/clean/handler')).handler;
  });
  process.env['POWERTOOLS_LOG_LEVEL'] = 'SILENT';
  await putTestObject(s3.client, 'incoming', 'user-data/session_user_data20210703.csv', DAY_FILE);
  const { result: day } = await captureEmf(() =>
    validate({ date: '2021-07-03' }, lambdaContext(900_000, 'validate')),
  );
  const lines: string[] = [];
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    lines.push(...String(chunk).split('\n'));
    return true;
  });
  try {
    await loud?.(day, lambdaContext(900_000, 'clean'));
  } finally {
    spy.mockRestore();
  }

  const logLines = lines
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((entry) => 'level' in entry);
  expect(logLines.map((entry) => entry['message'])).toEqual(['reading input', 'day cleaned']);
  for (const entry of logLines) {
    expect(entry).toMatchObject({
      function_name: 'clean',
      function_request_id: 'request-clean',
      function_arn: 'arn:aws:lambda:eu-west-1:123456789012:function:clean',
    });
  }
});
