/**
 * The scale-out path's Lambda steps, run in-process like the pipeline's (tasks.ts): Prepare,
 * CleanBatch (the Distributed Map's worker) and Combine parse their input with the same parsers and
 * call the same core functions as their handlers, with the local S3 and configuration, behind the
 * same Lambda-like error boundary.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import { Logger } from '@aws-lambda-powertools/logger';

import { cleanBatchStep } from '../../lambdas/cleaning/scale-out/clean-batch';
import { combineDay } from '../../lambdas/cleaning/scale-out/combine-day';
import { prepareDay } from '../../lambdas/cleaning/scale-out/prepare-day';
import { parseBatchEvent, parseCombineInput } from '../../lambdas/cleaning/scale-out/scale-out-payloads';
import type { PipelineConfig } from '../../lambdas/shared/function-env';
import { parseValidatedDay } from '../../lambdas/shared/step-payloads';
import { SCALE_OUT_STATE_NAMES } from '../../lib/workflow/scale-out-names';
import { lambdaBoundary, type LocalLogLevel, type TaskHandler } from './tasks';

export interface ScaleOutStepDeps {
  readonly s3: S3Client;
  readonly config: PipelineConfig;
  /** @default 'SILENT' */
  readonly logLevel?: LocalLogLevel;
}

/** Handlers for the Prepare, CleanBatch and Combine states, by state name. */
export function scaleOutStepHandlers(deps: ScaleOutStepDeps): Record<string, TaskHandler> {
  const { s3, config } = deps;
  const logger = (serviceName: string): Logger =>
    new Logger({ serviceName, logLevel: deps.logLevel ?? 'SILENT' });
  return {
    [SCALE_OUT_STATE_NAMES.prepare]: lambdaBoundary((day) =>
      prepareDay({ s3, config, logger: logger('scale-out-prepare') }, parseValidatedDay(day)),
    ),
    [SCALE_OUT_STATE_NAMES.worker]: lambdaBoundary((batch) =>
      cleanBatchStep({ s3, config, logger: logger('scale-out-clean-batch') }, parseBatchEvent(batch)),
    ),
    [SCALE_OUT_STATE_NAMES.combine]: lambdaBoundary((state) =>
      combineDay({ s3, config, logger: logger('scale-out-combine') }, parseCombineInput(state)),
    ),
  };
}
