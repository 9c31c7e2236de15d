import type { S3Client } from '@aws-sdk/client-s3';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { PipelineConfig } from '../shared/function-env';
import type { CleanResult, ValidatedDay } from '../shared/step-payloads';
import { CleanOutputs } from './clean-outputs';
import { cleanCsvBytes, expectedUsers } from './clean-stream';
import { commitDay } from './commit-day';
import { openSource } from './source-object';
import { outputKeys } from './output-keys';

export interface CleanDeps {
  readonly s3: S3Client;
  readonly config: PipelineConfig;
  readonly logger: Logger;
  /** Output part size; tests lower it to exercise multipart uploads. @default 5 MiB */
  readonly partSizeBytes?: number;
}

/**
 * The Clean step: streams the day's object from S3 (zip, gzip or CSV), applies the contract's rules and
 * writes the cleaned dataset, the valid searches (+ COPY manifest), the rejected rows and the run
 * record. Outputs become visible only after the whole input was read and the rejected share passed;
 * any failure aborts them. Returns the run record: counts and keys, never the data.
 */
export async function cleanDay(deps: CleanDeps, day: ValidatedDay): Promise<CleanResult> {
  const { s3, config, logger } = deps;
  const startedAt = new Date();
  logger.appendKeys({ day: day.date, runId: day.runId });
  const keys = outputKeys(config, day.compactDate, day.runId);
  const outputs = new CleanOutputs(s3, config.cleanBucket, keys, day.runId, deps.partSizeBytes);
  try {
    const source = await openSource(s3, day.source);
    logger.info('reading input', {
      key: source.object.key,
      format: source.format,
      bytes: source.object.bytes,
    });
    const totals = await cleanCsvBytes(day.date, source.bytes, outputs, {
      expectedUsers: expectedUsers(source.object.bytes, source.format),
    });
    const result = await commitDay(
      outputs,
      { s3, config, logger },
      {
        day,
        source: source.object,
        format: source.format,
        totals,
        startedAt,
      },
    );
    logger.info('day cleaned', {
      counts: result.counts,
      aggregates: result.aggregates,
      millis: result.timings.millis,
    });
    return result;
  } catch (error) {
    await outputs.abort().catch((abortError: unknown) => {
      // The lifecycle rule for incomplete multipart uploads removes what could not be aborted.
      logger.warn('could not abort an output upload', { error: abortError as Error });
    });
    throw error;
  }
}
