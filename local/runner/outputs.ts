/**
 * Where the embedded S3's objects are on disk. s3rver stores `s3://<bucket>/<dir>/<name>` as
 * `<root>/<bucket>/<dir>/<name>._S3rver_object` (plus metadata files next to it).
 */
import { readdir, readFile, stat } from 'node:fs/promises';
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

/** What an object of the clean bucket is to its day: current, a failed run's, or an earlier run's. */
export type OutputState = 'current' | 'failed run' | 'earlier run' | '';

export interface ClassifiedObject extends StoredObject {
  readonly state: OutputState;
  /** The run that wrote it, when its key or the day's current record says so. */
  readonly run: string;
}

const CURRENT_RECORD = /^runs\/session_user_data\d{8}\.json$/;
const RUN_SCOPED_RECORD = /^runs\/\d{8}\/[^/]+\.json$/;
/** `<prefix>/<YYYYMMDD>/<runId>/...` or `runs/<YYYYMMDD>/<runId>.json` (lambdas/cleaning/output-keys.ts). */
const RUN_IN_KEY = /^[^/]+\/\d{8}\/([^/]+?)(?:\.json)?(?:\/|$)/;

interface RunRecordFile {
  readonly runId?: unknown;
  readonly status?: unknown;
  readonly outputs?: Readonly<Record<string, unknown>>;
}

async function readRecord(file: string): Promise<RunRecordFile> {
  try {
    const parsed = JSON.parse(await readFile(file, 'utf8')) as unknown;
    return typeof parsed === 'object' && parsed !== null ? (parsed as RunRecordFile) : {};
  } catch {
    return {};
  }
}

const keysOf = (record: RunRecordFile): string[] =>
  Object.entries(record.outputs ?? {}).flatMap(([name, value]) =>
    name !== 'bucket' && typeof value === 'string' ? [value] : [],
  );

const STATE_ORDER: readonly OutputState[] = ['current', 'failed run', 'earlier run', ''];

/**
 * Sorts the clean bucket's objects into the days' current outputs (what each day's current run
 * record names, the record included), failed runs (a failed run's own record and its rejected
 * rows), earlier runs (superseded run-scoped outputs) and the rest (e.g. scale-out staging).
 */
export async function classifyOutputs(objects: readonly StoredObject[]): Promise<ClassifiedObject[]> {
  const current = new Map<string, string>();
  const failed = new Map<string, string>();
  for (const object of objects) {
    const isCurrent = CURRENT_RECORD.test(object.key);
    if (!isCurrent && !RUN_SCOPED_RECORD.test(object.key)) continue;
    const record = await readRecord(object.file);
    const run = typeof record.runId === 'string' ? record.runId : '';
    if (isCurrent) for (const key of [object.key, ...keysOf(record)]) current.set(key, run);
    else if (record.status === 'failed')
      for (const key of [object.key, ...keysOf(record)]) failed.set(key, run);
  }
  const classified = objects.map((object): ClassifiedObject => {
    const runInKey = RUN_IN_KEY.exec(object.key)?.[1] ?? '';
    const state: OutputState = current.has(object.key)
      ? 'current'
      : failed.has(object.key)
        ? 'failed run'
        : runInKey !== '' && !object.key.startsWith('scale-out/')
          ? 'earlier run'
          : '';
    return { ...object, state, run: current.get(object.key) ?? failed.get(object.key) ?? runInKey };
  });
  return classified.sort(
    (a, b) => STATE_ORDER.indexOf(a.state) - STATE_ORDER.indexOf(b.state) || a.key.localeCompare(b.key),
  );
}
