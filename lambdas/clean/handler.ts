import { S3Client } from '@aws-sdk/client-s3';
import { Logger } from '@aws-lambda-powertools/logger';
import type { Handler } from 'aws-lambda';
import { loadPipelineConfig } from '../shared/function-env';
import { parseValidatedDay, type CleanResult } from '../shared/step-payloads';
import { cleanDay } from '../cleaning/clean-day';

const s3 = new S3Client({});
const logger = new Logger({ serviceName: 'clean' });

export const handler = (async (event: unknown) => {
  const day = parseValidatedDay(event);
  return cleanDay({ s3, logger, config: loadPipelineConfig(process.env) }, day);
}) satisfies Handler<unknown, CleanResult>;
