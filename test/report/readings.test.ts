import * as readings from '../../local/report/readings';
import type {
  EngagingSearch,
  StandoutDay,
  TypeEngagement,
  WeekdayAverage,
} from '../../local/report/report-data';

const search = (rank: number, searchId: number, totalClicks: number, numUsers: number): EngagingSearch => ({
  rank,
  searchId: String(searchId),
  totalClicks,
  numValidSearches: numUsers + 1,
  numUsers,
  numDays: 2,
  maxClicks: 50,
  clicksPerSearch: totalClicks / (numUsers + 1),
  clicksPerListing: null,
});
const sharedTop = { maxClicks: 50, numValidSearches: 2345, numSearchIds: 40, numUsers: 2000 };

test('the top-search reading names the search id with the most clicks over all its valid searches', () => {
  expect(readings.topSearchReading([search(1, 4410, 1234, 50), search(2, 77, 900, 40)], sharedTop)).toBe(
    'The most engaging search is search 4410: 1,234 clicks in total over 51 valid searches by 50 users on 2 days. ' +
      'No single valid search can be named instead: 2,345 valid searches share the top count of 50 clicks.',
  );
});

test('the top-search reading says how a tie on clicks was decided', () => {
  const once = { maxClicks: 50, numValidSearches: 1, numSearchIds: 1, numUsers: 1 };
  expect(readings.topSearchReading([search(1, 12, 300, 3), search(2, 7, 300, 2)], once)).toBe(
    'The most engaging search is search 12: 300 clicks in total over 4 valid searches by 3 users on 2 days. ' +
      'Search 7 ties at 300 clicks; 12 ranks first with more users (3 vs 2). ' +
      'The top count for a single valid search, 50 clicks, is reached once.',
  );
  expect(readings.topSearchReading([search(1, 5, 300, 2), search(2, 7, 300, 2)], once)).toContain(
    'Search 7 ties on clicks and users; the lower search id ranks first.',
  );
  expect(
    readings.topSearchReading([], { maxClicks: null, numValidSearches: 0, numSearchIds: 0, numUsers: 0 }),
  ).toBe('No valid search in the period.');
});

test('the type reading names a leader only beyond the 1% rule, at the precision that separates them', () => {
  const type = (typeBucket: string, clicksPerSearch: number, shareOfUsersPct: number): TypeEngagement => ({
    typeBucket,
    numValidSearches: 100,
    shareOfSearchesPct: 33.3,
    numUserDays: 50,
    shareOfUsersPct,
    clicksPerSearch,
    listingsPerSearch: 5,
  });
  // Three values that all read 6.02 at two decimals: rental is the LOWEST unrounded.
  expect(
    readings.typeEngagementReading([
      type('rental', 6.0188, 40),
      type('sale', 6.0213, 35),
      type('none', 6.0239, 30),
    ]),
  ).toBe(
    'Clicks per valid search are about the same for every type (6.024 for no type, 6.021 for sale, 6.019 for rental: ' +
      'within 1% of each other). Rental searches reach the most users: 40% of active user-days.',
  );
  expect(
    readings.typeEngagementReading([type('rental', 7.5, 40), type('sale', 6.02, 35), type('none', 6.01, 30)]),
  ).toBe(
    'Rental searches draw the most clicks per valid search (7.50 vs 6.02 for sale, 6.01 for no type). ' +
      'Rental searches reach the most users: 40% of active user-days.',
  );
  expect(
    readings.typeEngagementReading([type('rental', 7.5, 40), type('sale', 7.48, 35), type('none', 6.01, 30)]),
  ).toBe(
    'Rental and sale searches draw about the same clicks per valid search (7.50 for rental, 7.48 for sale: ' +
      'within 1% of each other), more than 6.01 for no type. Rental searches reach the most users: 40% of active user-days.',
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
