import type { S3Client } from '@aws-sdk/client-s3';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { PipelineConfig } from '../shared/config';
import type {
  CleanOutputs as CleanOutputKeys,
  CleanResult,
  RowCounts,
  ValidatedDay,
} from '../shared/contracts';
import { TooManyRejectedRows } from '../shared/errors';
import { CleanOutputs } from './clean-outputs';
import { cleanCsvBytes, expectedUsers, type CleanTotals } from './clean-stream';
import { openSource, type OpenedSource } from './open-source';
import { outputKeys } from './output-keys';

export interface CleanDeps {
  readonly s3: S3Client;
  readonly config: PipelineConfig;
  readonly logger: Logger;
  /** Output part size; tests lower it to exercise multipart uploads. @default 5 MiB */
  readonly partSizeBytes?: number;
}

const percent = (share: number): string => `${(share * 100).toFixed(2)}%`;

function isOverThreshold(counts: RowCounts, threshold: number): boolean {
  return counts.read > 0 && counts.rejected / counts.read > threshold;
}

function runRecord(
  day: ValidatedDay,
  source: OpenedSource,
  totals: CleanTotals,
  outputs: CleanOutputKeys,
  startedAt: Date,
  codeVersion: string,
): CleanResult {
  const finishedAt = new Date();
  return {
    date: day.date,
    runId: day.runId,
    source: source.object,
    format: source.format,
    counts: totals.counts,
    aggregates: totals.aggregates,
    outputs,
    firstRejections: totals.firstRejections,
    timings: {
      startedAt: startedAt.toISOString(),
      finishedAt: finishedAt.toISOString(),
      millis: finishedAt.getTime() - startedAt.getTime(),
    },
    codeVersion,
  };
}

/**
 * The Clean step: streams the day's object from S3 (zip, gzip or CSV), applies SPEC's rules and
 * writes the cleaned dataset, the valid searches (+ COPY manifest), the rejected rows and the run
 * record. Outputs become visible only after the whole input was read and the rejected share passed;
 * any failure aborts them. Returns the run record: counts and keys, never the data.
 */
export async function cleanDay(deps: CleanDeps, day: ValidatedDay): Promise<CleanResult> {
  const { s3, config, logger } = deps;
  const startedAt = new Date();
  logger.appendKeys({ day: day.date, runId: day.runId });
  const keys = outputKeys(config, day.compactDate);
  const outputs = new CleanOutputs(s3, config.cleanBucket, keys, deps.partSizeBytes);
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
    const { counts, aggregates, firstRejections } = totals;

    if (isOverThreshold(counts, config.rejectedThreshold)) {
      await outputs.commitRejectedOnly();
      const reasons = firstRejections.map((r) => `line ${r.line} ${r.reason} (${r.detail})`).join('; ');
      logger.warn('too many rejected rows', { counts, firstRejections });
      throw new TooManyRejectedRows(
        `${counts.rejected} of ${counts.read} rows rejected (${percent(counts.rejected / counts.read)}), ` +
          `above the ${percent(config.rejectedThreshold)} threshold; first: ${reasons}; ` +
          `all in s3://${config.cleanBucket}/${keys.rejected}`,
      );
    }

    let result: CleanResult | undefined;
    await outputs.commit((outputKeys) => {
      result = runRecord(day, source, totals, outputKeys, startedAt, config.codeVersion);
      return result;
    });
    if (result === undefined) throw new Error('run record was not built');
    logger.info('day cleaned', { counts, aggregates, millis: result.timings.millis });
    return result;
  } catch (error) {
    await outputs.abort().catch((abortError: unknown) => {
      // The lifecycle rule for incomplete multipart uploads removes what could not be aborted.
      logger.warn('could not abort an output upload', { error: abortError as Error });
    });
    throw error;
  }
}
