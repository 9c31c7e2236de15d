/**
 * The local stand-in for the deployed Trigger on an S3 "Object Created" event: a file of the watched
 * directory is uploaded to the embedded incoming bucket (the object is created), and the same pure
 * decision as the Trigger Lambda's (lambdas/trigger/decide-start.ts, with the event time = now) says
 * whether to start the day's run, under which name and with which input. Starting goes through the
 * work directory's executions by name, so a name already run is refused as Step Functions refuses it.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { DeleteObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';

import { decideArrival, type ArrivalDecision, type StartRequest } from '../../lambdas/trigger/decide-start';
import type { DayResult } from './execute-day';
import { ExecutionAlreadyExists, type ExecutionRecord, type ExecutionRegistry } from './executions';
import type { LocalPipeline } from './runner';
import { bareEtag } from '../../lambdas/shared/s3-etag';

/** What became of one start request. */
export type StartOutcome =
  | { readonly kind: 'ran'; readonly request: StartRequest; readonly result: DayResult }
  /** A start of a running execution with the same name and input: it joined that run (no second run). */
  | { readonly kind: 'joined'; readonly request: StartRequest; readonly result: DayResult }
  /** The name was used before: ExecutionAlreadyExists. */
  | { readonly kind: 'alreadyExists'; readonly request: StartRequest; readonly existing: ExecutionRecord };

export interface LocalTriggerOptions {
  readonly pipeline: LocalPipeline;
  readonly registry: ExecutionRegistry;
  /** Wait before each retry, instead of the definition's intervals. */
  readonly retryIntervalMs?: number;
  /** The events' time. @default () => new Date() */
  readonly now?: () => Date;
}

export interface LocalTrigger {
  /** Uploads `file` as `key` in the incoming bucket and decides, as the Trigger does on its event. */
  arrived(file: string, key: string): Promise<{ readonly etag: string; readonly decision: ArrivalDecision }>;
  /** The decision for an object already uploaded, at the current time (a day left to the schedule). */
  decide(key: string, etag: string): ArrivalDecision;
  /** StartExecution: runs the request unless its name was used; `onStarted` once it runs. */
  start(request: StartRequest, onStarted?: () => void): Promise<StartOutcome>;
  /** Deletes `key` from the incoming bucket (its file left the directory). */
  removed(key: string): Promise<void>;
}

export function localTrigger(options: LocalTriggerOptions): LocalTrigger {
  const { pipeline, registry } = options;
  const now = options.now ?? (() => new Date());
  const bucket = pipeline.config.incomingBucket;
  const decide = (key: string, etag: string): ArrivalDecision =>
    decideArrival({ bucket, key, etag, time: now() }, { prefix: pipeline.config.incomingPrefix });

  return {
    decide,
    async arrived(file, key) {
      const { size } = await stat(file);
      const put = await pipeline.s3.client.send(
        new PutObjectCommand({ Bucket: bucket, Key: key, Body: createReadStream(file), ContentLength: size }),
      );
      // The ETag S3 gives this upload is the one its "Object Created" event carries.
      const etag = bareEtag(put.ETag);
      return { etag, decision: decide(key, etag) };
    },
    async start(request, onStarted) {
      try {
        const execution = await registry.start(
          request.name,
          request.input,
          () =>
            pipeline.runExecution(request.date, {
              name: request.name,
              input: { ...request.input },
              ...(options.retryIntervalMs === undefined ? {} : { retryIntervalMs: options.retryIntervalMs }),
            }),
          (result) => result.status,
        );
        if (execution.started) onStarted?.();
        const result = await execution.result;
        return { kind: execution.started ? 'ran' : 'joined', request, result };
      } catch (error) {
        if (error instanceof ExecutionAlreadyExists) {
          return { kind: 'alreadyExists', request, existing: error.existing };
        }
        throw error;
      }
    },
    async removed(key) {
      await pipeline.s3.client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
    },
  };
}
