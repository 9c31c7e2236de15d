import * as readings from '../../local/report/readings';
import type { EngagingSearch, StandoutDay, WeekdayAverage } from '../../local/report/report-data';

const search = (rank: number, clicks: number, listings: number): EngagingSearch => ({
  rank,
  day: '2021-07-03',
  userId: `u${rank}`,
  searchId: String(100 + rank),
  clicks,
  listings,
  typeBucket: 'rental',
  clicksPerListing: listings === 0 ? null : clicks / listings,
});

test('the top-search reading names the winner and explains a tie', () => {
  expect(readings.topSearchReading([search(1, 40, 2), search(2, 40, 5), search(3, 12, 1)])).toBe(
    'The most engaging search was search 101 by user u1 on Sat 3 Jul: 40 clicks on 2 listings. ' +
      '2 searches tie at 40 clicks; fewer listings ranks first, then lower search id and earlier day.',
  );
  expect(readings.topSearchReading([search(1, 1, 1)])).toBe(
    'The most engaging search was search 101 by user u1 on Sat 3 Jul: 1 click on 1 listing.',
  );
});

test('the stand-out reading says when nothing stands out, and why when it cannot', () => {
  expect(readings.standoutReading([], 23)).toBe(
    'No day stands out: every day is within 2 standard deviations of the period average.',
  );
  expect(readings.standoutReading([], 4)).toBe('Too few days (4) for any to stand out: it takes at least 6.');
});

test('the stand-out reading counts days, not measures, and describes the furthest', () => {
  const standout = (day: string, measure: StandoutDay['measure'], zScore: number): StandoutDay => ({
    day,
    weekday: 'Thursday',
    measure,
    value: 10,
    periodMean: 20,
    zScore,
    vsMeanPct: -50,
    direction: zScore > 0 ? 'above' : 'below',
  });
  expect(
    readings.standoutReading(
      [
        standout('2021-07-15', 'users', -3.1),
        standout('2021-07-15', 'valid_searches', -2.5),
        standout('2021-07-20', 'users', 2.1),
      ],
      23,
    ),
  ).toBe(
    '2 days stand out; the furthest is Thu 15 Jul: 10 users, \u221250% vs the average of 20 ' +
      '(3.1 standard deviations below; the bar is 2).',
  );
});

test('the weekday reading needs two weekdays and flags thin evidence', () => {
  const weekday = (isoWeekday: number, name: string, avg: number, numDays: number): WeekdayAverage => ({
    isoWeekday,
    weekday: name,
    numDays,
    avgValidSearches: avg,
    avgUsers: avg / 2,
    searchesVsPeriodPct: avg - 100,
  });
  expect(readings.weekdayReading([weekday(1, 'Monday', 100, 3)])).toBe(
    'Only Mondays are loaded so far: no weekday pattern yet.',
  );
  expect(readings.weekdayReading([weekday(1, 'Monday', 90, 3), weekday(6, 'Saturday', 120, 1)])).toBe(
    'Saturdays are the busiest (120 valid searches on average, +20% vs the period average) and Mondays the ' +
      'quietest (90, \u221210% vs the period average). Some weekdays have a single day behind them.',
  );
});

test('the type-mix reading leads with the largest bucket', () => {
  expect(readings.typeMixReading([{ day: '2021-07-02', rental: 6, sale: 3, none: 1 }])).toBe(
    'Rental searches lead with 60% of valid searches (sale 30%, no type 10%).',
  );
  expect(readings.typeMixReading([])).toBe('No valid search in the period, so no type mix to show.');
});
