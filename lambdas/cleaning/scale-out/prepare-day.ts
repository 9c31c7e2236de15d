import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { Logger } from '@aws-lambda-powertools/logger';
import { csvRecordBatches } from '../csv-records';
import { openSource } from '../source-object';
import { decodeUtf8Text } from '../utf8-text';
import type { PipelineConfig } from '../../shared/function-env';
import type { ValidatedDay } from '../../shared/step-payloads';
import { MalformedInput } from '../../shared/errors';
import { S3MultipartWriter } from '../../shared/s3-multipart';
import { stagingKeys, type PreparedDay } from './scale-out-payloads';
import { recordLayout, toStagedRecord, type RecordLayout } from './csv-level';
import { SPILL_CHARS, spilledLine, STAGING_HEADER, stagingLine } from './staging-format';

export interface PrepareDeps {
  readonly s3: S3Client;
  readonly config: PipelineConfig;
  readonly logger: Logger;
  /** Staging part size; tests lower it to exercise multipart uploads. @default 5 MiB */
  readonly partSizeBytes?: number;
}

const CSV = 'text/csv; charset=utf-8';

/**
 * The scale-out path's first step: streams the day's object (zip, gzip or CSV, decompressed as it
 * streams: the Map's CSV ItemReader cannot read a zip), reads it with the single path's own CSV
 * reader and header rule, and writes the staging CSV (see staging-format.ts): one line per record,
 * numbered as the single path numbers it, CSV-level rejections already decided. Fails exactly where
 * the single path fails (unreadable archive, not UTF-8, no usable header), before any worker starts.
 */
export async function prepareDay(deps: PrepareDeps, day: ValidatedDay): Promise<PreparedDay> {
  const { s3, config, logger } = deps;
  const startedAt = new Date();
  logger.appendKeys({ day: day.date, runId: day.runId });
  const keys = stagingKeys(day.runId);
  const bucket = config.cleanBucket;
  const writer = new S3MultipartWriter({
    s3,
    bucket,
    key: keys.staging,
    contentType: CSV,
    partSizeBytes: deps.partSizeBytes,
  });
  writer.write(STAGING_HEADER);
  try {
    const source = await openSource(s3, day.source);
    logger.info('staging input', {
      key: source.object.key,
      format: source.format,
      bytes: source.object.bytes,
    });
    let layout: RecordLayout | undefined;
    let rows = 0;
    let spilled = 0;
    for await (const batch of csvRecordBatches(decodeUtf8Text(source.bytes))) {
      for (const record of batch) {
        if (layout === undefined) {
          layout = recordLayout(record.fields);
          continue;
        }
        const line = stagingLine(toStagedRecord(record, layout));
        rows++;
        if (line.length <= SPILL_CHARS) {
          writer.write(line);
          continue;
        }
        const spillKey = `${keys.spillPrefix}${record.line}.csv`;
        await s3.send(new PutObjectCommand({ Bucket: bucket, Key: spillKey, Body: line, ContentType: CSV }));
        writer.write(spilledLine(record.line, spillKey));
        spilled++;
      }
      await writer.drain();
    }
    if (layout === undefined) throw new MalformedInput('empty file: no header row');
    const staged = await writer.complete();
    logger.info('staging written', { key: keys.staging, rows, spilled, bytes: staged.bytes });
    return {
      date: day.date,
      runId: day.runId,
      source: source.object,
      format: source.format,
      staging: { bucket, key: keys.staging, rows, bytes: staged.bytes, spilled },
      partsPrefix: keys.partsPrefix,
      resultsPrefix: keys.resultsPrefix,
      startedAt: startedAt.toISOString(),
    };
  } catch (error) {
    await writer.abort().catch((abortError: unknown) => {
      logger.warn('could not abort the staging upload', { error: abortError as Error });
    });
    throw error;
  }
}
