import { S3Client } from '@aws-sdk/client-s3';
import { Logger } from '@aws-lambda-powertools/logger';
import type { Handler } from 'aws-lambda';
import { loadPipelineConfig } from '../shared/function-env';
import { cleanBatchStep } from '../cleaning/scale-out/clean-batch';
import { parseBatchEvent, type BatchResult } from '../cleaning/scale-out/scale-out-payloads';

const s3 = new S3Client({});
const logger = new Logger({ serviceName: 'scale-out-clean-batch' });

export const handler = (async (event: unknown) => {
  const batch = parseBatchEvent(event);
  return cleanBatchStep({ s3, logger, config: loadPipelineConfig(process.env) }, batch);
}) satisfies Handler<unknown, BatchResult>;
