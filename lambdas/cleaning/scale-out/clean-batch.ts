import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { PipelineConfig } from '../../shared/function-env';
import { InvalidRequest } from '../../shared/errors';
import { cleanBatch } from './batch-cleaner';
import { SCALE_OUT_PREFIX, type BatchEvent, type BatchItem, type BatchResult } from './scale-out-payloads';
import { readObjectText } from './map-results';
import { partKey, renderPart } from './part-format';
import { decodeField, parseStagingLine, stagedRecord, type StagedRecord } from './staging-format';

export interface CleanBatchDeps {
  readonly s3: S3Client;
  readonly config: PipelineConfig;
  readonly logger: Logger;
}

async function resolve(deps: CleanBatchDeps, item: BatchItem): Promise<StagedRecord> {
  const spill = item.row.spill ?? '';
  if (spill === '') return stagedRecord(item.row);
  const key = decodeField(spill);
  if (!key.startsWith(SCALE_OUT_PREFIX))
    throw new InvalidRequest(`spill key ${key} is outside ${SCALE_OUT_PREFIX}`);
  return stagedRecord(parseStagingLine(await readObjectText(deps.s3, deps.config.cleanBucket, key)));
}

/**
 * The Distributed Map's worker: cleans one batch of consecutive staging rows and writes its part
 * (see part-format.ts) under the run's parts prefix, named by the batch's first item index, so a
 * retried batch overwrites its own part. Returns only where the part is and a few counts.
 */
export async function cleanBatchStep(deps: CleanBatchDeps, batch: BatchEvent): Promise<BatchResult> {
  const { items, input } = batch;
  deps.logger.appendKeys({ day: input.date, runId: input.runId });
  const firstIndex = items[0]?.index ?? 0;
  const records: StagedRecord[] = [];
  for (const item of items) records.push(await resolve(deps, item));
  const part = cleanBatch(input.date, firstIndex, records);
  const { body, rawOffset } = renderPart(part);
  const key = partKey(input.partsPrefix, firstIndex);
  await deps.s3.send(
    new PutObjectCommand({
      Bucket: deps.config.cleanBucket,
      Key: key,
      Body: body,
      ContentLength: body.length,
      ContentType: 'application/octet-stream',
    }),
  );
  deps.logger.info('batch cleaned', {
    firstIndex,
    rows: items.length,
    key,
    bytes: body.length,
    counts: part.counts,
  });
  return { firstIndex, rows: items.length, key, bytes: body.length, rawOffset, localCounts: part.counts };
}
