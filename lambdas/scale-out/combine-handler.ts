import { S3Client } from '@aws-sdk/client-s3';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';
import type { Context, Handler } from 'aws-lambda';
import { METRIC_STEPS } from '../shared/metric-names';
import { observeStep } from '../shared/observed-step';
import { cleanMetrics } from '../shared/step-metrics';
import { loadPipelineConfig } from '../shared/function-env';
import type { CleanResult } from '../shared/step-payloads';
import { combineDay } from '../cleaning/scale-out/combine-day';
import { parseCombineInput } from '../cleaning/scale-out/scale-out-payloads';

const tracer = new Tracer();
const s3 = tracer.captureAWSv3Client(new S3Client({}));
const logger = new Logger({ serviceName: 'scale-out-combine' });
// Combine returns the day's Clean result on the scale-out path: its day metrics count as Clean's.
const metrics = new Metrics({ defaultDimensions: { step: METRIC_STEPS.clean } });

export const handler = (async (event: unknown, context: Context) =>
  observeStep(
    { logger, metrics, context },
    async () => {
      const state = parseCombineInput(event);
      return combineDay({ s3, logger, config: loadPipelineConfig(process.env) }, state);
    },
    cleanMetrics,
  )) satisfies Handler<unknown, CleanResult>;
