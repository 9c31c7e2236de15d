/**
 * The embedded S3 under kills: a process killed while completing a multipart upload leaves either no
 * object or the whole object, never a prefix; what it leaves unfinished (the upload's parts, a temp
 * file) is removed when the server next starts, as the buckets' lifecycle rule does on AWS.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { GetObjectCommand, ListMultipartUploadsCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';

import { listStoredObjects } from '../../local/runner/outputs';
import { startLocalS3, type LocalS3 } from '../../local/runner/s3-server';
import { PART_BYTES, PARTS, partBody } from '../support/s3-kill-child';

const ROOT = path.resolve(__dirname, '../..');
const CHILD = path.join(ROOT, 'test/support/s3-kill-child.ts');

/** Runs the child until it exits; resolves its exit signal and stdout. */
function runChild(dir: string, killAt: string): Promise<{ signal: NodeJS.Signals | null; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-r', 'tsx/cjs', CHILD, dir, killAt], {
      cwd: ROOT,
      env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (_code, signal) => resolve({ signal, stdout }));
  });
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .sort();
}

async function keys(s3: LocalS3): Promise<string[]> {
  const listed = await s3.client.send(new ListObjectsV2Command({ Bucket: 'clean' }));
  return (listed.Contents ?? []).map((o) => o.Key ?? '');
}

describe('embedded S3 killed mid-completion', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 's3-kill-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  test('a kill while the completed object is being written leaves no object, listed or on disk', async () => {
    const { signal, stdout } = await runChild(dir, 'mid-write');
    expect(stdout).toBe('completing\n');
    expect(signal).toBe('SIGKILL');

    // What `outputs` lists, before any server starts again.
    expect(await listStoredObjects(dir, 'clean')).toEqual([]);
    const s3 = await startLocalS3({ directory: dir, buckets: ['clean'] });
    try {
      expect(await keys(s3)).toEqual([]);
      expect(s3.recovered).toEqual({ abortedUploads: 1, partialFiles: 1 });
      const uploads = await s3.client.send(new ListMultipartUploadsCommand({ Bucket: 'clean' }));
      expect(uploads.Uploads ?? []).toEqual([]);
      expect(await filesUnder(dir)).toEqual([]);
    } finally {
      await s3.close();
    }
  });

  test('a kill just after the object is in place leaves the whole object, with its right ETag', async () => {
    const { signal } = await runChild(dir, 'after-commit');
    expect(signal).toBe('SIGKILL');

    const s3 = await startLocalS3({ directory: dir, buckets: ['clean'] });
    try {
      expect(await keys(s3)).toEqual(['big.csv']);
      const got = await s3.client.send(new GetObjectCommand({ Bucket: 'clean', Key: 'big.csv' }));
      const body = Buffer.from((await got.Body?.transformToByteArray()) ?? []);
      const whole = Buffer.concat(Array.from({ length: PARTS }, (_, i) => partBody(i + 1)));
      expect(body.length).toBe(PART_BYTES * PARTS);
      expect(body.equals(whole)).toBe(true);
      // s3rver's ETag is the MD5 of the bytes; the old MD5 file is gone, so it is recomputed.
      expect(got.ETag).toBe(`"${createHash('md5').update(whole).digest('hex')}"`);
      expect(s3.recovered.abortedUploads).toBe(1);
      expect(await filesUnder(path.join(dir, 'clean'))).not.toContainEqual(
        expect.stringContaining('uploads'),
      );
    } finally {
      await s3.close();
    }
  });

  test('uploads left open by an earlier process are aborted at start', async () => {
    const upload = path.join(dir, 'clean', '._S3rver_uploads', 'stale-upload-id');
    await mkdir(upload, { recursive: true });
    await writeFile(path.join(upload, 'key'), 'valid-searches/x.csv');
    await writeFile(path.join(upload, '1'), Buffer.alloc(1024));

    const s3 = await startLocalS3({ directory: dir, buckets: ['clean'] });
    try {
      const uploads = await s3.client.send(new ListMultipartUploadsCommand({ Bucket: 'clean' }));
      expect(uploads.Uploads ?? []).toEqual([]);
      expect(await filesUnder(dir)).toEqual([]);
    } finally {
      await s3.close();
    }
  });
});
