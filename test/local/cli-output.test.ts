import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { formatRows } from '../../local/cli/format';
import { createProgress } from '../../local/cli/progress';
import { countLine, printSummary } from '../../local/cli/summary';
import type { DayResult } from '../../local/runner/execute-day';
import { mapWithConcurrency } from '../../local/runner/pool';
import { captureIo } from './capture-io';

const day = (overrides: Partial<DayResult>): DayResult => ({
  day: '2021-07-02',
  status: 'SUCCEEDED',
  executionName: 'x',
  startedAt: '2021-07-03T00:30:00.000Z',
  millis: 1500,
  attempts: [],
  retries: 0,
  notifications: [],
  ...overrides,
});

describe('query output formats', () => {
  const rows = [
    { day: '2021-07-02', note: 'a, "quoted"\nline', n: 5, none: null },
    { day: '2021-07-03', note: 'plain', n: 12, none: null },
  ];
  const columns = ['day', 'note', 'n', 'none'];

  test('CSV quotes fields with commas, quotes or newlines (RFC 4180, CRLF)', () => {
    expect(formatRows('csv', columns, rows)).toBe(
      'day,note,n,none\r\n2021-07-02,"a, ""quoted""\nline",5,\r\n2021-07-03,plain,12,\r\n',
    );
  });

  test('CSV of no rows is the header only', () => {
    expect(formatRows('csv', ['day'], [])).toBe('day\r\n');
  });

  test('JSON keeps numbers and nulls', () => {
    expect(JSON.parse(formatRows('json', columns, rows))).toEqual(rows);
  });

  test('the table aligns columns, numbers to the right', () => {
    expect(formatRows('table', ['day', 'n'], rows).split('\n')).toEqual([
      'day          n',
      '----------  --',
      '2021-07-02   5',
      '2021-07-03  12',
      '',
    ]);
  });
});

describe('run progress and failures', () => {
  test('without a terminal, one line per finished day with days done, failed and rows per second', () => {
    const io = captureIo();
    let now = 0;
    const progress = createProgress(io, 2, () => now);
    now = 2000;
    progress.dayDone(day({ clean: { counts: { read: 10_000 } } as DayResult['clean'] }));
    now = 4000;
    progress.dayDone(day({ day: '2021-07-03', status: 'FAILED' }));
    expect(io.err().split('\n')).toEqual([
      '2021-07-02 succeeded (1.5 s); days 1/2 done, 0 failed, 5,000 rows/s',
      '2021-07-03 failed (1.5 s); days 2/2 done, 1 failed, 2,500 rows/s',
      '',
    ]);
  });

  test('on a terminal, the status line is rewritten in place', () => {
    const io = captureIo();
    const tty = { ...io, stderr: { ...io.stderr, isTTY: true } };
    const progress = createProgress(tty, 1, () => 1000);
    progress.dayDone(day({}));
    progress.finish();
    expect(io.err()).toBe('\r\x1b[2Kdays 1/1 done, 0 failed, 0 rows/s\n');
  });

  test('a failure is one line naming the day, the step, the error and the reason', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'summary-'));
    const io = captureIo();
    const failed = day({
      status: 'FAILED',
      failure: {
        step: 'Clean',
        error: 'TooManyRejectedRows',
        cause: '12 of 100 rows rejected\nfirst: line 3',
      },
    });
    await printSummary(io, [failed], { planned: 1, notificationsFile: path.join(dir, 'n.jsonl') });
    expect(io.err()).toBe(
      'FAILED 2021-07-02 failed at Clean: TooManyRejectedRows: 12 of 100 rows rejected first: line 3\n',
    );
    await rm(dir, { recursive: true, force: true });
  });
});

describe('the run summary', () => {
  const failed = day({
    day: '2021-07-03',
    status: 'FAILED',
    failure: {
      step: 'Validate',
      error: 'InputNotFound',
      cause: 'no object for 2021-07-03 under user-data/ '.repeat(3),
    },
    notifications: [
      {
        state: 'Notify',
        topicArn: 'arn:aws:sns:us-east-1:000000000000:failures',
        message: { day: '2021-07-03' },
      },
    ],
  });

  test('counts the days that were not run after an interruption', () => {
    expect(countLine([day({}), failed], 10)).toBe('1 of 10 days succeeded, 1 failed, 8 not run');
    expect(countLine([day({})], 1)).toBe('1 of 1 days succeeded');
  });

  test('gives each failed day a short reason in the table and keeps the full notification in a file', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'summary-'));
    const file = path.join(dir, 'notifications.jsonl');
    const io = captureIo();
    await printSummary(io, [day({}), failed], { planned: 2, notificationsFile: file });
    const [header] = io.out().split('\n');
    const row = io
      .out()
      .split('\n')
      .find((line) => line.startsWith('2021-07-03'));
    expect(header).toMatch(/failed_step\s+reason$/);
    expect(row).toMatch(
      /^2021-07-03\s+FAILED\s.*Validate\s+InputNotFound: no object for 2021-07-03 .*\.\.\.$/,
    );
    expect(row?.length).toBeLessThan(300);
    expect(io.err()).toContain(
      `notification for 2021-07-03 (captured locally, topic arn:aws:sns:us-east-1:000000000000:failures) in ${file}`,
    );
    expect(io.err()).not.toContain('{"day"');
    const lines = (await readFile(file, 'utf8')).trimEnd().split('\n');
    expect(lines.map((l) => JSON.parse(l) as unknown)).toEqual([
      {
        day: '2021-07-03',
        topicArn: 'arn:aws:sns:us-east-1:000000000000:failures',
        message: { day: '2021-07-03' },
      },
    ]);
    await rm(dir, { recursive: true, force: true });
  });

  test('prints the full notification with verbose', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'summary-'));
    const io = captureIo();
    await printSummary(io, [failed], {
      planned: 1,
      notificationsFile: path.join(dir, 'n.jsonl'),
      verbose: true,
    });
    expect(io.err()).toContain(
      'notification (captured locally, topic arn:aws:sns:us-east-1:000000000000:failures): {"day":"2021-07-03"}',
    );
    await rm(dir, { recursive: true, force: true });
  });
});

describe('bounded concurrency', () => {
  test('never runs more than the limit at once and keeps the order of results', async () => {
    let running = 0;
    let peak = 0;
    const results = await mapWithConcurrency([5, 1, 3, 2, 4], 2, async (n) => {
      peak = Math.max(peak, ++running);
      await new Promise((resolve) => setTimeout(resolve, n));
      running--;
      return n * 10;
    });
    expect(results).toEqual([50, 10, 30, 20, 40]);
    expect(peak).toBe(2);
  });

  test('starts nothing new once aborted, and returns what ran', async () => {
    const stop = new AbortController();
    const results = await mapWithConcurrency(
      [1, 2, 3, 4],
      1,
      async (n) => {
        if (n === 2) stop.abort();
        return n;
      },
      stop.signal,
    );
    expect(results).toEqual([1, 2]);
  });
});
