import { parsePlanInput } from '../../lambdas/backfill/backfill-payloads';
import { MAX_BACKFILL_DAYS, planBackfill } from '../../lambdas/backfill/plan-days';
import { daysInRange } from '../../lambdas/domain/calendar';
import { InvalidRequest } from '../../lambdas/shared/errors';

/** The plan step as its handler runs it: the input parsed at the boundary, then planned. */
const plan = (request: unknown, executionName: unknown = 'bf-1', defaultMaxConcurrency: unknown = 4) =>
  planBackfill(parsePlanInput({ request, executionName, defaultMaxConcurrency }));

describe('planning a back-fill', () => {
  test.each([
    ['one day', '2021-07-05', '2021-07-05', ['2021-07-05']],
    ['the seed history', '2021-07-02', '2021-07-24', daysInRange('2021-07-02', '2021-07-24')],
    [
      'across a month end',
      '2021-06-29',
      '2021-07-02',
      ['2021-06-29', '2021-06-30', '2021-07-01', '2021-07-02'],
    ],
    ['across a leap day', '2020-02-28', '2020-03-01', ['2020-02-28', '2020-02-29', '2020-03-01']],
    ['across a year end', '2021-12-31', '2022-01-01', ['2021-12-31', '2022-01-01']],
  ])('%s: every day from "from" to "to", in order', (_name, from, to, expected) => {
    expect(plan({ from, to }).days.map((d) => d.date)).toEqual(expected);
  });

  test('the seed history is 23 days', () => {
    expect(plan({ from: '2021-07-02', to: '2021-07-24' }).days).toHaveLength(23);
  });

  test('a full leap year (366 days) is allowed, one day more is not', () => {
    expect(plan({ from: '2020-01-01', to: '2020-12-31' }).days).toHaveLength(MAX_BACKFILL_DAYS);
    expect(() => plan({ from: '2020-01-01', to: '2021-01-01' })).toThrow(
      /^request\.to is too far: 2020-01-01\.\.2021-01-01 has 367 days; one back-fill covers at most 366/,
    );
  });

  test.each([
    [
      'a missing from',
      { to: '2021-07-05' },
      /^request\.from is missing \(it must be a real calendar date as YYYY-MM-DD\)$/,
    ],
    [
      'a non-date to',
      { from: '2021-07-05', to: 'tomorrow' },
      /^request\.to must be a real calendar date .* got "tomorrow"$/,
    ],
    [
      'a day that does not exist',
      { from: '2021-02-29', to: '2021-03-01' },
      /^request\.from must be .* got "2021-02-29"$/,
    ],
    ['a day not zero-padded', { from: '2021-7-5', to: '2021-07-06' }, /^request\.from must be/],
    ['a number for a date', { from: 20210705, to: '2021-07-06' }, /^request\.from must be .* got 20210705$/],
    [
      'from after to',
      { from: '2021-07-10', to: '2021-07-01' },
      /^request\.from is after to \(2021-07-01\), got "2021-07-10"$/,
    ],
    ['more than 366 days', { from: '2021-01-01', to: '2022-12-31' }, /has 730 days/],
    [
      'a concurrency of 0',
      { from: '2021-07-01', to: '2021-07-02', maxConcurrency: 0 },
      /^request\.maxConcurrency must be an integer from 1 to 40, got 0$/,
    ],
    ['a concurrency over 40', { from: '2021-07-01', to: '2021-07-02', maxConcurrency: 41 }, /got 41$/],
    ['a fractional concurrency', { from: '2021-07-01', to: '2021-07-02', maxConcurrency: 1.5 }, /got 1.5$/],
    ['a concurrency as text', { from: '2021-07-01', to: '2021-07-02', maxConcurrency: '4' }, /got "4"$/],
    ['an input that is not an object', ['2021-07-01', '2021-07-02'], /^request must be a JSON object/],
    ['no input', null, /^request must be a JSON object/],
  ])('rejects %s as InvalidRequest (never retried), naming the field', (_name, request, message) => {
    const attempt = () => plan(request);
    expect(attempt).toThrow(InvalidRequest);
    expect(attempt).toThrow(message);
  });

  test("the input's maxConcurrency wins over the machine's default", () => {
    expect(plan({ from: '2021-07-01', to: '2021-07-02', maxConcurrency: 8 }, 'bf', 4).maxConcurrency).toBe(8);
    expect(plan({ from: '2021-07-01', to: '2021-07-02' }, 'bf', 4).maxConcurrency).toBe(4);
  });

  test('other keys of the input are ignored and from/to are echoed', () => {
    const result = plan({ from: '2021-07-01', to: '2021-07-01', comment: 're-run after the fix' });
    expect(result).toEqual({
      from: '2021-07-01',
      to: '2021-07-01',
      maxConcurrency: 4,
      days: [{ date: '2021-07-01', executionName: '2021-07-01-bf-1' }],
    });
  });

  test('needs the execution name to name the children', () => {
    expect(() => plan({ from: '2021-07-01', to: '2021-07-01' }, null)).toThrow(/^executionName must be/);
    expect(() => plan({ from: '2021-07-01', to: '2021-07-01' }, '')).toThrow(
      /^executionName must be a non-empty string, got ""$/,
    );
  });
});

describe("a child execution's name", () => {
  /** The name the plan gives the one day of a back-fill named `parentName`. */
  const childExecutionName = (date: string, parentName: string): string | undefined =>
    plan({ from: date, to: date }, parentName).days[0]?.executionName;

  test('is <day>-<back-fill name>', () => {
    expect(childExecutionName('2021-07-05', 'backfill-2021-07-02-2021-07-24-1a2b3c4d')).toBe(
      '2021-07-05-backfill-2021-07-02-2021-07-24-1a2b3c4d',
    );
  });

  test('replaces characters an execution name cannot hold', () => {
    expect(childExecutionName('2021-07-05', 'ops run #3')).toBe('2021-07-05-ops_run__3');
  });

  test('stays within 80 characters, unique per parent and the same on every attempt', () => {
    const long = 'x'.repeat(75);
    const name = childExecutionName('2021-07-05', long);
    expect(name).toHaveLength(80);
    expect(name).toMatch(/^2021-07-05-x+-[0-9a-f]{8}$/);
    expect(childExecutionName('2021-07-05', long)).toBe(name);
    expect(childExecutionName('2021-07-05', `${long}y`)).not.toBe(name);
  });
});
