import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { main } from '../../local/cli/main';
import { runLocalBackfill, type LocalBackfillResult } from '../../local/runner/backfill';
import { backfillMachine } from '../../local/runner/backfill-definition';
import { synthesizePipeline, type SynthesizedPipeline } from '../../local/runner/definition';
import { generateRange } from '../../local/runner/generate';
import { withLocalPipeline } from '../../local/runner/runner';
import { captureIo } from '../local/capture-io';
import { inputWithout } from '../e2e/fixtures';

const DAYS = ['2021-07-01', '2021-07-02', '2021-07-03'];
const MISSING = '2021-07-02';

let synthesized: SynthesizedPipeline;
/**
 * A back-fill through the local pipeline: well under a minute on a quiet 2-core machine, several on
 * a busy one. A test or hook that times out leaves its pipeline running past the suite.
 */
const PIPELINE_MS = 240_000;

let root: string;
let partial: string;
beforeAll(async () => {
  synthesized = synthesizePipeline();
  root = await mkdtemp(path.join(os.tmpdir(), 'search-stats-backfill-'));
  const input = path.join(root, 'input');
  await generateRange({ from: DAYS[0] ?? '', to: DAYS[2] ?? '', outDir: input, seed: 7, usersPerDay: 120 });
  partial = await inputWithout(input, MISSING, path.join(root, 'partial'));
});
afterAll(() => rm(root, { recursive: true, force: true }));

test('the local runner executes the synthesized Backfill definition, starting the daily machine', () => {
  const { definition, dailyStateMachineArn } = backfillMachine(synthesized);
  expect(definition.StartAt).toBe('PlanDays');
  expect(dailyStateMachineArn).toMatch(
    /^arn:aws:states:us-east-1:000000000000:stateMachine:WorkflowStateMachine/,
  );
});

describe('a local back-fill of 3 days, one without its input file', () => {
  let result: LocalBackfillResult;
  let loadedDays: unknown[];
  let maxInFlight = 0;
  beforeAll(async () => {
    let inFlight = 0;
    await withLocalPipeline({ workdir: path.join(root, 'work'), synthesized }, async (pipeline) => {
      await pipeline.uploadInputs(partial, DAYS);
      result = await runLocalBackfill(
        pipeline,
        { from: DAYS[0] ?? '', to: DAYS[2] ?? '', maxConcurrency: 2 },
        {
          synthesized,
          retryIntervalMs: 0,
          executionName: 'bf-test',
          onDayStart: () => (maxInFlight = Math.max(maxInFlight, ++inFlight)),
          onDayDone: () => inFlight--,
        },
      );
      const rows = await pipeline.warehouse.query(
        "SELECT to_char(day, 'YYYY-MM-DD') AS day FROM search_stats ORDER BY day",
      );
      loadedDays = rows.map((row) => (row as { day: string }).day);
    });
  }, PIPELINE_MS);

  test('runs every day, the failed one included, and loads the two that have input', () => {
    expect(result.days.map((d) => d.day).sort()).toEqual(DAYS);
    expect(loadedDays).toEqual([DAYS[0], DAYS[2]]);
  });

  test('runs at most maxConcurrency days at once', () => {
    expect(maxInFlight).toBe(2);
  });

  test('ends failed (BackfillDaysFailed) after the summary: 2 succeeded, 1 failed with its reason', () => {
    expect(result.status).toBe('FAILED');
    expect(result.error).toBe('BackfillDaysFailed');
    expect(result.summary).toMatchObject({
      from: '2021-07-01',
      to: '2021-07-03',
      days: 3,
      succeeded: 2,
      failed: 1,
      message: '3 days 2021-07-01..2021-07-03: 2 succeeded, 1 failed (2021-07-02)',
    });
    expect(result.summary?.failures).toEqual([
      {
        date: MISSING,
        execution: `${MISSING}-bf-test`,
        error: 'InputNotFound',
        cause: expect.stringContaining('20210702') as unknown,
      },
    ]);
  });

  test('the failed day was retried as on AWS before it was recorded', () => {
    expect(result.days.find((d) => d.day === MISSING)?.retries).toBe(3);
  });
});

test(
  'an invalid range fails at once with InvalidRequest, running no day',
  async () => {
    await withLocalPipeline({ workdir: path.join(root, 'invalid'), synthesized }, async (pipeline) => {
      const result = await runLocalBackfill(
        pipeline,
        { from: '2021-07-03', to: '2021-07-01' },
        { synthesized },
      );
      expect(result).toMatchObject({
        status: 'FAILED',
        error: 'InvalidRequest',
        cause: 'request.from is after to (2021-07-01), got "2021-07-03"',
        days: [],
      });
    });
  },
  PIPELINE_MS,
);

test(
  'search-stats backfill exits 1 naming the failed day and its reason, after the summary',
  async () => {
    const io = captureIo();
    const code = await main(
      [
        'backfill',
        '--input',
        partial,
        '--from',
        DAYS[0] ?? '',
        '--to',
        DAYS[2] ?? '',
        '--concurrency',
        '3',
        '--workdir',
        path.join(root, 'cli'),
        '--retry-wait-ms',
        '0',
      ],
      io,
    );
    expect(code).toBe(1);
    expect(io.err()).toMatch(/^FAILED 2021-07-02: InputNotFound: .*20210702/m);
    expect(io.err()).toMatch(/days 3\/3 done, 1 failed/);
    expect(io.out()).toMatch(/^2021-07-01\s+SUCCEEDED/m);
    expect(io.out()).toMatch(
      /^2021-07-02\s+FAILED\s+InputNotFound\s+2021-07-02-backfill-2021-07-01-2021-07-03-/m,
    );
    expect(io.out()).toMatch(/^2021-07-03\s+SUCCEEDED/m);
    expect(io.out()).toContain('3 days 2021-07-01..2021-07-03: 2 succeeded, 1 failed (2021-07-02)');
  },
  PIPELINE_MS,
);
