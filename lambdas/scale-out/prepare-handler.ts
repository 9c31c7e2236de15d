import { S3Client } from '@aws-sdk/client-s3';
import { Logger } from '@aws-lambda-powertools/logger';
import type { Handler } from 'aws-lambda';
import { loadPipelineConfig } from '../shared/function-env';
import { parseValidatedDay } from '../shared/step-payloads';
import type { PreparedDay } from '../cleaning/scale-out/scale-out-payloads';
import { prepareDay } from '../cleaning/scale-out/prepare-day';

const s3 = new S3Client({});
const logger = new Logger({ serviceName: 'scale-out-prepare' });

export const handler = (async (event: unknown) => {
  const day = parseValidatedDay(event);
  return prepareDay({ s3, logger, config: loadPipelineConfig(process.env) }, day);
}) satisfies Handler<unknown, PreparedDay>;
