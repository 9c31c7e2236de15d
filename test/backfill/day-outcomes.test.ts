import { describeDayFailure, MAX_CAUSE_CHARS } from '../../lambdas/backfill/day-failure';
import { summarizeBackfill } from '../../lambdas/backfill/summarize';
import {
  parseFailureInput,
  parseSummaryInput,
  type DayOutcome,
} from '../../lambdas/backfill/backfill-payloads';

/**
 * What Step Functions keeps of an execution's failure cause
 * (https://docs.aws.amazon.com/step-functions/latest/apireference/API_ExecutionFailedEventDetails.html).
 */
const FAIL_CAUSE_LIMIT = 32_768;

/** The steps as their handlers run them: the input parsed at the boundary, then the pure function. */
const describeFailure = (event: unknown) => describeDayFailure(parseFailureInput(event));
const summarize = (event: unknown) => summarizeBackfill(parseSummaryInput(event));

/** What the RunDay task's Catch holds when the child execution failed (DescribeExecution as JSON). */
function childFailed(child: Record<string, unknown>): { Error: string; Cause: string } {
  return {
    Error: 'States.TaskFailed',
    Cause: JSON.stringify({
      ExecutionArn: 'arn:aws:states:eu-west-1:123456789012:execution:Daily:2021-07-03-bf',
      Input: '{"date":"2021-07-03"}',
      Name: '2021-07-03-bf',
      StartDate: 1625270400000,
      StopDate: 1625271300000,
      ...child,
    }),
  };
}

const lambdaCause = (errorType: string, errorMessage: string) =>
  JSON.stringify({ errorType, errorMessage, trace: [`${errorType}: ${errorMessage}`, '    at validateDay'] });

describe("a failed day's record", () => {
  const describe_ = (failure: unknown) =>
    describeFailure({ date: '2021-07-03', execution: '2021-07-03-bf', failure });

  test("names the child's error and the message of its Lambda error", () => {
    const failure = childFailed({
      Status: 'FAILED',
      Error: 'InputNotFound',
      Cause: lambdaCause('InputNotFound', 'no object for 2021-07-03 under s3://incoming/user-data/'),
    });
    expect(describe_(failure)).toEqual({
      date: '2021-07-03',
      status: 'FAILED',
      execution: '2021-07-03-bf',
      error: 'InputNotFound',
      cause: 'no object for 2021-07-03 under s3://incoming/user-data/',
    });
  });

  test.each([
    ['timed out', 'TIMED_OUT', 'States.Timeout'],
    ['was stopped', 'ABORTED', 'ExecutionAborted'],
  ])('a child that %s without an error of its own', (_name, status, error) => {
    expect(describe_(childFailed({ Status: status }))).toMatchObject({
      error,
      cause: `the child execution ended ${status}`,
    });
  });

  test('a start that failed (e.g. a name already used) is recorded with its own error', () => {
    expect(
      describe_({
        Error: 'StepFunctions.ExecutionAlreadyExistsException',
        Cause: 'Execution Already Exists',
      }),
    ).toMatchObject({
      error: 'StepFunctions.ExecutionAlreadyExistsException',
      cause: 'Execution Already Exists',
    });
  });

  test("the day's own timeout", () => {
    expect(describe_({ Error: 'States.Timeout' })).toMatchObject({ error: 'States.Timeout', cause: '' });
  });

  test('a long reason is cut to one short line, so a year of failed days fits the Map output', () => {
    const message = `line one\n  line two ${'x'.repeat(1000)}`;
    const record = describe_(childFailed({ Status: 'FAILED', Error: 'MalformedInput', Cause: message }));
    expect(record.cause).toHaveLength(MAX_CAUSE_CHARS);
    expect(record.cause).toMatch(/^line one line two x+…$/);
  });

  test('never throws, whatever it is given', () => {
    expect(describeFailure(undefined)).toEqual({
      date: '',
      status: 'FAILED',
      execution: '',
      error: 'Unknown',
      cause: '',
    });
    expect(describe_({ Error: 'States.TaskFailed', Cause: 'not json' })).toMatchObject({
      error: 'States.TaskFailed',
      cause: 'not json',
    });
  });
});

describe('the back-fill summary', () => {
  const ok = (date: string): DayOutcome => ({ date, status: 'SUCCEEDED', execution: `${date}-bf` });
  const failed = (date: string, error = 'InputNotFound'): DayOutcome => ({
    date,
    status: 'FAILED',
    execution: `${date}-bf`,
    error,
    cause: `no object for ${date}`,
  });

  test('counts the days succeeded and failed and lists each failure with its reason', () => {
    const { summary } = summarize({
      from: '2021-07-01',
      to: '2021-07-03',
      results: [ok('2021-07-01'), failed('2021-07-02'), ok('2021-07-03')],
    });
    expect(summary).toEqual({
      from: '2021-07-01',
      to: '2021-07-03',
      days: 3,
      succeeded: 2,
      failed: 1,
      succeededDays: ['2021-07-01', '2021-07-03'],
      failures: [
        {
          date: '2021-07-02',
          execution: '2021-07-02-bf',
          error: 'InputNotFound',
          cause: 'no object for 2021-07-02',
        },
      ],
      message: '3 days 2021-07-01..2021-07-03: 2 succeeded, 1 failed (2021-07-02)',
    });
  });

  test('all succeeded', () => {
    const { summary } = summarize({
      from: '2021-07-01',
      to: '2021-07-01',
      results: [ok('2021-07-01')],
    });
    expect(summary).toMatchObject({ days: 1, succeeded: 1, failed: 0, failures: [] });
    expect(summary.message).toBe('1 day 2021-07-01..2021-07-01: all succeeded');
  });

  test("the Fail state's cause is the summary as JSON", () => {
    const result = summarize({
      from: '2021-07-01',
      to: '2021-07-02',
      results: [ok('2021-07-01'), failed('2021-07-02')],
    });
    expect(JSON.parse(result.cause)).toEqual(result.summary);
  });

  test('a year of failed days still fits the cause limit: the first failures are kept, the rest counted', () => {
    const days = Array.from({ length: 366 }, (_, i) =>
      new Date(Date.UTC(2020, 0, 1 + i)).toISOString().slice(0, 10),
    );
    const results = days.map((d) => ({ ...failed(d), cause: 'y'.repeat(MAX_CAUSE_CHARS) }));
    const { summary, cause } = summarize({ from: days[0], to: days[365], results });
    expect(summary.failed).toBe(366);
    expect(summary.message).toBe(
      `366 days 2020-01-01..2020-12-31: 0 succeeded, 366 failed (${days.slice(0, 10).join(', ')} and 356 more)`,
    );
    expect(cause.length).toBeLessThanOrEqual(FAIL_CAUSE_LIMIT);
    const parsed = JSON.parse(cause) as { failures: { date: string }[]; omittedFailures: number };
    expect(parsed.failures.length).toBeGreaterThan(50);
    expect(parsed.failures.length + parsed.omittedFailures).toBe(366);
    expect(parsed.failures[0]?.date).toBe('2020-01-01');
  });

  test('an outcome that is not a success counts as a failure', () => {
    const { summary } = summarize({
      from: '2021-07-01',
      to: '2021-07-01',
      results: [{ date: '2021-07-01' }],
    });
    expect(summary.failed).toBe(1);
    expect(summary.failures[0]).toMatchObject({ date: '2021-07-01', error: 'Unknown' });
  });
});
