import type { S3Client } from '@aws-sdk/client-s3';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { PipelineConfig } from '../shared/function-env';
import type { ExecutionInput, ValidatedDay } from '../shared/step-payloads';
import { resolveDayRequest } from './day-request';
import { findSourceObject } from './find-source';

export interface ValidateDeps {
  readonly s3: S3Client;
  readonly config: PipelineConfig;
  readonly logger: Logger;
}

/** The Validate step: which day, and which one object holds it. */
export async function validateDay(deps: ValidateDeps, input: ExecutionInput): Promise<ValidatedDay> {
  const request = resolveDayRequest(input);
  deps.logger.appendKeys({ day: request.date, runId: request.runId });
  const source = await findSourceObject(
    deps.s3,
    deps.config.incomingBucket,
    deps.config.incomingPrefix,
    request.compactDate,
  );
  deps.logger.info('input found', { key: source.key, bytes: source.bytes, etag: source.etag });
  return {
    date: request.date,
    compactDate: request.compactDate,
    source,
    runId: request.runId,
    // Only when set, so the usual payload is unchanged; Clean (or Combine) applies it at commit.
    ...(request.allowVolumeDrop ? { allowVolumeDrop: true } : {}),
  };
}
