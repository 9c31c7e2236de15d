import type { S3Client } from '@aws-sdk/client-s3';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { PipelineConfig } from '../shared/function-env';
import { InputNotArrived, InputNotFound } from '../shared/errors';
import type { ExecutionInput, SourceObject, SupersededDay, ValidatedDay } from '../shared/step-payloads';
import { resolveDayRequest } from './day-request';
import { findSourceObject } from './find-source';
import { bareEtag } from '../shared/s3-etag';

export interface ValidateDeps {
  readonly s3: S3Client;
  readonly config: PipelineConfig;
  readonly logger: Logger;
}

/**
 * The Validate step: which day, and which one object holds it. A run started for one object version
 * (`source`) that is no longer the day's file ends as superseded (the newer version's event starts
 * its own run). A scheduled run (`scheduled`) that finds no file fails with InputNotArrived, which
 * is not retried: the file's arrival starts its run, and a retry could load the day a second time.
 */
export function validateDay(
  deps: ValidateDeps,
  input: ExecutionInput & { readonly source?: undefined },
): Promise<ValidatedDay>;
export function validateDay(deps: ValidateDeps, input: ExecutionInput): Promise<ValidatedDay | SupersededDay>;
export async function validateDay(
  deps: ValidateDeps,
  input: ExecutionInput,
): Promise<ValidatedDay | SupersededDay> {
  const request = resolveDayRequest(input);
  deps.logger.appendKeys({ day: request.date, runId: request.runId });
  const { incomingBucket, incomingPrefix } = deps.config;
  const find = () => findSourceObject(deps.s3, incomingBucket, incomingPrefix, request.compactDate);
  let source: SourceObject;
  if (input.source !== undefined) {
    const expected = input.source;
    const found = await find().catch((error: unknown) => {
      // Removed, or replaced under another name (whose own event starts its run): not this run's to load.
      if (error instanceof InputNotFound) return undefined;
      throw error;
    });
    if (found === undefined || !isSameVersion(expected, found)) {
      const superseded: SupersededDay['superseded'] = {
        expected,
        ...(found === undefined ? {} : { found: { key: found.key, etag: found.etag } }),
      };
      deps.logger.info('superseded: the day file is not the version this run was started for', superseded);
      return { date: request.date, compactDate: request.compactDate, runId: request.runId, superseded };
    }
    source = found;
  } else {
    source = await find().catch((error: unknown) => {
      if (input.scheduled === true && error instanceof InputNotFound) {
        throw new InputNotArrived(
          `${error.message} at the scheduled time; the file's arrival will start its run`,
          { cause: error },
        );
      }
      throw error;
    });
  }
  deps.logger.info('input found', { key: source.key, bytes: source.bytes, etag: source.etag });
  return {
    date: request.date,
    compactDate: request.compactDate,
    source,
    runId: request.runId,
    // Only when set, so the usual payload is unchanged; Clean (or Combine) applies it at commit.
    ...(request.allowVolumeDrop ? { allowVolumeDrop: true } : {}),
    // Only when set; Clean (or Combine) hands it to Load in its result.
    ...(input.skipIfLoaded === true ? { skipIfLoaded: true } : {}),
  };
}

const isSameVersion = (expected: { key: string; etag: string }, found: SourceObject): boolean =>
  expected.key === found.key && bareEtag(expected.etag) === found.etag;
