/**
 * The state machine's Task states, run in-process: Validate / Clean / Load parse their input with the
 * same parsers as the Lambda handlers and call the same core functions, with local dependencies; SNS
 * publish tasks are captured.
 * Results and errors cross the boundary the way Lambda's do: results as JSON, errors as
 * `Error = errorType` with `Cause = {"errorType","errorMessage","trace"}` as a JSON string.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import { Logger, LogLevel } from '@aws-lambda-powertools/logger';

import type { PipelineConfig } from '../../lambdas/shared/function-env';
import { parseExecutionInput, parseValidatedDay } from '../../lambdas/shared/step-payloads';
import { validateDay } from '../../lambdas/validate/validate-day';
import { cleanDay } from '../../lambdas/cleaning/clean-day';
import { loadDay } from '../../lambdas/load/load-day';
import { parseLoadInput } from '../../lambdas/load/load-input';
import type { Warehouse, WarehouseReader } from '../../lambdas/load/warehouse-batch';
import type { AslDefinition } from './resolve-template';
import type { StepName } from './steps';

export type LocalLogLevel = (typeof LogLevel)[keyof typeof LogLevel];

/** A local stand-in for one Task state: JSON in, JSON out (or a thrown error). */
export type TaskHandler = (input: unknown) => Promise<unknown>;

/** Wraps a step, e.g. to inject a fault before or after the real handler. */
export type TaskInterceptor = (step: StepName, input: unknown, next: TaskHandler) => Promise<unknown>;

export interface LocalTaskDeps {
  readonly s3: S3Client;
  readonly config: PipelineConfig;
  readonly warehouse: Warehouse & WarehouseReader;
  /** @default 'SILENT' */
  readonly logLevel?: LocalLogLevel;
  readonly intercept?: TaskInterceptor;
}

/** A message the state machine published to SNS, captured instead of sent. */
export interface CapturedNotification {
  readonly state: string;
  readonly topicArn: string;
  readonly subject?: string;
  /** The message, parsed when it is JSON. */
  readonly message: unknown;
}

/** What a Lambda error looks like to Step Functions: the name matches retriers, the cause is JSON. */
export class LambdaTaskError extends Error {
  constructor(name: string, cause: string) {
    super(cause);
    this.name = name;
  }
}

export function lambdaBoundary(handler: TaskHandler): TaskHandler {
  return async (input) => {
    try {
      const result = await handler(input);
      return result === undefined ? null : (JSON.parse(JSON.stringify(result)) as unknown);
    } catch (error) {
      const err = error instanceof Error ? error : new Error(String(error));
      const payload = { errorType: err.name, errorMessage: err.message, trace: err.stack?.split('\n') ?? [] };
      throw new LambdaTaskError(err.name, JSON.stringify(payload));
    }
  };
}

/** The Validate / Clean / Load handlers, keyed by state name. */
export function stepHandlers(deps: LocalTaskDeps): Record<StepName, TaskHandler> {
  const logger = (serviceName: string): Logger =>
    new Logger({ serviceName, logLevel: deps.logLevel ?? 'SILENT' });
  const { s3, config, warehouse } = deps;
  const core: Record<StepName, TaskHandler> = {
    Validate: (event) => validateDay({ s3, config, logger: logger('validate') }, parseExecutionInput(event)),
    Clean: (day) => cleanDay({ s3, config, logger: logger('clean') }, parseValidatedDay(day)),
    Load: (clean) => loadDay({ warehouse, logger: logger('load') }, parseLoadInput(clean)),
  };
  const intercept = deps.intercept;
  const wrap = (step: StepName): TaskHandler =>
    lambdaBoundary(intercept ? (input) => intercept(step, input, core[step]) : core[step]);
  return { Validate: wrap('Validate'), Clean: wrap('Clean'), Load: wrap('Load') };
}

const LAMBDA_INVOKE = /^arn:[^:]+:states:::lambda:invoke(\.waitForTaskToken)?$/;
const SNS_PUBLISH = /^arn:[^:]+:states:::sns:publish$/;

/**
 * Local handlers for every Task state of `definition`: the pipeline steps by name, SNS publishes
 * captured into `notifications`. Throws if a Task has no local stand-in, so nothing ever calls AWS.
 */
export function localTaskHandlers(
  definition: AslDefinition,
  steps: Readonly<Record<string, TaskHandler>>,
  notifications: CapturedNotification[],
): Record<string, TaskHandler> {
  const handlers: Record<string, TaskHandler> = {};
  for (const [name, state] of Object.entries(definition.States)) {
    if (state.Type !== 'Task') continue;
    const resource = state.Resource ?? '';
    // The pipeline steps, and any other Task with a local handler (the scale-out steps, a localized Map).
    const step = Object.hasOwn(steps, name) ? steps[name] : undefined;
    if (step && LAMBDA_INVOKE.test(resource)) {
      // The non-payloadResponseOnly form: {FunctionName, Payload} in, {Payload, StatusCode} out.
      handlers[name] = async (input) => ({
        StatusCode: 200,
        Payload: await step((input as { Payload?: unknown }).Payload ?? null),
      });
    } else if (step) {
      handlers[name] = step;
    } else if (SNS_PUBLISH.test(resource)) {
      handlers[name] = async (input) => {
        const params = input as { TopicArn?: string; Message?: unknown; Subject?: string };
        notifications.push({
          state: name,
          topicArn: params.TopicArn ?? '',
          ...(params.Subject === undefined ? {} : { subject: params.Subject }),
          message: parseMaybeJson(params.Message),
        });
        return { MessageId: `local-${notifications.length}` };
      };
    } else {
      throw new Error(`Task state ${name} (${resource}) has no local handler`);
    }
  }
  return handlers;
}

function parseMaybeJson(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
}
