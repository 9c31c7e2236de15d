/**
 * `watch`: polls the input directory and, for each new or replaced file, does what the deployed
 * "Object Created" rule and Trigger do (local/runner/local-trigger.ts): upload, decide, start the
 * day's run by its name. Each scan that ran something prints progress and the summary as `run` does.
 * Files of a day that is not over are left to the schedule; there is no schedule locally, so
 * `watch` decides them again every scan and runs them once their day is over.
 */
import { setTimeout as sleep } from 'node:timers/promises';

import { endOfDay } from '../../lambdas/domain/day-files';
import type { StartRequest } from '../../lambdas/trigger/decide-start';
import type { SynthesizedPipeline } from '../runner/definition';
import type { DayResult } from '../runner/execute-day';
import { openExecutionRegistry } from '../runner/executions';
import { localTrigger, type LocalTrigger, type StartOutcome } from '../runner/local-trigger';
import { mapWithConcurrency } from '../runner/pool';
import { withLocalPipeline, type LocalPipeline } from '../runner/runner';
import { watchDirectory, type DirectoryWatch } from '../runner/watch-dir';
import type { CliIo } from './io';
import { createProgress } from './progress';
import { untilInterrupted } from './run-range';
import { printSummary } from './summary';
import { outcomeNote } from './watch-notes';

export interface WatchOptions {
  readonly input: string;
  readonly workdir: string;
  /** Between two scans; also how long a changed file must stay unchanged before it is read. */
  readonly intervalMs: number;
  /** Scan once, run what is due, return. */
  readonly once: boolean;
  readonly retryWaitMs: number;
  /** Executions run at once. @default 2 */
  readonly concurrency?: number;
  readonly verbose?: boolean;
  readonly warehouseUrl?: string;
  /** The events' time. @default () => new Date() */
  readonly now?: () => Date;
  /** Tests synthesize once. @default synthesized now */
  readonly synthesized?: SynthesizedPipeline;
}

/** What a watch session did: each start request's outcome, in order. */
export interface WatchSession {
  readonly outcomes: readonly StartOutcome[];
  readonly interrupted: boolean;
}

interface ScanContext {
  readonly io: CliIo;
  readonly options: WatchOptions;
  readonly pipeline: LocalPipeline;
  readonly trigger: LocalTrigger;
  readonly directory: DirectoryWatch;
  /** Names already reported as not day files (one line each, once). */
  readonly ignored: Set<string>;
  /** Day files whose day is not over: file name -> key and ETag, decided again each scan. */
  readonly leftToSchedule: Map<string, { readonly key: string; readonly etag: string }>;
}

function outcomeLine(outcome: StartOutcome): string | undefined {
  const { request } = outcome;
  switch (outcome.kind) {
    case 'alreadyExists':
      return (
        `${request.date} ${request.name}: not run again: execution already exists ` +
        `(${outcome.existing.status}, started ${outcome.existing.startedAt})`
      );
    case 'joined':
      return `${request.date} ${request.name}: already running with the same input: joined that run`;
    case 'ran':
      return outcomeNote(outcome.result);
  }
}

async function scanOnce(ctx: ScanContext, signal: AbortSignal): Promise<StartOutcome[]> {
  const { io, pipeline, trigger } = ctx;
  const prefix = pipeline.config.incomingPrefix;
  const found = await ctx.directory.scan();
  for (const name of found.notFiles) io.stderr.write(`ignored: ${name}: not a regular file\n`);
  for (const name of found.removed) {
    ctx.leftToSchedule.delete(name);
    ctx.ignored.delete(name);
    await trigger.removed(prefix + name);
    io.stderr.write(`removed: ${name}: deleted s3://${pipeline.config.incomingBucket}/${prefix}${name}\n`);
  }
  const requests: StartRequest[] = [];
  for (const [name, { key, etag }] of ctx.leftToSchedule) {
    const decision = trigger.decide(key, etag);
    if (decision.action === 'start') {
      ctx.leftToSchedule.delete(name);
      requests.push(decision);
    }
  }
  for (const file of found.changed) {
    const key = prefix + file.name;
    const { etag, decision } = await trigger.arrived(file.file, key);
    ctx.leftToSchedule.delete(file.name);
    if (decision.action === 'ignore') {
      if (!ctx.ignored.has(file.name)) io.stderr.write(`ignored: ${file.name}: ${decision.reason}\n`);
      ctx.ignored.add(file.name);
    } else if (decision.action === 'leftToSchedule') {
      ctx.leftToSchedule.set(file.name, { key, etag });
      io.stderr.write(
        `left to the schedule: ${file.name}: ${decision.date} is not over until ${endOfDay(decision.date).toISOString()}; ` +
          `watch runs it then (or run it now: search-stats run --from ${decision.date} --to ${decision.date})\n`,
      );
    } else {
      requests.push(decision);
    }
  }
  if (requests.length === 0) return [];

  const progress = createProgress(io, requests.length);
  const outcomes = await mapWithConcurrency(
    requests,
    ctx.options.concurrency ?? 2,
    async (request) => {
      const outcome = await trigger.start(request, () =>
        io.stderr.write(`started ${request.name} for ${request.date}\n`),
      );
      if (outcome.kind !== 'alreadyExists') progress.dayDone(outcome.result);
      const note = outcomeLine(outcome);
      if (note) io.stderr.write(`${note}\n`);
      return outcome;
    },
    signal,
  );
  progress.finish();
  const results = outcomes.flatMap((o): DayResult[] => (o.kind === 'ran' ? [o.result] : []));
  if (results.length > 0) {
    await printSummary(io, results, {
      planned: results.length,
      notificationsFile: pipeline.paths.notifications,
      verbose: ctx.options.verbose ?? false,
    });
  }
  return outcomes;
}

export async function watchInput(io: CliIo, options: WatchOptions): Promise<WatchSession> {
  return withLocalPipeline(
    {
      workdir: options.workdir,
      ...(options.warehouseUrl ? { warehouseUrl: options.warehouseUrl } : {}),
      ...(options.synthesized ? { synthesized: options.synthesized } : {}),
    },
    async (pipeline) => {
      const registry = await openExecutionRegistry(pipeline.paths.executions);
      const ctx: ScanContext = {
        io,
        options,
        pipeline,
        trigger: localTrigger({
          pipeline,
          registry,
          retryIntervalMs: options.retryWaitMs,
          ...(options.now ? { now: options.now } : {}),
        }),
        directory: watchDirectory(options.input, { settleMs: options.once ? 0 : options.intervalMs }),
        ignored: new Set(),
        leftToSchedule: new Map(),
      };
      io.stderr.write(
        options.once
          ? `scanning ${options.input} once\n`
          : `watching ${options.input} every ${options.intervalMs} ms (Ctrl-C stops)\n`,
      );
      const outcomes: StartOutcome[] = [];
      const { interrupted } = await untilInterrupted(io, async (signal) => {
        while (!signal.aborted) {
          outcomes.push(...(await scanOnce(ctx, signal)));
          if (options.once) break;
          await sleep(options.intervalMs, undefined, { signal }).catch(() => undefined);
        }
      });
      const ran = outcomes.filter((o) => o.kind === 'ran').length;
      io.stderr.write(
        `${interrupted ? 'stopped' : 'done'}: ${ran} execution(s) run, ` +
          `${outcomes.length - ran} start(s) refused or joined\n`,
      );
      return { outcomes, interrupted };
    },
  );
}
