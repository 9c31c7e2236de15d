import { parseExecutionInput } from '../../lambdas/shared/step-payloads';
import {
  dayFileStart,
  decideArrival,
  decideScheduled,
  scheduledDay,
} from '../../lambdas/trigger/decide-start';

const config = { prefix: 'user-data/' };
const key = 'user-data/session_user_data20210702.zip';
const etag = '9b2cf535f27731c974343645a3985328';
const arrival = (over: Partial<Parameters<typeof decideArrival>[0]> = {}) =>
  decideArrival({ bucket: 'incoming', key, etag, time: new Date('2021-07-03T08:00:00Z'), ...over }, config);

describe('an object arrives', () => {
  test('a day file that arrives after its day starts its run, named for the day and the ETag', () => {
    expect(arrival()).toEqual({
      action: 'start',
      date: '2021-07-02',
      name: `day-20210702-${etag}`,
      input: { date: '2021-07-02', source: { key, etag }, skipIfLoaded: true },
    });
  });

  test('a corrected file (another ETag) gets another name, so it runs again', () => {
    const first = arrival();
    const corrected = arrival({
      etag: 'ffffffffffffffffffffffffffffffff',
      time: new Date('2021-08-01T00:00:00Z'),
    });
    expect(corrected.action === 'start' && first.action === 'start' && corrected.name !== first.name).toBe(
      true,
    );
  });

  test('two events for the same object version ask for the same name and the same input', () => {
    const later = arrival({ time: new Date('2021-07-03T08:05:00Z') });
    expect(later).toEqual(arrival());
  });

  test('a quoted ETag (as listings print it) is the same version as the bare one', () => {
    expect(arrival({ etag: `"${etag}"` })).toEqual(arrival());
  });

  test('a multipart ETag keeps its part count in the name', () => {
    const decision = arrival({ etag: 'd41d8cd98f00b204e9800998ecf8427e-3' });
    expect(decision).toMatchObject({ name: 'day-20210702-d41d8cd98f00b204e9800998ecf8427e-3' });
  });

  test("a file of a day not over yet is left to that day's scheduled run", () => {
    expect(arrival({ time: new Date('2021-07-02T23:59:59.999Z') })).toEqual({
      action: 'leftToSchedule',
      date: '2021-07-02',
    });
  });

  test('the first instant after the day starts the run', () => {
    expect(arrival({ time: new Date('2021-07-03T00:00:00Z') }).action).toBe('start');
  });

  test.each([
    'user-data/session_user_data20210702.csv.old',
    'user-data/readme.txt',
    'user-data/nested/session_user_data20210702.zip',
    'user-data/session_user_data20210231.zip',
  ])('%s is not a day file: ignored', (other) => {
    expect(arrival({ key: other })).toEqual({ action: 'ignore', reason: 'not a day file' });
  });

  test("another bucket's object is ignored when the incoming bucket is configured", () => {
    const decide = (bucket: string) =>
      decideArrival(
        { bucket, key, etag, time: new Date('2021-07-03T08:00:00Z') },
        { ...config, bucket: 'incoming' },
      );
    expect(decide('elsewhere')).toEqual({ action: 'ignore', reason: 'not the incoming bucket' });
    expect(decide('incoming').action).toBe('start');
  });

  test('the start request is a valid execution input for Validate, keeping the object version', () => {
    const decision = arrival();
    if (decision.action !== 'start') throw new Error('expected a start');
    expect(parseExecutionInput({ ...decision.input, runId: decision.name })).toEqual({
      date: '2021-07-02',
      runId: decision.name,
      source: { key, etag },
      skipIfLoaded: true,
    });
  });
});

describe('the schedule fires', () => {
  test('runs the UTC day before its time', () => {
    expect(scheduledDay(new Date('2021-07-03T00:30:00Z'))).toBe('2021-07-02');
  });

  test('one day file: exactly the request its arrival event makes (one execution for both)', () => {
    expect(decideScheduled('2021-07-02', { found: 'one', key, etag: `"${etag}"` })).toEqual(arrival());
    expect(decideScheduled('2021-07-02', { found: 'one', key, etag })).toEqual(
      dayFileStart('2021-07-02', key, etag),
    );
  });

  test.each(['none', 'several'] as const)('%s: a scheduled run that Validate fails once', (found) => {
    const decision = decideScheduled('2021-07-02', { found });
    expect(decision).toEqual({
      action: 'start',
      date: '2021-07-02',
      name: 'day-20210702-scheduled',
      input: { date: '2021-07-02', scheduled: true },
    });
    expect(parseExecutionInput(decision.input)).toEqual({ date: '2021-07-02', scheduled: true });
  });
});
