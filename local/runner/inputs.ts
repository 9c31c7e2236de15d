/**
 * The day files a local run starts from: found in an input directory by their upstream names and
 * uploaded to the embedded incoming bucket, exactly where the scheduled run would find them on AWS.
 */
import { createReadStream, type Stats } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { DeleteObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';

import type { PipelineConfig } from '../../lambdas/shared/function-env';
import { toCompactDate } from '../../lambdas/domain/calendar';

/** The extensions the pipeline accepts for a day's object (contract §1). */
export const INPUT_EXTENSIONS = ['.zip', '.csv', '.csv.gz'] as const;

/** A day file that is not a regular file: reading a FIFO would wait for a writer forever. */
export class InputNotRegularFile extends Error {
  override name = 'InputNotRegularFile';
}

function kindOf(stats: Stats): string {
  if (stats.isFIFO()) return 'a FIFO (named pipe)';
  if (stats.isSocket()) return 'a socket';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isDirectory()) return 'a directory';
  return 'not a regular file';
}

/**
 * For each day, the files in `dir` named `session_user_data<YYYYMMDD>.{zip,csv,csv.gz}` (maybe none).
 * Any of them that is not a regular file (after symlinks) is refused here, before anything is read.
 */
export async function findDayFiles(dir: string, days: readonly string[]): Promise<Map<string, string[]>> {
  const names = new Set(await readdir(dir));
  const found = new Map(
    days.map((day) => {
      const base = `session_user_data${toCompactDate(day)}`;
      const files = INPUT_EXTENSIONS.map((ext) => base + ext).filter((name) => names.has(name));
      return [day, files.map((name) => path.join(dir, name))];
    }),
  );
  for (const file of [...found.values()].flat()) {
    const stats = await stat(file);
    if (!stats.isFile()) {
      throw new InputNotRegularFile(
        `${file} is ${kindOf(stats)}, not a regular file: refusing to read it (a day file must be a file)`,
      );
    }
  }
  return found;
}

/**
 * Makes the incoming bucket hold exactly `files` for `day`, mirroring the input directory: uploads
 * them and deletes the day's other candidates left by an earlier run (a stale object would be loaded
 * instead of failing as missing, and a second candidate would make the day ambiguous).
 */
export async function uploadDayFiles(
  s3: S3Client,
  config: PipelineConfig,
  day: string,
  files: readonly string[],
): Promise<void> {
  const base = `session_user_data${toCompactDate(day)}`;
  const uploaded = new Set(files.map((file) => path.basename(file)));
  for (const file of files) {
    const { size } = await stat(file);
    await s3.send(
      new PutObjectCommand({
        Bucket: config.incomingBucket,
        Key: config.incomingPrefix + path.basename(file),
        Body: createReadStream(file),
        ContentLength: size,
      }),
    );
  }
  for (const ext of INPUT_EXTENSIONS) {
    if (uploaded.has(base + ext)) continue;
    await s3.send(
      new DeleteObjectCommand({ Bucket: config.incomingBucket, Key: config.incomingPrefix + base + ext }),
    );
  }
}
