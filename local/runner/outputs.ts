/**
 * Where the embedded S3's objects are on disk. s3rver stores `s3://<bucket>/<dir>/<name>` as
 * `<root>/<bucket>/<dir>/<name>._S3rver_object` (plus metadata files next to it).
 */
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';

import { UPLOADS_DIR } from './s3rver-multipart';

const OBJECT_SUFFIX = '._S3rver_object';

export interface StoredObject {
  /** `s3://bucket/key` */
  readonly uri: string;
  readonly key: string;
  /** The file holding the object's bytes. */
  readonly file: string;
  readonly bytes: number;
}

async function walk(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw error;
  });
  const nested = await Promise.all(
    entries.map((entry) => {
      const full = path.join(dir, entry.name);
      return entry.isDirectory() ? walk(full) : Promise.resolve([full]);
    }),
  );
  return nested.flat();
}

/** The objects of `bucket` stored under s3rver's directory `s3Root`, sorted by key. */
export async function listStoredObjects(s3Root: string, bucket: string): Promise<StoredObject[]> {
  const bucketDir = path.join(s3Root, bucket);
  const files = (await walk(bucketDir)).filter(
    (file) => file.endsWith(OBJECT_SUFFIX) && !file.includes(UPLOADS_DIR),
  );
  const objects = await Promise.all(
    files.map(async (file) => {
      const key = path.relative(bucketDir, file).slice(0, -OBJECT_SUFFIX.length).split(path.sep).join('/');
      return { uri: `s3://${bucket}/${key}`, key, file, bytes: (await stat(file)).size };
    }),
  );
  return objects.sort((a, b) => a.key.localeCompare(b.key));
}
