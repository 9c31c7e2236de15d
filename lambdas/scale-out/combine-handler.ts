import { S3Client } from '@aws-sdk/client-s3';
import { Logger } from '@aws-lambda-powertools/logger';
import { loadPipelineConfig } from '../shared/function-env';
import type { CleanResult } from '../shared/step-payloads';
import { combineDay } from '../cleaning/scale-out/combine-day';

const s3 = new S3Client({});
const logger = new Logger({ serviceName: 'scale-out-combine' });

export const handler = async (event: unknown): Promise<CleanResult> =>
  combineDay({ s3, logger, config: loadPipelineConfig(process.env) }, event);
