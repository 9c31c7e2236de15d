import { S3Client } from '@aws-sdk/client-s3';
import { Logger } from '@aws-lambda-powertools/logger';
import type { Handler } from 'aws-lambda';
import { loadPipelineConfig } from '../shared/function-env';
import { parseExecutionInput, type ValidatedDay } from '../shared/step-payloads';
import { validateDay } from './validate-day';

const s3 = new S3Client({});
const logger = new Logger({ serviceName: 'validate' });

export const handler = (async (event: unknown) => {
  const input = parseExecutionInput(event);
  return validateDay({ s3, logger, config: loadPipelineConfig(process.env) }, input);
}) satisfies Handler<unknown, ValidatedDay>;
