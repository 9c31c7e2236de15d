import { S3Client } from '@aws-sdk/client-s3';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';
import type { Context, Handler } from 'aws-lambda';
import { METRIC_STEPS } from '../shared/metric-names';
import { observeStep } from '../shared/observed-step';
import { loadPipelineConfig } from '../shared/function-env';
import { parseExecutionInput, type SupersededDay, type ValidatedDay } from '../shared/step-payloads';
import { validateDay } from './validate-day';

const tracer = new Tracer();
const s3 = tracer.captureAWSv3Client(new S3Client({}));
const logger = new Logger({ serviceName: 'validate' });
const metrics = new Metrics({ defaultDimensions: { step: METRIC_STEPS.validate } });

export const handler = (async (event: unknown, context: Context) =>
  observeStep({ logger, metrics, context }, async () => {
    const input = parseExecutionInput(event);
    return validateDay({ s3, logger, config: loadPipelineConfig(process.env) }, input);
  })) satisfies Handler<unknown, ValidatedDay | SupersededDay>;
