import {
  DescribeExecutionCommand,
  SFNClient,
  StartExecutionCommand,
  type DescribeExecutionCommandOutput,
} from '@aws-sdk/client-sfn';
import { setTimeout as sleep } from 'node:timers/promises';

import type { BackfillRequest, BackfillSummary } from '../../../lambdas/backfill/backfill-payloads';
import { MAX_BACKFILL_CONCURRENCY, MAX_BACKFILL_DAYS } from '../../../lambdas/backfill/plan-days';
import { countDays, daysInRange } from '../../../lambdas/domain/calendar';
import { defaultBackfillName, runLocalBackfill, summaryFromJson } from '../../runner/backfill';
import { withLocalPipeline } from '../../runner/runner';
import { DEFAULT_WORKDIR } from '../../runner/workdir';
import { BACKFILL_FAILED_ERROR, DEFAULT_BACKFILL_CONCURRENCY } from '../../../lib/workflow/backfill-names';
import {
  dayRange,
  nonNegativeInt,
  parseCommandLine,
  positionals,
  positiveInt,
  required,
  warehouseUrl,
} from '../args';
import type { Command } from '../command';
import { UsageError } from '../errors';
import { toTable } from '../format';
import type { CliIo } from '../io';
import { createProgress } from '../progress';
import { DEFAULT_RETRY_WAIT_MS, RunInterrupted, untilInterrupted, uploadDayFiles } from '../run-range';
import { existingDirectory } from './run';

/** Where `--aws` finds the deployed machine (the stack output BackfillStateMachineArn). */
const BACKFILL_ARN_ENV = 'SEARCH_STATS_BACKFILL_ARN';
export const DEFAULT_POLL_SECONDS = 10;

const STATE_MACHINE_ARN = /^arn:aws[a-z-]*:states:([a-z0-9-]+):\d{12}:stateMachine:[A-Za-z0-9_-]{1,80}$/;
const EXECUTION_NAME = /^[A-Za-z0-9_-]{1,80}$/;
const LOCAL_ONLY = ['input', 'workdir', 'warehouse', 'retry-wait-ms'] as const;
const AWS_ONLY = ['wait', 'name', 'poll-seconds'] as const;

/** How a back-fill ended, locally or on AWS. */
export interface BackfillOutcome {
  readonly status: string;
  readonly summary?: BackfillSummary;
  readonly error?: string;
  readonly cause?: string;
}

/** The days of the summary (failures with their reasons), the one-line result, each failure on stderr. */
export function printBackfillOutcome(io: CliIo, outcome: BackfillOutcome): void {
  const summary = outcome.summary;
  if (!summary) {
    io.stderr.write(`back-fill ${outcome.status}: ${outcome.error ?? 'no error'}: ${outcome.cause ?? ''}\n`);
    return;
  }
  const rows = [
    ...summary.succeededDays.map((day) => ({ day, status: 'SUCCEEDED', error: '', execution: '' })),
    ...summary.failures.map((f) => ({
      day: f.date,
      status: 'FAILED',
      error: f.error,
      execution: f.execution,
    })),
  ].sort((a, b) => a.day.localeCompare(b.day));
  if (rows.length > 0) io.stdout.write(toTable(['day', 'status', 'error', 'execution'], rows));
  io.stdout.write(`${summary.message}\n`);
  for (const f of summary.failures) io.stderr.write(`FAILED ${f.date}: ${f.error}: ${f.cause}\n`);
}

/** Starts the deployed Backfill machine; returns the execution ARN. */
export async function startBackfillOnAws(
  client: SFNClient,
  stateMachineArn: string,
  name: string,
  request: BackfillRequest,
): Promise<string> {
  const started = await client.send(
    new StartExecutionCommand({ stateMachineArn, name, input: JSON.stringify(request) }),
  );
  if (!started.executionArn) throw new Error('StartExecution returned no executionArn');
  return started.executionArn;
}

/** Polls DescribeExecution until the execution has ended. */
export async function waitForExecution(
  client: SFNClient,
  executionArn: string,
  pollMs: number,
): Promise<DescribeExecutionCommandOutput> {
  for (;;) {
    const described = await client.send(new DescribeExecutionCommand({ executionArn }));
    if (described.status !== 'RUNNING' && described.status !== 'PENDING_REDRIVE') return described;
    await sleep(pollMs);
  }
}

/** A finished execution as an outcome: the output is the summary; a failed back-fill's cause is too. */
export function outcomeOf(described: DescribeExecutionCommandOutput): BackfillOutcome {
  const summary =
    described.status === 'SUCCEEDED'
      ? summaryFromJson(described.output)
      : described.error === BACKFILL_FAILED_ERROR
        ? summaryFromJson(described.cause)
        : undefined;
  return {
    status: described.status ?? 'UNKNOWN',
    ...(summary ? { summary } : {}),
    ...(described.error ? { error: described.error } : {}),
    ...(described.cause ? { cause: described.cause } : {}),
  };
}

function consoleUrl(executionArn: string): string {
  const region = executionArn.split(':')[3] ?? '';
  return `https://${region}.console.aws.amazon.com/states/home?region=${region}#/v2/executions/details/${executionArn}`;
}

export const backfillCommand: Command = {
  name: 'backfill',
  help: `Usage: search-stats backfill --from YYYY-MM-DD --to YYYY-MM-DD [--concurrency N] [options]

Runs the Backfill state machine: one execution of the daily state machine per day of the range (at
most ${MAX_BACKFILL_DAYS} days), N at a time. A failed day is recorded with its reason and the others go on;
the run ends with a summary of the days succeeded and failed. Exit code 1 when any day failed
(each is named with its reason on stderr).

Locally (the default) the synthesized definition runs against the embedded S3 and warehouse, each
day through the same local path as \`run\`, reading the day files from --input.
On AWS (--aws or --state-machine-arn) it starts an execution of the deployed machine with the AWS
SDK (credentials from the environment, region from the ARN) and prints the execution's ARN; with
--wait it follows the execution to its end and prints the summary.

Options:
  --from, --to            first and last day, included
  --concurrency N         days at once, 1..${MAX_BACKFILL_CONCURRENCY} (default: the machine's, ${DEFAULT_BACKFILL_CONCURRENCY} unless deployed
                          with -c backfillMaxConcurrency=N)
Local:
  --input DIR             directory holding the day files (session_user_data<YYYYMMDD>.zip|.csv|.csv.gz)
  --workdir DIR           local state: S3 objects, warehouse (default ${DEFAULT_WORKDIR})
  --warehouse URL         postgres://... to load a PostgreSQL server instead of the embedded PGlite
  --retry-wait-ms N       wait before each retry (default ${DEFAULT_RETRY_WAIT_MS}; AWS waits 300000)
AWS:
  --aws                   start on AWS; the machine's ARN comes from ${BACKFILL_ARN_ENV}
  --state-machine-arn ARN the deployed machine (stack output BackfillStateMachineArn)
  --name NAME             the execution's name (default backfill-<from>-<to>-<random>); each day's
                          execution is named <day>-<NAME>
  --wait                  follow the execution and print the summary
  --poll-seconds N        between status checks with --wait (default ${DEFAULT_POLL_SECONDS})
  -h, --help              show this help
`,
  async run(argv, io) {
    const { values, positionals: rest } = parseCommandLine('backfill', argv, {
      from: { type: 'string' },
      to: { type: 'string' },
      concurrency: { type: 'string' },
      input: { type: 'string' },
      workdir: { type: 'string' },
      warehouse: { type: 'string' },
      'retry-wait-ms': { type: 'string' },
      aws: { type: 'boolean' },
      'state-machine-arn': { type: 'string' },
      name: { type: 'string' },
      wait: { type: 'boolean' },
      'poll-seconds': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    });
    if (values.help) {
      io.stdout.write(this.help);
      return 0;
    }
    positionals('backfill', rest, []);
    const { from, to } = dayRange(values);
    const days = countDays(from, to);
    if (days > MAX_BACKFILL_DAYS) {
      throw new UsageError(
        `--to: ${from}..${to} has ${days} days; a back-fill covers at most ${MAX_BACKFILL_DAYS}`,
      );
    }
    const concurrency =
      values.concurrency === undefined ? undefined : positiveInt('--concurrency', values.concurrency, 1);
    if (concurrency !== undefined && concurrency > MAX_BACKFILL_CONCURRENCY) {
      throw new UsageError(
        `--concurrency: must be from 1 to ${MAX_BACKFILL_CONCURRENCY}, got '${values.concurrency}'`,
      );
    }
    const request: BackfillRequest = {
      from,
      to,
      ...(concurrency === undefined ? {} : { maxConcurrency: concurrency }),
    };
    const onAws = values.aws === true || values['state-machine-arn'] !== undefined;
    for (const option of onAws ? LOCAL_ONLY : AWS_ONLY) {
      if (values[option] !== undefined) {
        throw new UsageError(
          onAws
            ? `--${option}: only for a local back-fill (drop --aws and --state-machine-arn)`
            : `--${option}: only with --aws or --state-machine-arn`,
        );
      }
    }
    return onAws ? backfillOnAws(io, request, values) : backfillLocally(io, request, values);
  },
};

async function backfillOnAws(
  io: CliIo,
  request: BackfillRequest,
  values: { 'state-machine-arn'?: string; name?: string; wait?: boolean; 'poll-seconds'?: string },
): Promise<number> {
  const field = values['state-machine-arn'] === undefined ? BACKFILL_ARN_ENV : '--state-machine-arn';
  const arn = values['state-machine-arn'] ?? process.env[BACKFILL_ARN_ENV];
  if (arn === undefined || arn === '') {
    throw new UsageError(`--state-machine-arn is required with --aws (or set ${BACKFILL_ARN_ENV})`);
  }
  const region = STATE_MACHINE_ARN.exec(arn)?.[1];
  if (region === undefined)
    throw new UsageError(`${field}: '${arn}' is not a Step Functions state machine ARN`);
  const name = values.name ?? defaultBackfillName(request.from, request.to);
  if (!EXECUTION_NAME.test(name)) {
    throw new UsageError(`--name: must be 1-80 letters, digits, '-' or '_', got '${name}'`);
  }
  const pollMs = nonNegativeInt('--poll-seconds', values['poll-seconds'], DEFAULT_POLL_SECONDS) * 1000;

  const client = new SFNClient({ region });
  const executionArn = await startBackfillOnAws(client, arn, name, request);
  io.stdout.write(`${executionArn}\n`);
  io.stderr.write(`started back-fill ${request.from}..${request.to}: ${consoleUrl(executionArn)}\n`);
  if (!values.wait) return 0;
  const outcome = outcomeOf(await waitForExecution(client, executionArn, pollMs));
  printBackfillOutcome(io, outcome);
  return outcome.status === 'SUCCEEDED' ? 0 : 1;
}

async function backfillLocally(
  io: CliIo,
  request: BackfillRequest,
  values: { input?: string; workdir?: string; warehouse?: string; 'retry-wait-ms'?: string },
): Promise<number> {
  const inputArg = required('--input', values.input);
  const retryIntervalMs = nonNegativeInt('--retry-wait-ms', values['retry-wait-ms'], DEFAULT_RETRY_WAIT_MS);
  const url = warehouseUrl(values.warehouse);
  const input = await existingDirectory('--input', inputArg);
  const days = daysInRange(request.from, request.to);
  const options = { workdir: values.workdir ?? DEFAULT_WORKDIR, ...(url ? { warehouseUrl: url } : {}) };
  return withLocalPipeline(options, async (pipeline) => {
    await uploadDayFiles(io, pipeline, input, days);
    io.stderr.write(
      `back-fill ${request.from}..${request.to}: ${days.length} day(s) through the local Backfill state machine ` +
        `(S3 ${pipeline.s3.endpoint}, warehouse ${url ? 'PostgreSQL' : pipeline.paths.warehouse})\n`,
    );
    const progress = createProgress(io, days.length);
    // Ctrl-C: days not started are recorded as interrupted in the summary.
    const { result, interrupted } = await untilInterrupted(io, (signal) =>
      runLocalBackfill(pipeline, request, {
        retryIntervalMs,
        onDayDone: (day) => progress.dayDone(day),
        signal,
      }),
    );
    progress.finish();
    printBackfillOutcome(io, result);
    if (interrupted) throw new RunInterrupted('the back-fill was interrupted');
    return result.status === 'SUCCEEDED' ? 0 : 1;
  });
}
