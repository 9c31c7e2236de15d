import type { S3Client } from '@aws-sdk/client-s3';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { PipelineConfig } from '../shared/function-env';
import type { CleanResult, RowCounts, SourceObject, ValidatedDay } from '../shared/step-payloads';
import { SuspiciousVolume, TooManyRejectedRows } from '../shared/errors';
import { describeSuspiciousVolume, judgeVolume } from '../domain/volume-guard';
import type { CleanOutputs } from './clean-outputs';
import type { CleanTotals } from './clean-stream';
import { readRecentVolumes } from './recent-volumes';

const percent = (share: number): string => `${(share * 100).toFixed(2)}%`;

/** contract §2: a day whose rejected share is strictly above the threshold fails. */
export function isOverThreshold(counts: RowCounts, threshold: number): boolean {
  return counts.read > 0 && counts.rejected / counts.read > threshold;
}

export interface CommitDayDeps {
  readonly s3: S3Client;
  readonly config: PipelineConfig;
  readonly logger: Logger;
}

export interface CommitDayInput {
  readonly day: ValidatedDay;
  readonly source: SourceObject;
  readonly format: CleanResult['format'];
  readonly totals: CleanTotals;
  /** When the day's cleaning started (the run record's timings). */
  readonly startedAt: Date;
}

function timings(startedAt: Date): CleanResult['timings'] {
  const finishedAt = new Date();
  return {
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    millis: finishedAt.getTime() - startedAt.getTime(),
  };
}

/**
 * Why the volume guard lives here, in the clean step, and reads only S3: it must run before the
 * day's current outputs are replaced (so a suspicious day leaves them, and therefore the warehouse,
 * untouched), both clean paths end here, and the previous days' kept rows are in their current run
 * records in the clean bucket: a few small GETs, no warehouse query (which on Redshift would cost a
 * Data API round trip and a 60 s minimum charge per query).
 */
async function checkVolume(deps: CommitDayDeps, input: CommitDayInput): Promise<string | undefined> {
  const { config, logger } = deps;
  const { day, totals } = input;
  const recent =
    config.volumeMinShare > 0 && config.volumeLookbackDays > 0
      ? await readRecentVolumes(deps.s3, config.cleanBucket, day.date, config.volumeLookbackDays)
      : [];
  const rule = { minShare: config.volumeMinShare };
  const verdict = judgeVolume(
    totals.counts.kept,
    recent.map((r) => r.kept),
    rule,
  );
  if (!verdict.suspicious) return undefined;
  const message = describeSuspiciousVolume(day.date, verdict, rule);
  if (day.allowVolumeDrop === true) {
    logger.warn('volume drop allowed by the execution input', { message, recent });
    return undefined;
  }
  logger.warn('suspicious volume', { message, recent });
  return message;
}

/**
 * The end of a clean, shared by the single-Lambda path and the scale-out Combine. A run that fails
 * its checks (rejected share above the threshold: TooManyRejectedRows naming the first reasons; a
 * suspicious volume: SuspiciousVolume naming the figures) commits only its rejected rows and its own
 * failed run record, under its run id, and throws: the day's current outputs stay the previous
 * run's. Otherwise every output is committed, the day's current run record last, and returned. On
 * failure the caller aborts the outputs.
 */
export async function commitDay(
  outputs: CleanOutputs,
  deps: CommitDayDeps,
  input: CommitDayInput,
): Promise<CleanResult> {
  const { config, logger } = deps;
  const { counts, aggregates, firstRejections } = input.totals;
  const common = {
    date: input.day.date,
    runId: input.day.runId,
    source: input.source,
    format: input.format,
    counts,
    aggregates,
    firstRejections,
  };
  let failure: TooManyRejectedRows | SuspiciousVolume | undefined;
  if (isOverThreshold(counts, config.rejectedThreshold)) {
    const reasons = firstRejections.map((r) => `line ${r.line} ${r.reason} (${r.detail})`).join('; ');
    logger.warn('too many rejected rows', { counts, firstRejections });
    failure = new TooManyRejectedRows(
      `${counts.rejected} of ${counts.read} rows rejected (${percent(counts.rejected / counts.read)}), ` +
        `above the ${percent(config.rejectedThreshold)} threshold; first: ${reasons}; ` +
        `all in s3://${config.cleanBucket}/${outputs.keys.rejected}`,
    );
  } else {
    const suspicious = await checkVolume(deps, input);
    if (suspicious !== undefined) failure = new SuspiciousVolume(suspicious);
  }
  if (failure) {
    const error = failure;
    await outputs.commitFailedRun((keys) => ({
      ...common,
      outputs: keys,
      error: { name: error.name, message: error.message },
      timings: timings(input.startedAt),
      codeVersion: config.codeVersion,
    }));
    throw error;
  }
  let result: CleanResult | undefined;
  await outputs.commit((outputKeys) => {
    result = {
      ...common,
      outputs: outputKeys,
      timings: timings(input.startedAt),
      codeVersion: config.codeVersion,
      // Only when the run's input asked for it (the Trigger's runs): Load reads it from `$.clean`.
      ...(input.day.skipIfLoaded === true ? { skipIfLoaded: true as const } : {}),
    };
    return result;
  });
  if (result === undefined) throw new Error('run record was not built');
  return result;
}
