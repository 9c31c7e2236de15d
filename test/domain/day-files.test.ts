import { dayFileExecutionName, dayFileKeys, dayFileOf, endOfDay } from '../../lambdas/domain/day-files';

describe('dayFileOf', () => {
  test.each([
    ['incoming/session_user_data20210702.zip', { date: '2021-07-02', compactDate: '20210702' }],
    ['incoming/session_user_data20210702.csv', { date: '2021-07-02', compactDate: '20210702' }],
    ['incoming/session_user_data20240229.csv.gz', { date: '2024-02-29', compactDate: '20240229' }],
  ])('reads the day of the day file %s', (key, day) => {
    expect(dayFileOf(key, 'incoming/')).toEqual(day);
  });

  test.each([
    ['incoming/session_user_data20210702.csv.old', 'another extension'],
    ['incoming/session_user_data20210702.zip.tmp', 'a temporary name'],
    ['incoming/session_user_data20210230.zip', 'no such calendar day'],
    ['incoming/session_user_data2021070.zip', 'seven digits'],
    ['incoming/sub/session_user_data20210702.zip', 'not directly under the prefix'],
    ['other/session_user_data20210702.zip', 'outside the prefix'],
    ['incoming/readme.txt', 'not a day file at all'],
  ])('ignores %s (%s)', (key) => {
    expect(dayFileOf(key, 'incoming/')).toBeUndefined();
  });

  test('reads keys at the bucket root when the prefix is empty', () => {
    expect(dayFileOf('session_user_data20211231.zip', '')).toEqual({
      date: '2021-12-31',
      compactDate: '20211231',
    });
  });

  test('every key dayFileKeys lists is read back as its day', () => {
    for (const key of dayFileKeys('in/', '20210702')) {
      expect(dayFileOf(key, 'in/')).toEqual({ date: '2021-07-02', compactDate: '20210702' });
    }
  });
});

describe('endOfDay', () => {
  test('is midnight UTC after the day, across months and leap days', () => {
    expect(endOfDay('2021-07-31').toISOString()).toBe('2021-08-01T00:00:00.000Z');
    expect(endOfDay('2024-02-28').toISOString()).toBe('2024-02-29T00:00:00.000Z');
  });
});

describe('dayFileExecutionName', () => {
  test('names one object version: day and ETag, quotes dropped', () => {
    expect(dayFileExecutionName('20210702', '"9b2cf535f27731c974343645a3985328"')).toBe(
      'day-20210702-9b2cf535f27731c974343645a3985328',
    );
  });

  test('keeps a multipart ETag apart from a single-part one', () => {
    const multipart = dayFileExecutionName('20210702', 'd41d8cd98f00b204e9800998ecf8427e-12');
    expect(multipart).toBe('day-20210702-d41d8cd98f00b204e9800998ecf8427e-12');
    expect(multipart).not.toBe(dayFileExecutionName('20210702', 'd41d8cd98f00b204e9800998ecf8427e'));
  });

  test('stays a valid execution name whatever the ETag holds', () => {
    const name = dayFileExecutionName('20210702', `${'x'.repeat(100)}/"é `);
    expect(name).toMatch(/^[A-Za-z0-9_-]{1,80}$/);
  });
});
