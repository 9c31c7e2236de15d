import { S3Client } from '@aws-sdk/client-s3';
import { Logger } from '@aws-lambda-powertools/logger';
import type { Handler } from 'aws-lambda';
import { loadPipelineConfig } from '../shared/function-env';
import type { CleanResult } from '../shared/step-payloads';
import { combineDay } from '../cleaning/scale-out/combine-day';
import { parseCombineInput } from '../cleaning/scale-out/scale-out-payloads';

const s3 = new S3Client({});
const logger = new Logger({ serviceName: 'scale-out-combine' });

export const handler = (async (event: unknown) => {
  const state = parseCombineInput(event);
  return combineDay({ s3, logger, config: loadPipelineConfig(process.env) }, state);
}) satisfies Handler<unknown, CleanResult>;
