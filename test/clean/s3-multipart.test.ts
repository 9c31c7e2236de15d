import { ListMultipartUploadsCommand } from '@aws-sdk/client-s3';
import { S3MultipartWriter } from '../../lambdas/shared/s3-multipart';
import { listTestKeys, readTestObject, startTestS3, type TestS3 } from '../support/s3';

const BUCKET = 'out';
let s3: TestS3;

beforeAll(async () => {
  s3 = await startTestS3([BUCKET]);
});
afterAll(() => s3.close());
afterEach(() => s3.clearFaults());

const openUploads = async (): Promise<string[]> => {
  const out = await s3.client.send(new ListMultipartUploadsCommand({ Bucket: BUCKET }));
  return (out.Uploads ?? []).map((u) => u.Key ?? '');
};

const writer = (key: string, partSizeBytes = 1024): S3MultipartWriter =>
  new S3MultipartWriter({ s3: s3.client, bucket: BUCKET, key, contentType: 'text/csv', partSizeBytes });

const line = (i: number): string => `${String(i).padStart(6, '0')},${'x'.repeat(90)}\n`;

describe('S3MultipartWriter', () => {
  test('a small object is invisible until complete, then written whole', async () => {
    const w = writer('small.csv');
    w.write('a,b\n');
    w.write('1,2\n');
    expect(await readTestObject(s3.client, BUCKET, 'small.csv')).toBeUndefined();
    const written = await w.complete();
    expect((await readTestObject(s3.client, BUCKET, 'small.csv'))?.toString()).toBe('a,b\n1,2\n');
    expect(written).toMatchObject({ key: 'small.csv', bytes: 8, etag: expect.stringMatching(/^[0-9a-f]+$/) });
  });

  test('an empty object can be completed', async () => {
    const written = await writer('empty.csv').complete();
    expect(written.bytes).toBe(0);
    expect((await readTestObject(s3.client, BUCKET, 'empty.csv'))?.length).toBe(0);
  });

  test('a large object goes in several parts and appears only at complete', async () => {
    const w = writer('large.csv');
    const expected: string[] = [];
    for (let i = 0; i < 100; i++) {
      expected.push(line(i));
      w.write(line(i));
      await w.drain();
    }
    expect(await openUploads()).toEqual(['large.csv']);
    expect(await readTestObject(s3.client, BUCKET, 'large.csv')).toBeUndefined();
    const written = await w.complete();
    expect((await readTestObject(s3.client, BUCKET, 'large.csv'))?.toString()).toBe(expected.join(''));
    expect(written.bytes).toBe(expected.join('').length);
    expect(await openUploads()).toEqual([]);
  });

  test('keeps at most one part upload in flight', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    s3.client.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName !== 'UploadPartCommand') return next(args);
        maxInFlight = Math.max(maxInFlight, ++inFlight);
        try {
          return await next(args);
        } finally {
          inFlight--;
        }
      },
      { step: 'initialize', name: 'countParts' },
    );
    try {
      const w = writer('flight.csv', 256);
      for (let i = 0; i < 60; i++) {
        w.write(line(i));
        await w.drain();
      }
      await w.complete();
      expect(maxInFlight).toBe(1);
    } finally {
      s3.client.middlewareStack.remove('countParts');
    }
  });

  test('abort leaves neither an object nor an open upload', async () => {
    const w = writer('aborted.csv');
    for (let i = 0; i < 40; i++) w.write(line(i));
    await w.drain();
    await w.abort();
    expect(await listTestKeys(s3.client, BUCKET, 'aborted')).toEqual([]);
    expect(await openUploads()).toEqual([]);
  });

  test('a failing part surfaces the error, and abort then leaves nothing behind', async () => {
    s3.injectFault({ match: (r) => r.key === 'failing.csv' && r.query.partNumber === '2' });
    const w = writer('failing.csv');
    await expect(
      (async () => {
        for (let i = 0; i < 60; i++) {
          w.write(line(i));
          await w.drain();
        }
        await w.complete();
      })(),
    ).rejects.toThrow(/injected fault|InternalError/);
    await w.abort();
    expect(await listTestKeys(s3.client, BUCKET, 'failing')).toEqual([]);
    expect(await openUploads()).toEqual([]);
  });

  test('abort after complete keeps the object', async () => {
    const w = writer('kept.csv');
    w.write('kept\n');
    await w.complete();
    await w.abort();
    expect((await readTestObject(s3.client, BUCKET, 'kept.csv'))?.toString()).toBe('kept\n');
  });
});
