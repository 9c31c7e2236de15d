/**
 * Polling a directory: each version of a file is reported once, by the ETag s3rver gives its bytes;
 * a touch that keeps the bytes is no new version; a file still being written waits to settle.
 */
import { mkdir, mkdtemp, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';

import { fileEtag } from '../../local/runner/file-etag';
import { startLocalS3 } from '../../local/runner/s3-server';
import { watchDirectory } from '../../local/runner/watch-dir';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'watch-dir-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const names = (result: { changed: readonly { name: string }[] }) => result.changed.map((c) => c.name);

test("a file's ETag is the one the embedded S3 returns for its upload", async () => {
  const file = path.join(dir, 'session_user_data20210702.csv');
  await writeFile(file, 'user_id,user_data\n1,\n'.repeat(1000));
  const s3 = await startLocalS3({ directory: path.join(dir, 's3'), buckets: ['incoming'] });
  try {
    const put = await s3.client.send(
      new PutObjectCommand({
        Bucket: 'incoming',
        Key: 'k',
        Body: await readFile(file),
      }),
    );
    expect(put.ETag).toBe(`"${await fileEtag(file)}"`);
  } finally {
    await s3.close();
  }
});

test('new and changed files are reported once per version; touched and unchanged ones are not', async () => {
  const a = path.join(dir, 'a.csv');
  await writeFile(a, 'one');
  await writeFile(path.join(dir, 'b.csv'), 'two');
  const watch = watchDirectory(dir);

  const first = await watch.scan();
  expect(names(first)).toEqual(['a.csv', 'b.csv']);
  expect(first.changed[0]?.etag).toBe(await fileEtag(a));
  expect(names(await watch.scan())).toEqual([]);

  const later = new Date(Date.now() + 5000);
  await utimes(a, later, later);
  expect(names(await watch.scan())).toEqual([]);

  await writeFile(a, 'one, corrected');
  const corrected = await watch.scan();
  expect(corrected.changed).toEqual([{ name: 'a.csv', file: a, etag: await fileEtag(a) }]);
});

test('directories and other non-files are reported once; removed files are reported', async () => {
  await mkdir(path.join(dir, 'sub'));
  await writeFile(path.join(dir, 'gone.csv'), 'x');
  const watch = watchDirectory(dir);
  expect(await watch.scan()).toMatchObject({ notFiles: ['sub'], removed: [] });
  await rm(path.join(dir, 'gone.csv'));
  expect(await watch.scan()).toEqual({ changed: [], notFiles: [], removed: ['gone.csv'] });
});

test('with settleMs, a file is acted on only after it stayed unchanged that long', async () => {
  let clock = Date.now() + 60_000;
  const file = path.join(dir, 'late.csv');
  await writeFile(file, 'half');
  const watch = watchDirectory(dir, { settleMs: 1000, now: () => clock });
  expect(names(await watch.scan())).toEqual([]); // first sight: wait one look
  await writeFile(file, 'half and the rest');
  expect(names(await watch.scan())).toEqual([]); // still growing
  clock += 2000;
  expect(names(await watch.scan())).toEqual(['late.csv']);
  expect(names(await watch.scan())).toEqual([]);
});
