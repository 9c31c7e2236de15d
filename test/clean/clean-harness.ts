/** Runs the Clean step (after the real Validate step) against the embedded S3, and reads what it wrote. */
import { Logger } from '@aws-lambda-powertools/logger';
import { cleanDay } from '../../lambdas/cleaning/clean-day';
import { outputKeys } from '../../lambdas/cleaning/output-keys';
import type { PipelineConfig } from '../../lambdas/shared/function-env';
import type { CleanResult, ValidatedDay } from '../../lambdas/shared/step-payloads';
import { validateDay } from '../../lambdas/validate/validate-day';
import { putTestObject, readTestObject, type TestS3 } from '../support/s3';

export const INCOMING = 'incoming';
export const CLEAN = 'clean';

export const config: PipelineConfig = {
  incomingBucket: INCOMING,
  incomingPrefix: 'user-data/',
  cleanBucket: CLEAN,
  cleanPrefix: 'user-data-clean/',
  rejectedThreshold: 1,
  codeVersion: 'test-1',
  // Tests use consecutive days of very different sizes: only the no-rows rule applies unless a test sets these.
  volumeMinShare: 0,
  volumeLookbackDays: 0,
};

export const logger = new Logger({ serviceName: 'clean-test', logLevel: 'SILENT' });

let dayNumber = 0;
/** A fresh day per call, so tests never see each other's objects. */
export function nextDate(): string {
  dayNumber++;
  return new Date(Date.UTC(2021, 0, 1) + dayNumber * 86_400_000).toISOString().slice(0, 10);
}

export interface DayOutputs {
  readonly cleaned?: string;
  readonly validSearches?: string;
  readonly manifest?: string;
  readonly rejected?: string;
  readonly runRecord?: string;
  readonly runScopedRecord?: string;
}

/** The day's outputs as run `runId` wrote them (its run-scoped keys; the current ones at their fixed names). */
export async function readOutputs(s3: TestS3, date: string, runId = `run-${date}`): Promise<DayOutputs> {
  const keys = outputKeys(config, date.replaceAll('-', ''), runId);
  const read = async (key: string): Promise<string | undefined> =>
    (await readTestObject(s3.client, CLEAN, key))?.toString('utf8');
  return {
    cleaned: await read(keys.cleaned),
    validSearches: await read(keys.validSearches),
    manifest: await read(keys.validSearchesManifest),
    rejected: await read(keys.rejected),
    runRecord: await read(keys.runRecord),
    runScopedRecord: await read(keys.runScopedRecord),
  };
}

export interface CleanRun {
  readonly date: string;
  readonly day: ValidatedDay;
  readonly result?: CleanResult;
  readonly error?: unknown;
}

export interface CleanInput {
  readonly body: string | Uint8Array;
  /** @default '.csv' */
  readonly ext?: '.csv' | '.zip' | '.csv.gz';
  readonly date?: string;
  readonly config?: Partial<PipelineConfig>;
  readonly partSizeBytes?: number;
  /** The execution's run id. @default `run-<date>` */
  readonly runId?: string;
  /** The execution input's `allowVolumeDrop`. @default absent */
  readonly allowVolumeDrop?: boolean;
}

/** Puts the day file, validates the day, cleans it; returns the result or the error. */
export async function runClean(s3: TestS3, input: CleanInput): Promise<CleanRun> {
  const date = input.date ?? nextDate();
  const key = `${config.incomingPrefix}session_user_data${date.replaceAll('-', '')}${input.ext ?? '.csv'}`;
  await putTestObject(s3.client, INCOMING, key, input.body);
  const merged = { ...config, ...input.config };
  const day = await validateDay(
    { s3: s3.client, config: merged, logger },
    {
      date,
      runId: input.runId ?? `run-${date}`,
      ...(input.allowVolumeDrop === undefined ? {} : { allowVolumeDrop: input.allowVolumeDrop }),
    },
  );
  try {
    const result = await cleanDay(
      { s3: s3.client, config: merged, logger, partSizeBytes: input.partSizeBytes },
      day,
    );
    return { date, day, result };
  } catch (error) {
    return { date, day, error };
  }
}

/** The valid searches CSV rows, without the header. */
export const dataRows = (csv: string | undefined): string[] => (csv ?? '').split('\n').slice(1, -1);
