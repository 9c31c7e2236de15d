/**
 * What flows between the scale-out steps: Prepare's result (`$.prepared`), a worker's batch (the
 * Distributed Map's ItemBatcher output) and its result (one entry of the Map Run's results), and
 * Combine's input. Small records only: the data stays in S3 under the run's staging prefix.
 */
import type { RowCounts, SourceObject } from '../../shared/step-payloads';
import { InvalidRequest } from '../../shared/errors';
import type { StagingRow } from './staging-format';

/** Every object of the scale-out path lives under this prefix of the clean bucket. */
export const SCALE_OUT_PREFIX = 'scale-out/';

/** Where one run keeps its intermediate objects (all under `scale-out/<runId>/`). */
export interface StagingKeys {
  /** The normalized plain CSV the Distributed Map reads. */
  readonly staging: string;
  /** Records too long for a Map item, one object each. */
  readonly spillPrefix: string;
  /** One part object per batch, named by the batch's first item index. */
  readonly partsPrefix: string;
  /** Where the Map Run's ResultWriter writes its manifest and result files. */
  readonly resultsPrefix: string;
}

export function stagingKeys(runId: string): StagingKeys {
  const root = `${SCALE_OUT_PREFIX}${runId}/`;
  return {
    staging: `${root}staging.csv`,
    spillPrefix: `${root}spill/`,
    partsPrefix: `${root}parts/`,
    resultsPrefix: `${root}map`,
  };
}

/** Prepare's result, at `$.prepared`. */
export interface PreparedDay {
  readonly date: string;
  readonly runId: string;
  /** The day object as read (its ETag and size at read time), for lineage. */
  readonly source: SourceObject;
  readonly format: 'zip' | 'gzip' | 'csv';
  readonly staging: {
    readonly bucket: string;
    readonly key: string;
    /** Records after the header: the Map's item count. */
    readonly rows: number;
    readonly bytes: number;
    /** Records written to their own object (too long for a Map item). */
    readonly spilled: number;
  };
  readonly partsPrefix: string;
  readonly resultsPrefix: string;
  /** When Prepare started: the run record's timings cover the whole scale-out path. */
  readonly startedAt: string;
}

/** One item as the Map's ItemSelector shapes it: the row and its index in the staging CSV. */
export interface BatchItem {
  readonly index: number;
  readonly row: StagingRow;
}

/** What every batch of a run shares (the ItemBatcher's BatchInput). */
export interface BatchInput {
  readonly date: string;
  readonly runId: string;
  readonly partsPrefix: string;
}

/** A worker's input: `{"Items": [...], "BatchInput": {...}}`. */
export interface BatchEvent {
  readonly items: readonly BatchItem[];
  readonly input: BatchInput;
}

/** A worker's result: where its part is and what it saw (counts are local to the batch). */
export interface BatchResult {
  readonly firstIndex: number;
  readonly rows: number;
  readonly key: string;
  readonly bytes: number;
  /** Where the part's raw section starts (see part-format.ts). */
  readonly rawOffset: number;
  readonly localCounts: RowCounts;
}

/** Where the Map Run's ResultWriter put its manifest (the Map state's output, at `$.map`). */
export interface MapRunOutput {
  readonly mapRunArn?: string;
  readonly resultBucket: string;
  readonly manifestKey: string;
}

const show = (value: unknown): string => (JSON.stringify(value) ?? String(value)).slice(0, 200);
const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function need<T>(value: unknown, ok: (v: unknown) => boolean, name: string): T {
  if (!ok(value)) throw new InvalidRequest(`${name} is missing or invalid, got ${show(value)}`);
  return value as T;
}
const isString = (v: unknown): boolean => typeof v === 'string' && v !== '';
const isCount = (v: unknown): boolean => Number.isSafeInteger(v) && (v as number) >= 0;

function object(value: unknown, name: string): Record<string, unknown> {
  return need<Record<string, unknown>>(value, isObject, name);
}

export function parsePreparedDay(value: unknown): PreparedDay {
  const p = object(value, 'prepared');
  const staging = object(p.staging, 'prepared.staging');
  const source = object(p.source, 'prepared.source');
  return {
    date: need(p.date, isString, 'prepared.date'),
    runId: need(p.runId, isString, 'prepared.runId'),
    source: {
      bucket: need(source.bucket, isString, 'prepared.source.bucket'),
      key: need(source.key, isString, 'prepared.source.key'),
      etag: need(source.etag, (v) => typeof v === 'string', 'prepared.source.etag'),
      bytes: need(source.bytes, isCount, 'prepared.source.bytes'),
    },
    format: need(p.format, (v) => v === 'zip' || v === 'gzip' || v === 'csv', 'prepared.format'),
    staging: {
      bucket: need(staging.bucket, isString, 'prepared.staging.bucket'),
      key: need(staging.key, isString, 'prepared.staging.key'),
      rows: need(staging.rows, isCount, 'prepared.staging.rows'),
      bytes: need(staging.bytes, isCount, 'prepared.staging.bytes'),
      spilled: need(staging.spilled, isCount, 'prepared.staging.spilled'),
    },
    partsPrefix: need(p.partsPrefix, isString, 'prepared.partsPrefix'),
    resultsPrefix: need(p.resultsPrefix, isString, 'prepared.resultsPrefix'),
    startedAt: need(p.startedAt, isString, 'prepared.startedAt'),
  };
}

export function parseBatchEvent(event: unknown): BatchEvent {
  const e = object(event, 'batch');
  const items = need<unknown[]>(e.Items, (v) => Array.isArray(v) && v.length > 0, 'batch.Items');
  const input = object(e.BatchInput, 'batch.BatchInput');
  return {
    items: items.map((item, i) => {
      const it = object(item, `batch.Items[${i}]`);
      const row = object(it.row, `batch.Items[${i}].row`);
      for (const [column, cell] of Object.entries(row)) {
        need(cell, (v) => typeof v === 'string', `batch.Items[${i}].row.${column}`);
      }
      return { index: need<number>(it.index, isCount, `batch.Items[${i}].index`), row: row as StagingRow };
    }),
    input: {
      date: need(input.date, isString, 'batch.BatchInput.date'),
      runId: need(input.runId, isString, 'batch.BatchInput.runId'),
      partsPrefix: need(
        input.partsPrefix,
        (v) => isString(v) && (v as string).startsWith(SCALE_OUT_PREFIX),
        'batch.BatchInput.partsPrefix',
      ),
    },
  };
}

export function parseBatchResult(value: unknown, where: string): BatchResult {
  const r = object(value, where);
  const counts = object(r.localCounts, `${where}.localCounts`);
  return {
    firstIndex: need(r.firstIndex, isCount, `${where}.firstIndex`),
    rows: need(r.rows, isCount, `${where}.rows`),
    key: need(r.key, isString, `${where}.key`),
    bytes: need(r.bytes, isCount, `${where}.bytes`),
    rawOffset: need(r.rawOffset, isCount, `${where}.rawOffset`),
    localCounts: {
      read: need(counts.read, isCount, `${where}.localCounts.read`),
      kept: need(counts.kept, isCount, `${where}.localCounts.kept`),
      duplicate: need(counts.duplicate, isCount, `${where}.localCounts.duplicate`),
      rejected: need(counts.rejected, isCount, `${where}.localCounts.rejected`),
    },
  };
}

/** The Distributed Map's output with a ResultWriter: `{MapRunArn, ResultWriterDetails: {Bucket, Key}}`. */
export function parseMapRunOutput(value: unknown): MapRunOutput {
  const m = object(value, 'map');
  const details = object(m.ResultWriterDetails, 'map.ResultWriterDetails');
  return {
    ...(typeof m.MapRunArn === 'string' ? { mapRunArn: m.MapRunArn } : {}),
    resultBucket: need(details.Bucket, isString, 'map.ResultWriterDetails.Bucket'),
    manifestKey: need(details.Key, isString, 'map.ResultWriterDetails.Key'),
  };
}
