import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { InvalidRequest } from '../../shared/errors';
import { parseBatchResult, type BatchResult, type MapRunOutput } from './scale-out-payloads';

interface ResultFile {
  readonly Key: string;
}
interface Manifest {
  readonly DestinationBucket?: string;
  readonly ResultFiles?: Partial<Record<'SUCCEEDED' | 'FAILED' | 'PENDING', readonly ResultFile[]>>;
}

export async function readObjectText(s3: S3Client, bucket: string, key: string): Promise<string> {
  const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  if (out.Body === undefined) throw new Error(`GetObject s3://${bucket}/${key} returned no body`);
  return out.Body.transformToString('utf8');
}

/** A result file holds a JSON array (OutputType JSON) or JSON Lines (JSONL). */
function resultEntries(text: string): unknown[] {
  const trimmed = text.trim();
  if (trimmed === '') return [];
  if (trimmed.startsWith('[')) return JSON.parse(trimmed) as unknown[];
  return trimmed.split('\n').map((line) => JSON.parse(line) as unknown);
}

/**
 * A child execution's output: the entry itself with Transformation COMPACT, or its `Output` (a JSON
 * string) with NONE, where the entry also carries the execution's metadata.
 */
function outputOf(entry: unknown): unknown {
  const record = entry as { Output?: unknown; Status?: unknown } | null;
  if (record !== null && typeof record === 'object' && typeof record.Output === 'string') {
    return JSON.parse(record.Output) as unknown;
  }
  return entry;
}

/**
 * The workers' results of one Map Run, from the ResultWriter's manifest and result files. Every
 * child must have succeeded (the Map tolerates no failure, so a FAILED or PENDING file here means
 * the Map Run did not finish as the state machine says it did).
 */
export async function readBatchResults(s3: S3Client, map: MapRunOutput): Promise<BatchResult[]> {
  const manifest = JSON.parse(await readObjectText(s3, map.resultBucket, map.manifestKey)) as Manifest;
  const files = manifest.ResultFiles ?? {};
  const unfinished = [...(files.FAILED ?? []), ...(files.PENDING ?? [])];
  if (unfinished.length > 0) {
    throw new InvalidRequest(
      `map run ${map.mapRunArn ?? map.manifestKey} has failed or pending children: ${unfinished.map((f) => f.Key).join(', ')}`,
    );
  }
  const bucket = manifest.DestinationBucket ?? map.resultBucket;
  const results: BatchResult[] = [];
  for (const file of files.SUCCEEDED ?? []) {
    const entries = resultEntries(await readObjectText(s3, bucket, file.Key));
    entries.forEach((entry, i) => results.push(parseBatchResult(outputOf(entry), `${file.Key}[${i}]`)));
  }
  return results;
}

/**
 * The batches in file order, checked to cover the staging rows exactly once: the first starts at
 * item 0, each next one where the previous ended, the last ends at `rows`. Anything else (a batch
 * missing, run twice into the results, or overlapping) would break the exactness of the combine.
 */
export function inFileOrder(results: readonly BatchResult[], rows: number): BatchResult[] {
  const sorted = [...results].sort((a, b) => a.firstIndex - b.firstIndex);
  let next = 0;
  for (const batch of sorted) {
    if (batch.firstIndex !== next || batch.rows === 0) {
      throw new InvalidRequest(
        `map results do not tile the ${rows} staging rows: expected a batch at item ${next}, found one at ${batch.firstIndex} (${batch.rows} rows)`,
      );
    }
    next += batch.rows;
  }
  if (next !== rows) {
    throw new InvalidRequest(`map results cover ${next} of the ${rows} staging rows`);
  }
  return sorted;
}
