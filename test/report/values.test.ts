import { ReportDataError, RowReader, toIsoDay } from '../../local/report/values';

describe('RowReader reads what each driver returns', () => {
  const reader = new RowReader(
    { a: 12, b: BigInt(7), c: '3.25', d: null, e: 'x1', t: 't', day: '2021-07-02' },
    'dailyTrends',
  );

  test('numbers from numbers, BIGINTs and numeric strings (node-postgres, Data API)', () => {
    expect([reader.number('a'), reader.number('b'), reader.number('c')]).toEqual([12, 7, 3.25]);
    expect(reader.numberOrNull('d')).toBeNull();
    expect(reader.boolean('t')).toBe(true);
    expect(reader.day('day')).toBe('2021-07-02');
  });

  test('a missing column or a wrong value names the query and the column', () => {
    expect(() => reader.number('e')).toThrow(
      new ReportDataError('dailyTrends: column e is not a number: "x1"'),
    );
    expect(() => reader.number('d')).toThrow('dailyTrends: column d is NULL');
    expect(() => reader.text('nope')).toThrow('dailyTrends: column nope is missing');
  });
});

describe('toIsoDay keeps the calendar day whatever the time zone', () => {
  const original = process.env.TZ;
  afterEach(() => {
    process.env.TZ = original;
  });

  test.each(['UTC', 'America/Los_Angeles', 'Pacific/Auckland'])('in %s', (zone) => {
    process.env.TZ = zone;
    expect(toIsoDay(new Date(Date.UTC(2021, 6, 2)))).toBe('2021-07-02'); // PGlite: UTC midnight
    expect(toIsoDay(new Date(2021, 6, 2))).toBe('2021-07-02'); // node-postgres: local midnight
    expect(toIsoDay('2021-07-02')).toBe('2021-07-02'); // Data API: text
    expect(toIsoDay(20210702)).toBeNull();
  });
});
