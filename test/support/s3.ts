/**
 * Embedded S3 for tests: s3rver on 127.0.0.1, a free port, a fresh temp directory (removed on
 * close). Start it once per test file (`beforeAll`) and `close()` it in `afterAll`.
 *
 * Built on the local runner's server (`local/runner/s3-server.ts`), which adds in front of s3rver the
 * two multipart operations it lacks (AbortMultipartUpload, ListMultipartUploads: a test can assert
 * that nothing dangles after a failure) and a fault hook: `injectFault` answers matching requests
 * with an S3 error (default 500 InternalError), e.g. to fail one part upload mid-write.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  GetObjectCommand,
  ListObjectsV2Command,
  NoSuchKey,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import type { S3Request } from '../../local/runner/s3-faults';
import { localS3Client, startLocalS3 } from '../../local/runner/s3-server';

export type { S3Request };

export interface S3Fault {
  readonly match: (request: S3Request) => boolean;
  /** @default 500 */
  readonly status?: number;
  /** @default 'InternalError' */
  readonly code?: string;
  /** How many matching requests fail. @default Infinity */
  readonly times?: number;
}

export interface TestS3 {
  /** A client for this server (see `makeTestS3Client`); destroyed by `close()`. */
  readonly client: S3Client;
  /** `http://127.0.0.1:<port>` */
  readonly endpoint: string;
  /** s3rver's store on disk. */
  readonly directory: string;
  /** Fails matching requests until cleared. */
  injectFault(fault: S3Fault): void;
  clearFaults(): void;
  close(): Promise<void>;
}

/** An SDK client for s3rver, as the local runner makes it. */
export const makeTestS3Client = localS3Client;

/** Starts s3rver with the given buckets. */
export async function startTestS3(buckets: readonly string[]): Promise<TestS3> {
  const directory = await mkdtemp(join(tmpdir(), 's3rver-test-'));
  const faults: { fault: S3Fault; left: number }[] = [];
  const server = await startLocalS3({
    directory,
    buckets,
    faults: (request) => {
      const armed = faults.find((f) => f.left > 0 && f.fault.match(request));
      if (!armed) return undefined;
      armed.left--;
      return { status: armed.fault.status ?? 500, code: armed.fault.code ?? 'InternalError' };
    },
  });
  const client = makeTestS3Client(server.endpoint);
  let closed: Promise<void> | undefined;
  return {
    client,
    endpoint: server.endpoint,
    directory,
    injectFault: (fault) => faults.push({ fault, left: fault.times ?? Number.POSITIVE_INFINITY }),
    clearFaults: () => faults.splice(0),
    close: () => {
      closed ??= (async () => {
        client.destroy();
        await server.close();
        await rm(directory, { recursive: true, force: true });
      })();
      return closed;
    },
  };
}

export async function putTestObject(
  client: S3Client,
  bucket: string,
  key: string,
  body: string | Uint8Array,
): Promise<void> {
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  await client.send(
    new PutObjectCommand({ Bucket: bucket, Key: key, Body: bytes, ContentLength: bytes.length }),
  );
}

/** The object's bytes, or undefined when there is no such object. */
export async function readTestObject(
  client: S3Client,
  bucket: string,
  key: string,
): Promise<Buffer | undefined> {
  try {
    const out = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return Buffer.from((await out.Body?.transformToByteArray()) ?? []);
  } catch (error) {
    if (error instanceof NoSuchKey) return undefined;
    throw error;
  }
}

/** Every key in the bucket under the prefix, sorted. */
export async function listTestKeys(client: S3Client, bucket: string, prefix = ''): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
    );
    keys.push(...(page.Contents ?? []).flatMap((o) => (o.Key === undefined ? [] : [o.Key])));
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token !== undefined);
  return keys.sort();
}
