/**
 * Every step checks its input at the boundary with one parser, shared by its Lambda handler and the
 * local task that stands in for it: a malformed input fails with InvalidRequest (never retried)
 * naming the field, the same way on AWS and in the local run, before any side effect.
 */
import '../load/silent-logs';
import { S3Client } from '@aws-sdk/client-s3';
import * as backfill from '../../lambdas/backfill/handler';
import { handler as cleanHandler } from '../../lambdas/clean/handler';
import { handler as loadHandler } from '../../lambdas/load/handler';
import { onEvent } from '../../lambdas/migrate/handler';
import { handler as cleanBatchHandler } from '../../lambdas/scale-out/clean-batch-handler';
import { handler as combineHandler } from '../../lambdas/scale-out/combine-handler';
import { handler as prepareHandler } from '../../lambdas/scale-out/prepare-handler';
import type { PipelineConfig } from '../../lambdas/shared/function-env';
import { handler as validateHandler } from '../../lambdas/validate/handler';
import { BACKFILL_STATE_NAMES } from '../../lib/workflow/backfill-names';
import { SCALE_OUT_STATE_NAMES } from '../../lib/workflow/scale-out-names';
import { backfillTaskHandlers } from '../../local/runner/backfill-tasks';
import { scaleOutStepHandlers } from '../../local/runner/distributed-map-steps';
import { stepHandlers, type TaskHandler } from '../../local/runner/tasks';
import { JULY_2, dayFixture } from '../load/day-fixture';
import { lambdaContext } from '../support/lambda-context';

const config: PipelineConfig = {
  incomingBucket: 'incoming',
  incomingPrefix: 'user-data/',
  cleanBucket: 'clean',
  cleanPrefix: 'user-data-clean/',
  rejectedThreshold: 0.01,
  volumeMinShare: 0.1,
  volumeLookbackDays: 7,
  codeVersion: 'test',
};
// The input is refused before any call: a client that could not reach anything proves it.
const s3 = new S3Client({ region: 'us-east-1', endpoint: 'http://127.0.0.1:9', maxAttempts: 1 });
const warehouse = { runBatch: jest.fn(), queryColumn: jest.fn() };

const local = {
  ...stepHandlers({ s3, config, warehouse }),
  ...scaleOutStepHandlers({ s3, config }),
  ...backfillTaskHandlers(
    {
      StartAt: BACKFILL_STATE_NAMES.plan,
      States: Object.fromEntries(
        [BACKFILL_STATE_NAMES.plan, BACKFILL_STATE_NAMES.describeFailure, BACKFILL_STATE_NAMES.summarize].map(
          (name) => [name, { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke' }],
        ),
      ),
    },
    {
      runDay: () => Promise.reject(new Error('no day runs here')),
      dailyStateMachineArn: 'arn:aws:states:us-east-1:000000000000:stateMachine:Daily',
    },
  ),
} as Record<string, TaskHandler>;

const day = {
  date: '2021-07-02',
  compactDate: '20210702',
  runId: 'r1',
  source: { bucket: 'incoming', key: 'user-data/session_user_data20210702.csv', etag: 'e', bytes: 3 },
};
const prepared = {
  date: day.date,
  runId: day.runId,
  source: day.source,
  format: 'csv',
  staging: { bucket: 'clean', key: 'scale-out/r1/staging.csv', rows: 2, bytes: 40, spilled: 0 },
  partsPrefix: 'scale-out/r1/parts/',
  resultsPrefix: 'scale-out/r1/map',
  startedAt: '2021-07-03T00:30:00.000Z',
};
const { clean } = dayFixture('2021-07-02', JULY_2);
const injection = "x'; DROP TABLE search_stats; --";

interface StepCase {
  /** The handler, as Lambda invokes it. */
  readonly handler: (event: unknown) => Promise<unknown>;
  /** The Task state the local run executes in its place. */
  readonly state: string;
  readonly input: unknown;
  readonly message: string;
}

const STEPS: Record<string, StepCase> = {
  Validate: {
    handler: (event) => validateHandler(event, lambdaContext()),
    state: 'Validate',
    input: { date: '2021-02-30' },
    message: 'date must be a real calendar date as YYYY-MM-DD, got "2021-02-30"',
  },
  Clean: {
    handler: (event) => cleanHandler(event, lambdaContext()),
    state: 'Clean',
    input: { ...day, source: { ...day.source, key: '' } },
    message: 'day.source.key must be a non-empty string, got ""',
  },
  Load: {
    handler: (event) => loadHandler(event, lambdaContext()),
    state: 'Load',
    input: { ...clean, outputs: { ...clean.outputs, validSearchesManifestKey: injection } },
    message: `clean.outputs.validSearchesManifestKey must be 1-1024 of A-Z a-z 0-9 / ! - _ . * ' ( ), not starting with /, got "${injection}"`,
  },
  Prepare: {
    handler: prepareHandler,
    state: SCALE_OUT_STATE_NAMES.prepare,
    input: { ...day, compactDate: '20210703' },
    message: 'day.compactDate does not match the date 2021-07-02, got "20210703"',
  },
  CleanBatch: {
    handler: cleanBatchHandler,
    state: SCALE_OUT_STATE_NAMES.worker,
    input: {
      Items: [
        { index: 0, row: { line: '2' } },
        { index: 2, row: { line: '4' } },
      ],
      BatchInput: { date: day.date, runId: day.runId, partsPrefix: prepared.partsPrefix },
    },
    message: "batch.Items[1].index must be 1: a batch's items are consecutive, got 2",
  },
  Combine: {
    handler: (event) => combineHandler(event, lambdaContext()),
    state: SCALE_OUT_STATE_NAMES.combine,
    input: { day, prepared: { ...prepared, staging: { ...prepared.staging, rows: -1 } }, map: {} },
    message: 'prepared.staging.rows must be a whole number >= 0, got -1 (and 1 more)',
  },
  PlanDays: {
    handler: backfill.plan,
    state: BACKFILL_STATE_NAMES.plan,
    input: {
      request: { from: '2021-07-01', to: '2021-07-02', maxConcurrency: 0 },
      executionName: 'bf',
      defaultMaxConcurrency: 4,
    },
    message: 'request.maxConcurrency must be an integer from 1 to 40, got 0',
  },
  Summarize: {
    handler: backfill.summarize,
    state: BACKFILL_STATE_NAMES.summarize,
    input: { from: '2021-07-01', to: '2021-07-02', results: 'none' },
    message: 'results must be an array, got "none"',
  },
};

/** What a local task's failure carries: the Lambda error payload, as Step Functions sees it. */
async function localFailure(state: string, input: unknown): Promise<{ name: string; errorMessage: string }> {
  const task = local[state];
  if (task === undefined) throw new Error(`no local task ${state}`);
  try {
    await task(input);
  } catch (error) {
    const err = error as Error;
    return {
      name: err.name,
      errorMessage: (JSON.parse(err.message) as { errorMessage: string }).errorMessage,
    };
  }
  throw new Error(`${state} accepted ${JSON.stringify(input)}`);
}

describe.each(Object.entries(STEPS))(
  'a malformed input to %s',
  (_step, { handler, state, input, message }) => {
    test('fails its Lambda handler with InvalidRequest naming the field', async () => {
      await expect(handler(input)).rejects.toMatchObject({ name: 'InvalidRequest', message });
    });

    test('fails its local task the same way', async () => {
      await expect(localFailure(state, input)).resolves.toEqual({
        name: 'InvalidRequest',
        errorMessage: message,
      });
    });
  },
);

test('the local Load task refuses a bad clean result before the warehouse is called', async () => {
  await expect(localFailure('Load', { ...clean, date: '2021-02-30' })).resolves.toEqual({
    name: 'InvalidRequest',
    errorMessage: 'clean.date must be a real calendar date as YYYY-MM-DD, got "2021-02-30"',
  });
  expect(warehouse.runBatch).not.toHaveBeenCalled();
});

describe('a failure record that cannot be read', () => {
  const expected = { date: '2021-07-03', status: 'FAILED', execution: '', error: 'Unknown', cause: '' };
  const unreadable = { date: '2021-07-03', execution: 42, failure: 'gone' };

  test('is still a failed day through the handler (the back-fill goes on)', async () => {
    await expect(backfill.describeFailure(unreadable)).resolves.toEqual(expected);
  });

  test('is still a failed day through the local task', async () => {
    await expect(local[BACKFILL_STATE_NAMES.describeFailure]?.(unreadable)).resolves.toEqual(expected);
  });
});

test('the schema custom resource refuses an unknown request type, naming the field', async () => {
  await expect(onEvent({ RequestType: 'Upsert' })).rejects.toMatchObject({
    name: 'InvalidRequest',
    message: 'event.RequestType must be Create, Update or Delete, got "Upsert"',
  });
});
