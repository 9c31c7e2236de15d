import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {
  AbortMultipartUploadCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  ListMultipartUploadsCommand,
  PutObjectCommand,
  UploadPartCommand,
} from '@aws-sdk/client-s3';

import { listStoredObjects } from '../../local/runner/outputs';
import { localS3Client, startLocalS3 } from '../../local/runner/s3-server';

/** Resolves true when something accepts connections on the port. */
function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe('embedded S3', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 's3-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  test('serves the buckets on a loopback port, objects stored under its directory', async () => {
    const s3 = await startLocalS3({ directory: dir, buckets: ['incoming', 'clean'] });
    try {
      expect(s3.endpoint).toBe(`http://127.0.0.1:${s3.port}`);
      await s3.client.send(new PutObjectCommand({ Bucket: 'clean', Key: 'a/b.csv', Body: 'x,y\n' }));
      const got = await s3.client.send(new GetObjectCommand({ Bucket: 'clean', Key: 'a/b.csv' }));
      expect(await got.Body?.transformToString()).toBe('x,y\n');
      const stored = await listStoredObjects(dir, 'clean');
      expect(stored).toEqual([
        {
          uri: 's3://clean/a/b.csv',
          key: 'a/b.csv',
          file: path.join(dir, 'clean', 'a', 'b.csv._S3rver_object'),
          bytes: 4,
        },
      ]);
    } finally {
      await s3.close();
    }
  });

  test('close releases the port even while a client keeps a connection open', async () => {
    const s3 = await startLocalS3({ directory: dir, buckets: ['clean'] });
    const other = localS3Client(s3.endpoint);
    await other.send(new PutObjectCommand({ Bucket: 'clean', Key: 'k', Body: 'v' }));
    await s3.close();
    other.destroy();
    expect(await accepts(s3.port)).toBe(false);
  });

  test('objects survive a restart on the same directory', async () => {
    const first = await startLocalS3({ directory: dir, buckets: ['clean'] });
    await first.client.send(new PutObjectCommand({ Bucket: 'clean', Key: 'k', Body: 'v' }));
    await first.close();
    const second = await startLocalS3({ directory: dir, buckets: ['clean'] });
    try {
      const got = await second.client.send(new GetObjectCommand({ Bucket: 'clean', Key: 'k' }));
      expect(await got.Body?.transformToString()).toBe('v');
    } finally {
      await second.close();
    }
  });

  test('an aborted multipart upload leaves nothing behind', async () => {
    const s3 = await startLocalS3({ directory: dir, buckets: ['clean'] });
    try {
      const { UploadId } = await s3.client.send(
        new CreateMultipartUploadCommand({ Bucket: 'clean', Key: 'big.csv' }),
      );
      await s3.client.send(
        new UploadPartCommand({ Bucket: 'clean', Key: 'big.csv', UploadId, PartNumber: 1, Body: 'part' }),
      );
      const open = await s3.client.send(new ListMultipartUploadsCommand({ Bucket: 'clean' }));
      expect(open.Uploads?.map((u) => u.Key)).toEqual(['big.csv']);
      await s3.client.send(new AbortMultipartUploadCommand({ Bucket: 'clean', Key: 'big.csv', UploadId }));
      const after = await s3.client.send(new ListMultipartUploadsCommand({ Bucket: 'clean' }));
      expect(after.Uploads ?? []).toEqual([]);
      expect(await listStoredObjects(dir, 'clean')).toEqual([]);
    } finally {
      await s3.close();
    }
  });
});
