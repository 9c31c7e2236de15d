import { S3Client } from '@aws-sdk/client-s3';
import { Logger } from '@aws-lambda-powertools/logger';
import { loadPipelineConfig } from '../shared/function-env';
import type { ValidatedDay } from '../shared/step-payloads';
import { validateDay } from './validate-day';

const s3 = new S3Client({});
const logger = new Logger({ serviceName: 'validate' });

export const handler = async (event: unknown): Promise<ValidatedDay> =>
  validateDay({ s3, logger, config: loadPipelineConfig(process.env) }, event);
