/**
 * A child process for the kill tests of the embedded S3: starts it on the directory given, uploads
 * `big.csv` in three 5 MiB parts and completes the upload; at the point named by the second argument
 * it kills itself with SIGKILL (nothing runs after: no cleanup, like a killed `run`).
 *   node -r tsx/cjs test/support/s3-kill-child.ts <dir> mid-write|after-commit
 */
import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  UploadPartCommand,
} from '@aws-sdk/client-s3';

import { startLocalS3 } from '../../local/runner/s3-server';
import type { ObjectWriteEvent } from '../../local/runner/s3rver-atomic-store';

export const PART_BYTES = 5 * 1024 * 1024;
export const PARTS = 3;

/** Part n is filled with the byte of the letter `a` + n - 1, so a prefix is easy to recognise. */
export const partBody = (n: number): Buffer => Buffer.alloc(PART_BYTES, 0x60 + n);

const [directory = '', killAt = ''] = process.argv.slice(2);

function killPoint(event: ObjectWriteEvent): boolean {
  if (event.key !== 'big.csv') return false;
  if (killAt === 'mid-write') return event.phase === 'data' && event.bytes > PART_BYTES;
  return killAt === 'after-commit' && event.phase === 'committed';
}

async function main(): Promise<void> {
  const s3 = await startLocalS3({
    directory,
    buckets: ['clean'],
    onObjectWrite: (event) => {
      if (killPoint(event)) process.kill(process.pid, 'SIGKILL');
    },
  });
  const { UploadId } = await s3.client.send(
    new CreateMultipartUploadCommand({ Bucket: 'clean', Key: 'big.csv' }),
  );
  const parts = [];
  for (let n = 1; n <= PARTS; n++) {
    const { ETag } = await s3.client.send(
      new UploadPartCommand({ Bucket: 'clean', Key: 'big.csv', UploadId, PartNumber: n, Body: partBody(n) }),
    );
    parts.push({ ETag, PartNumber: n });
  }
  process.stdout.write('completing\n');
  await s3.client.send(
    new CompleteMultipartUploadCommand({
      Bucket: 'clean',
      Key: 'big.csv',
      UploadId,
      MultipartUpload: { Parts: parts },
    }),
  );
  process.stdout.write('completed\n');
  await s3.close();
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`${String(error)}\n`);
    process.exit(1);
  });
}
