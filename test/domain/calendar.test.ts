import {
  countDays,
  daysInRange,
  isCompactDate,
  isIsoDate,
  previousUtcDay,
  toCompactDate,
  weekday,
} from '../../lambdas/domain/calendar';

describe('calendar dates', () => {
  test.each(['2021-07-02', '2024-02-29', '2000-02-29', '1999-12-31'])('%s is a real date', (d) => {
    expect(isIsoDate(d)).toBe(true);
  });

  test.each([
    '2021-02-29',
    '1900-02-29',
    '2021-13-01',
    '2021-00-10',
    '2021-04-31',
    '2021-7-2',
    '20210702',
    ' 2021-07-02',
    '',
  ])('%p is not a real YYYY-MM-DD date', (d) => {
    expect(isIsoDate(d)).toBe(false);
  });

  test('compact dates follow the same calendar', () => {
    expect(isCompactDate('20210702')).toBe(true);
    expect(isCompactDate('20210230')).toBe(false);
    expect(isCompactDate('2021070')).toBe(false);
  });

  test('the compact form drops the dashes', () => {
    expect(toCompactDate('2021-07-02')).toBe('20210702');
  });

  test('the previous UTC day of a scheduled time crosses months and years', () => {
    expect(previousUtcDay(new Date('2021-07-03T00:30:00Z'))).toBe('2021-07-02');
    expect(previousUtcDay(new Date('2021-03-01T00:30:00Z'))).toBe('2021-02-28');
    expect(previousUtcDay(new Date('2022-01-01T23:59:59Z'))).toBe('2021-12-31');
  });

  test('the previous UTC day ignores the local offset of the timestamp', () => {
    expect(previousUtcDay(new Date('2021-07-03T01:30:00+02:00'))).toBe('2021-07-01');
  });

  test('countDays counts both ends and is 0 for a reversed range', () => {
    expect(countDays('2021-07-01', '2021-07-01')).toBe(1);
    expect(countDays('2021-07-01', '2021-07-31')).toBe(31);
    expect(countDays('2021-07-02', '2021-07-01')).toBe(0);
  });

  test('a range lists every day in order, across a leap day, and none when reversed', () => {
    expect(daysInRange('2020-02-28', '2020-03-01')).toEqual(['2020-02-28', '2020-02-29', '2020-03-01']);
    expect(daysInRange('2021-07-02', '2021-07-01')).toEqual([]);
  });

  test('weekday counts from Sunday in UTC', () => {
    expect(weekday('2021-07-04')).toBe(0);
    expect(weekday('2021-07-10')).toBe(6);
  });
});
