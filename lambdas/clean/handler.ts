import { S3Client } from '@aws-sdk/client-s3';
import { Logger } from '@aws-lambda-powertools/logger';
import { loadPipelineConfig } from '../shared/function-env';
import type { CleanResult } from '../shared/step-payloads';
import { cleanDay } from '../cleaning/clean-day';
import { parseValidatedDay } from '../cleaning/parse-validated-day';

const s3 = new S3Client({});
const logger = new Logger({ serviceName: 'clean' });

export const handler = async (event: unknown): Promise<CleanResult> =>
  cleanDay({ s3, logger, config: loadPipelineConfig(process.env) }, parseValidatedDay(event));
