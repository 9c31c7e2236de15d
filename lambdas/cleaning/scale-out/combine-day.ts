import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { Logger } from '@aws-lambda-powertools/logger';
import { CleanOutputs } from '../clean-outputs';
import { commitDay } from '../commit-day';
import { outputKeys } from '../output-keys';
import type { PipelineConfig } from '../../shared/function-env';
import type { CleanResult } from '../../shared/step-payloads';
import { InvalidRequest } from '../../shared/errors';
import type { BatchResult, CombineInput } from './scale-out-payloads';
import { DayCombiner } from './day-combiner';
import { inFileOrder, readBatchResults } from './map-results';
import { parsePart, type Part } from './part-format';
import { prefetchInOrder } from './prefetch';

export interface CombineDeps {
  readonly s3: S3Client;
  readonly config: PipelineConfig;
  readonly logger: Logger;
  /** Output part size; tests lower it to exercise multipart uploads. @default 5 MiB */
  readonly partSizeBytes?: number;
  /** Parts downloaded ahead of the one being combined. @default 8 */
  readonly prefetch?: number;
}

async function readRange(s3: S3Client, bucket: string, key: string, range: string): Promise<Buffer> {
  const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key, Range: range }));
  return Buffer.from((await out.Body?.transformToByteArray()) ?? []);
}

/** A batch's part without its raw section (one ranged read; the raw section is read if needed). */
async function readPart(s3: S3Client, bucket: string, batch: BatchResult): Promise<Part> {
  const part = parsePart(await readRange(s3, bucket, batch.key, `bytes=0-${batch.rawOffset - 1}`), batch.key);
  if (part.firstIndex !== batch.firstIndex || part.entries.length !== batch.rows) {
    throw new InvalidRequest(
      `${batch.key} holds items ${part.firstIndex}+${part.entries.length}, its result says ${batch.firstIndex}+${batch.rows}`,
    );
  }
  return part;
}

async function withRaw(s3: S3Client, bucket: string, batch: BatchResult, part: Part): Promise<Part> {
  if (batch.rawOffset === batch.bytes) return { ...part, raw: '' };
  const raw = await readRange(s3, bucket, batch.key, `bytes=${batch.rawOffset}-${batch.bytes - 1}`);
  return { ...part, raw: raw.toString('utf8') };
}

/**
 * The scale-out path's last step, and its answer to Load: the same CleanResult the Clean step
 * returns, for the same outputs (same keys, same bytes). Reads the Map Run's results, checks that
 * the batches tile the staging rows, then replays the day's dedup over the batches' user indexes in
 * file order (DayCombiner: why that is exact is written there), streaming each batch's rows into the
 * same deferred-commit writers the Clean step uses. The rejected-share rule, the commit order and
 * the run record are the Clean step's.
 *
 * Input: the state at that point, `{day, prepared, map}`, parsed by `parseCombineInput`.
 */
export async function combineDay(deps: CombineDeps, input: CombineInput): Promise<CleanResult> {
  const { s3, config, logger } = deps;
  const { day, prepared, map } = input;
  logger.appendKeys({ day: day.date, runId: day.runId });
  const batches = inFileOrder(await readBatchResults(s3, map), prepared.staging.rows);
  logger.info('combining batches', { batches: batches.length, rows: prepared.staging.rows });

  const keys = outputKeys(config, day.compactDate, day.runId);
  const outputs = new CleanOutputs(s3, config.cleanBucket, keys, day.runId, deps.partSizeBytes);
  const combiner = new DayCombiner(outputs);
  try {
    const parts = prefetchInOrder(batches, deps.prefetch ?? 8, async (batch) => ({
      batch,
      part: await readPart(s3, config.cleanBucket, batch),
    }));
    let rawSectionsRead = 0;
    for await (const { batch, part } of parts) {
      if (combiner.needsRaw(part)) {
        rawSectionsRead++;
        combiner.add(await withRaw(s3, config.cleanBucket, batch, part));
      } else {
        combiner.add(part);
      }
      await outputs.drain();
    }
    const { counts, aggregates, firstRejections } = combiner;

    const result = await commitDay(
      outputs,
      { s3, config, logger },
      {
        day,
        source: prepared.source,
        format: prepared.format,
        totals: { counts, aggregates, firstRejections },
        startedAt: new Date(prepared.startedAt),
      },
    );
    logger.info('day combined', {
      counts,
      aggregates,
      batches: batches.length,
      rawSectionsRead,
      millis: result.timings.millis,
    });
    return result;
  } catch (error) {
    await outputs.abort().catch((abortError: unknown) => {
      logger.warn('could not abort an output upload', { error: abortError as Error });
    });
    throw error;
  }
}
