/**
 * What `run` and `demo` share: mirror the input directory into the embedded incoming bucket, run one
 * execution per day with progress on stderr, print the summary. Everything is closed on return.
 * The local `backfill` uses the upload and Ctrl-C pieces too.
 */
import { daysInRange } from '../../lambdas/domain/calendar';
import { cdkJsonContext, synthesizePipeline } from '../runner/definition';
import type { DayResult } from '../runner/execute-day';
import { LOCAL_RUN_CONTEXT, deployedScaleOut, modeInput, type RunMode } from '../runner/run-mode';
import { withLocalPipeline, type LocalPipeline, type LocalPipelineOptions } from '../runner/runner';
import { RunInterrupted } from './errors';
import type { CliIo } from './io';
import { createProgress } from './progress';
import { printSummary } from './summary';

export interface RunRangeOptions {
  readonly input: string;
  readonly from: string;
  readonly to: string;
  readonly workdir: string;
  readonly concurrency: number;
  readonly warehouseUrl?: string;
  /** Wait before each retry; AWS waits 300 s. */
  readonly retryWaitMs: number;
  /** Print the full failure notifications on stderr, not only their file. @default false */
  readonly verbose?: boolean;
  /** More fields of each execution's input, e.g. `{"allowVolumeDrop": true}`. @default none */
  readonly executionInput?: Readonly<Record<string, unknown>>;
  /**
   * The cleaning path (local/runner/run-mode.ts): given, the definition is synthesized with the
   * scale-out path on and each execution's input says the mode. @default the definition as deployed
   */
  readonly mode?: RunMode;
}

export { RunInterrupted };

/** Local retries wait this long by default: the retry count and matching are the deployed ones. */
export const DEFAULT_RETRY_WAIT_MS = 1000;

/** Mirrors the day files of `input` into the embedded incoming bucket; warns for each day with none. */
export async function uploadDayFiles(
  io: CliIo,
  pipeline: LocalPipeline,
  input: string,
  days: readonly string[],
): Promise<void> {
  const found = await pipeline.uploadInputs(input, days);
  for (const [day, files] of found) {
    if (files.length === 0) io.stderr.write(`warning: no input file for ${day} in ${input}\n`);
  }
}

/**
 * Runs `work` with a signal that the first Ctrl-C aborts: start no new day, let the running ones
 * finish, close S3 and the warehouse cleanly. A second Ctrl-C kills the process (the handler is gone).
 */
export async function untilInterrupted<T>(
  io: CliIo,
  work: (signal: AbortSignal) => Promise<T>,
): Promise<{ readonly result: T; readonly interrupted: boolean }> {
  const interrupted = new AbortController();
  const onSigint = (): void => {
    io.stderr.write('\ninterrupted: finishing the running days, then closing (Ctrl-C again to kill)\n');
    interrupted.abort();
  };
  process.once('SIGINT', onSigint);
  try {
    const result = await work(interrupted.signal);
    return { result, interrupted: interrupted.signal.aborted };
  } finally {
    process.off('SIGINT', onSigint);
  }
}

export async function runRange(
  io: CliIo,
  options: RunRangeOptions,
  after?: (pipeline: LocalPipeline) => Promise<void>,
): Promise<DayResult[]> {
  const days = daysInRange(options.from, options.to);
  const pipelineOptions: LocalPipelineOptions = {
    workdir: options.workdir,
    ...(options.warehouseUrl ? { warehouseUrl: options.warehouseUrl } : {}),
    ...(options.mode ? { synthesized: synthesizePipeline(LOCAL_RUN_CONTEXT) } : {}),
  };
  const input = {
    ...options.executionInput,
    ...(options.mode ? modeInput(options.mode, deployedScaleOut(cdkJsonContext())) : {}),
  };
  return withLocalPipeline(pipelineOptions, async (pipeline) => {
    await uploadDayFiles(io, pipeline, options.input, days);
    io.stderr.write(
      `running ${days.length} day(s) ${options.from}..${options.to}, ${options.concurrency} at a time ` +
        `(S3 ${pipeline.s3.endpoint}, warehouse ${options.warehouseUrl ? 'PostgreSQL' : pipeline.paths.warehouse})\n`,
    );
    const progress = createProgress(io, days.length);
    const { result: results, interrupted } = await untilInterrupted(io, (signal) =>
      pipeline.runDays(days, {
        concurrency: options.concurrency,
        retryIntervalMs: options.retryWaitMs,
        onDayDone: (r) => progress.dayDone(r),
        signal,
        ...(Object.keys(input).length > 0 ? { input } : {}),
      }),
    );
    progress.finish();
    await printSummary(io, results, {
      planned: days.length,
      notificationsFile: pipeline.paths.notifications,
      verbose: options.verbose ?? false,
    });
    if (interrupted) {
      io.stderr.write(`interrupted: ${days.length - results.length} day(s) not run\n`);
      throw new RunInterrupted(`${days.length - results.length} of ${days.length} day(s) not run`);
    }
    if (after) await after(pipeline);
    return results;
  });
}
