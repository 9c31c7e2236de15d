/**
 * Faults injected while the Clean step runs (an S3 server hook, or a client middleware for a broken
 * input stream): the day fails with a retryable error, nothing partial is visible, no multipart
 * upload is left open, and a re-run gives the same outputs as a clean run.
 */
import { ListMultipartUploadsCommand, type S3Client } from '@aws-sdk/client-s3';
import { gzipSync } from 'node:zlib';
import { cleanDay } from '../../lambdas/cleaning/clean-day';
import { MalformedInput, TooManyRejectedRows } from '../../lambdas/shared/errors';
import { renderSearch, standard } from '../domain/render';
import { validateDay } from '../../lambdas/validate/validate-day';
import { makeTestS3Client, putTestObject, startTestS3, type TestS3 } from '../support/s3';
import { CLEAN, config, logger, nextDate, readOutputs, runClean, type DayOutputs } from './clean-harness';

let s3: TestS3;
beforeAll(async () => {
  s3 = await startTestS3(['incoming', CLEAN]);
});
afterAll(() => s3.close());
afterEach(() => s3.clearFaults());

const PART = 2048;
const lines = ['user_id,user_data'];
for (let i = 0; i < 200; i++)
  lines.push(`u${i},${renderSearch(standard({ search_id: String(i), listings: String(i % 9) }))}`);
const BODY = `${lines.join('\n')}\n`;

const NOTHING: DayOutputs = {
  cleaned: undefined,
  validSearches: undefined,
  manifest: undefined,
  rejected: undefined,
  runRecord: undefined,
  runScopedRecord: undefined,
};

async function openUploads(): Promise<string[]> {
  const out = await s3.client.send(new ListMultipartUploadsCommand({ Bucket: CLEAN }));
  return (out.Uploads ?? []).map((u) => u.Key ?? '');
}

/** The day's outputs with the date taken out, to compare two days. */
async function comparable(date: string): Promise<DayOutputs> {
  const outputs = await readOutputs(s3, date);
  const strip = (text: string | undefined): string | undefined =>
    text?.replaceAll(date, 'DATE').replaceAll(date.replaceAll('-', ''), 'DATE');
  return {
    cleaned: strip(outputs.cleaned),
    validSearches: strip(outputs.validSearches),
    manifest: strip(outputs.manifest),
  };
}

/** A client whose GetObject bodies break after `bytes` bytes, like a dropped connection. */
function clientBreakingReadsAfter(bytes: number): S3Client {
  const client = makeTestS3Client(s3.endpoint);
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const out = await next(args);
      if (context.commandName !== 'GetObjectCommand') return out;
      const body = (out.output as { Body: AsyncIterable<Uint8Array> }).Body;
      (out.output as { Body: unknown }).Body = (async function* () {
        let seen = 0;
        for await (const chunk of body) {
          if (seen + chunk.length > bytes)
            throw Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
          seen += chunk.length;
          yield chunk;
        }
      })();
      return out;
    },
    { step: 'initialize', name: 'breakReads' },
  );
  return client;
}

describe('faults while cleaning a day', () => {
  test('an output part failing mid-write leaves nothing visible, and a re-run matches a clean run', async () => {
    const reference = await runClean(s3, { body: BODY, partSizeBytes: PART });
    const date = nextDate();
    s3.injectFault({ match: (r) => r.key.startsWith('user-data-clean/') && r.query.partNumber === '3' });
    const failed = await runClean(s3, { body: BODY, partSizeBytes: PART, date });
    expect(failed.error).toBeDefined();
    expect(failed.error).not.toBeInstanceOf(MalformedInput); // a 5xx is retried by the state machine
    expect(await readOutputs(s3, date)).toEqual(NOTHING);
    expect(await openUploads()).toEqual([]);

    s3.clearFaults();
    const rerun = await runClean(s3, { body: BODY, partSizeBytes: PART, date });
    expect(rerun.result?.counts).toEqual(reference.result?.counts);
    expect(await comparable(date)).toEqual(await comparable(reference.date));
  });

  test('a failure to complete an output removes the run record of the day and leaves no open upload', async () => {
    const date = nextDate();
    expect((await runClean(s3, { body: BODY, date })).result).toBeDefined();
    s3.injectFault({
      match: (r) =>
        r.method === 'POST' && r.key.startsWith('user-data-clean/') && r.query.uploadId !== undefined,
    });
    const failed = await runClean(s3, { body: BODY, partSizeBytes: PART, date });
    expect(failed.error).toBeDefined();
    expect((await readOutputs(s3, date)).runRecord).toBeUndefined();
    expect(await openUploads()).toEqual([]);
    s3.clearFaults();
    expect((await runClean(s3, { body: BODY, partSizeBytes: PART, date })).result?.counts.kept).toBe(200);
  });

  test.each([
    ['CSV', BODY, '.csv'],
    ['gzip', gzipSync(BODY), '.csv.gz'],
  ] as const)(
    'a %s input stream breaking mid-read is retryable and leaves nothing',
    async (_name, body, ext) => {
      const date = nextDate();
      await putTestObject(
        s3.client,
        'incoming',
        `user-data/session_user_data${date.replaceAll('-', '')}${ext}`,
        body,
      );
      const day = await validateDay({ s3: s3.client, config, logger }, { date });
      const client = clientBreakingReadsAfter(Math.floor(body.length / 2));
      try {
        const attempt = cleanDay({ s3: client, config, logger, partSizeBytes: PART }, day);
        await expect(attempt).rejects.toThrow('read ECONNRESET');
      } finally {
        client.destroy();
      }
      expect(await readOutputs(s3, date)).toEqual(NOTHING);
      expect(await openUploads()).toEqual([]);
    },
  );

  test('a day over the rejected threshold aborts the uploads it had started', async () => {
    const bad = BODY.replace(/clicks:4/g, 'clicks:x');
    const run = await runClean(s3, { body: bad, partSizeBytes: PART, config: { rejectedThreshold: 0.01 } });
    expect(run.error).toBeInstanceOf(TooManyRejectedRows);
    const outputs = await readOutputs(s3, run.date);
    expect(outputs.rejected?.split('\n').length).toBe(202);
    expect(JSON.parse(outputs.runScopedRecord ?? '{}')).toMatchObject({ status: 'failed' });
    expect({ ...outputs, rejected: undefined, runScopedRecord: undefined }).toEqual(NOTHING);
    expect(await openUploads()).toEqual([]);
  });
});
