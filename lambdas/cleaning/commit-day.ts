import type { Logger } from '@aws-lambda-powertools/logger';
import type { PipelineConfig } from '../shared/function-env';
import type { CleanResult, RowCounts, SourceObject, ValidatedDay } from '../shared/step-payloads';
import { TooManyRejectedRows } from '../shared/errors';
import type { CleanOutputs } from './clean-outputs';
import type { CleanTotals } from './clean-stream';

const percent = (share: number): string => `${(share * 100).toFixed(2)}%`;

/** SPEC §2: a day whose rejected share is strictly above the threshold fails. */
export function isOverThreshold(counts: RowCounts, threshold: number): boolean {
  return counts.read > 0 && counts.rejected / counts.read > threshold;
}

export interface CommitDayInput {
  readonly day: ValidatedDay;
  readonly source: SourceObject;
  readonly format: CleanResult['format'];
  readonly totals: CleanTotals;
  /** When the day's cleaning started (the run record's timings). */
  readonly startedAt: Date;
}

/**
 * The end of a clean, shared by the single-Lambda path and the scale-out Combine: over the
 * rejected-share threshold, only the rejected rows are committed (for diagnosis) and the day fails
 * with TooManyRejectedRows naming the first reasons; otherwise every output is committed, the run
 * record last, and returned. On failure the caller aborts the outputs.
 */
export async function commitDay(
  outputs: CleanOutputs,
  config: PipelineConfig,
  logger: Logger,
  input: CommitDayInput,
): Promise<CleanResult> {
  const { counts, aggregates, firstRejections } = input.totals;
  if (isOverThreshold(counts, config.rejectedThreshold)) {
    await outputs.commitRejectedOnly();
    const reasons = firstRejections.map((r) => `line ${r.line} ${r.reason} (${r.detail})`).join('; ');
    logger.warn('too many rejected rows', { counts, firstRejections });
    throw new TooManyRejectedRows(
      `${counts.rejected} of ${counts.read} rows rejected (${percent(counts.rejected / counts.read)}), ` +
        `above the ${percent(config.rejectedThreshold)} threshold; first: ${reasons}; ` +
        `all in s3://${config.cleanBucket}/${outputs.keys.rejected}`,
    );
  }
  let result: CleanResult | undefined;
  await outputs.commit((outputKeys) => {
    const finishedAt = new Date();
    result = {
      date: input.day.date,
      runId: input.day.runId,
      source: input.source,
      format: input.format,
      counts,
      aggregates,
      outputs: outputKeys,
      firstRejections,
      timings: {
        startedAt: input.startedAt.toISOString(),
        finishedAt: finishedAt.toISOString(),
        millis: finishedAt.getTime() - input.startedAt.getTime(),
      },
      codeVersion: config.codeVersion,
    };
    return result;
  });
  if (result === undefined) throw new Error('run record was not built');
  return result;
}
