/**
 * The local pipeline: embedded S3 (s3rver) and warehouse (PGlite or a PostgreSQL URL) under a work
 * directory, and the synthesized state machine run per day with aws-local-stepfunctions.
 * `openLocalPipeline` starts everything; `close()` releases the port and the files, also after errors.
 */
import './polyfills';
import { mkdir } from 'node:fs/promises';

import type { PipelineConfig } from '../../lambdas/shared/function-env';
import { synthesizePipeline, withLambdaTimeouts, type SynthesizedPipeline } from './definition';
import { distributedMapHandlers } from './distributed-map';
import { localizeDistributedMaps } from './distributed-map-definition';
import { scaleOutStepHandlers } from './distributed-map-steps';
import { createStateMachine, executeDay, type DayResult, type ExecuteDayOptions } from './execute-day';
import { appendExecution, dailyRecord, executionLogFile } from './execution-log';
import { findDayFiles, uploadDayFiles } from './inputs';
import { mapWithConcurrency } from './pool';
import { openLocalWarehouse, type BeforeStatementHook, type LocalWarehouse } from './pg-warehouse';
import type { AslDefinition } from './resolve-template';
import type { S3FaultHook } from './s3-faults';
import { startLocalS3, type LocalS3 } from './s3-server';
import { stepHandlers, type LocalLogLevel, type TaskInterceptor } from './tasks';
import { LOCAL_BUCKETS, localPipelineConfig, workdirPaths, type WorkdirPaths } from './workdir';
import { lockWorkdir } from './workdir-lock';

export interface LocalPipelineOptions {
  /** @default '.work' */
  readonly workdir?: string;
  /** `postgres://...` to use a PostgreSQL server instead of the embedded PGlite. */
  readonly warehouseUrl?: string;
  /** Log level of the steps' Powertools loggers. @default 'SILENT' */
  readonly logLevel?: LocalLogLevel;
  /** Wraps every step call (fault injection in tests). */
  readonly intercept?: TaskInterceptor;
  /** Answers matching embedded-S3 requests with an error (fault injection in tests). */
  readonly s3Faults?: S3FaultHook;
  /** Runs before each warehouse statement (fault injection in tests, e.g. a server restart mid-load). */
  readonly beforeWarehouseStatement?: BeforeStatementHook;
  /** The synthesized state machine and step environments (tests synthesize once). @default synthesized now */
  readonly synthesized?: SynthesizedPipeline;
}

export interface RunDaysOptions {
  /** Days run at once. @default 2 */
  readonly concurrency?: number;
  /** Wait before each retry, instead of the definition's intervals (tests use 0). */
  readonly retryIntervalMs?: number;
  readonly onDayStart?: (day: string) => void;
  readonly onDayDone?: (result: DayResult) => void;
  /** Once aborted, no further day starts (the running ones finish). */
  readonly signal?: AbortSignal;
  /** More fields of each execution's input, e.g. `{"mode": "scale-out"}` (see ExecuteDayOptions). */
  readonly input?: Readonly<Record<string, unknown>>;
}

/** One execution, named: what the local `watch` starts for each day file version. */
export interface RunExecutionOptions {
  /** The execution name (the run id). */
  readonly name: string;
  /** The execution input; `date` is the day. */
  readonly input: Readonly<Record<string, unknown>>;
  /** Wait before each retry, instead of the definition's intervals (tests use 0). */
  readonly retryIntervalMs?: number;
}

export interface LocalPipeline {
  readonly paths: WorkdirPaths;
  readonly config: PipelineConfig;
  readonly s3: LocalS3;
  readonly warehouse: LocalWarehouse;
  readonly definition: AslDefinition;
  /** Mirrors the day files of `dir` into the incoming bucket; returns the files found per day. */
  uploadInputs(dir: string, days: readonly string[]): Promise<Map<string, string[]>>;
  /** One execution per day, `concurrency` at a time; never throws for a failed day. Returns the days that ran. */
  runDays(days: readonly string[], options?: RunDaysOptions): Promise<DayResult[]>;
  /** One execution of `day` with the given name and input; never throws for a failed day. */
  runExecution(day: string, options: RunExecutionOptions): Promise<DayResult>;
  close(): Promise<void>;
}

/** Runs `fn` and then `cleanup`, keeping `fn`'s error when both fail. */
async function withCleanup<T>(fn: () => Promise<T>, cleanup: () => Promise<unknown>): Promise<T> {
  let result: T;
  try {
    result = await fn();
  } catch (error) {
    await cleanup().catch(() => undefined);
    throw error;
  }
  await cleanup();
  return result;
}

export async function openLocalPipeline(options: LocalPipelineOptions = {}): Promise<LocalPipeline> {
  const paths = workdirPaths(options.workdir);
  // First: a second process on this work directory fails here, before it touches S3 or the warehouse.
  const lock = await lockWorkdir(paths.root);
  try {
    return await openLocked(options, paths, () => lock.release());
  } catch (error) {
    await lock.release().catch(() => undefined);
    throw error;
  }
}

async function openLocked(
  options: LocalPipelineOptions,
  paths: WorkdirPaths,
  release: () => Promise<void>,
): Promise<LocalPipeline> {
  const synthesized = options.synthesized ?? synthesizePipeline();
  // Distributed Maps (the scale-out path, when the stack has it) become Tasks run by a local handler.
  const localized = localizeDistributedMaps(withLambdaTimeouts(synthesized), synthesized.template);
  const definition = localized.definition;
  const config = localPipelineConfig({
    ...synthesized.environment.Validate,
    ...synthesized.environment.Clean,
  });
  await mkdir(paths.s3, { recursive: true });
  const s3 = await startLocalS3({
    directory: paths.s3,
    buckets: Object.values(LOCAL_BUCKETS),
    ...(options.s3Faults ? { faults: options.s3Faults } : {}),
  });
  let opened: LocalWarehouse | undefined;
  try {
    if (!options.warehouseUrl) await mkdir(paths.warehouse, { recursive: true });
    opened = await openLocalWarehouse({
      ...(options.warehouseUrl ? { url: options.warehouseUrl } : { dataDir: paths.warehouse }),
      s3: s3.client,
      ...(options.beforeWarehouseStatement ? { beforeStatement: options.beforeWarehouseStatement } : {}),
    });
    await opened.migrate();
  } catch (error) {
    await opened?.close().catch(() => undefined);
    await s3.close().catch(() => undefined);
    throw error;
  }
  const warehouse = opened;

  const machine = createStateMachine(definition);
  const steps = stepHandlers({
    s3: s3.client,
    config,
    warehouse,
    ...(options.logLevel ? { logLevel: options.logLevel } : {}),
    ...(options.intercept ? { intercept: options.intercept } : {}),
  });
  const scaleOutSteps = scaleOutStepHandlers({
    s3: s3.client,
    config,
    ...(options.logLevel ? { logLevel: options.logLevel } : {}),
  });
  let closed: Promise<void> | undefined;

  const execute = (
    day: string,
    run: Pick<ExecuteDayOptions, 'retryIntervalMs' | 'input' | 'executionName'>,
  ): Promise<DayResult> => {
    const maps = distributedMapHandlers(localized.maps, {
      s3: s3.client,
      handlers: scaleOutSteps,
      ...(run.retryIntervalMs === undefined ? {} : { retryIntervalMs: run.retryIntervalMs }),
    });
    return executeDay(day, { machine, definition, steps: { ...steps, ...scaleOutSteps, ...maps }, ...run });
  };

  return {
    paths,
    config,
    s3,
    warehouse,
    definition,
    async uploadInputs(dir, days) {
      const found = await findDayFiles(dir, days);
      for (const [day, files] of found) await uploadDayFiles(s3.client, config, day, files);
      return found;
    },
    runDays(days, run = {}) {
      return mapWithConcurrency(
        days,
        run.concurrency ?? 2,
        async (day) => {
          run.onDayStart?.(day);
          const result = await execute(day, {
            ...(run.retryIntervalMs === undefined ? {} : { retryIntervalMs: run.retryIntervalMs }),
            ...(run.input === undefined ? {} : { input: run.input }),
          });
          // The local record of the execution (what CloudWatch would count); the dashboard preview reads it.
          await appendExecution(executionLogFile(paths.root), dailyRecord(result));
          run.onDayDone?.(result);
          return result;
        },
        run.signal,
      );
    },
    runExecution(day, run) {
      return execute(day, {
        executionName: run.name,
        input: run.input,
        ...(run.retryIntervalMs === undefined ? {} : { retryIntervalMs: run.retryIntervalMs }),
      });
    },
    close() {
      closed ??= withCleanup(
        () =>
          withCleanup(
            () => warehouse.close(),
            () => s3.close(),
          ),
        release,
      );
      return closed;
    },
  };
}

/** Opens the local pipeline, runs `fn` with it, and closes it whatever happens. */
export async function withLocalPipeline<T>(
  options: LocalPipelineOptions,
  fn: (pipeline: LocalPipeline) => Promise<T>,
): Promise<T> {
  const pipeline = await openLocalPipeline(options);
  return withCleanup(
    () => fn(pipeline),
    () => pipeline.close(),
  );
}
