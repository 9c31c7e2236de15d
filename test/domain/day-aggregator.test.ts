import { DayAggregator } from '../../lambdas/domain/day-aggregator';
import { summarizeUser } from '../../lambdas/domain/user-summary';
import type { Search } from '../../lambdas/domain/search';

const search = (over: Partial<Search>): Search => ({
  searchId: '1',
  enabled: true,
  clicks: 5,
  createdAt: null,
  listings: 1,
  type: 'Rental',
  ...over,
});

describe('day aggregates (contract §4, search_stats)', () => {
  test('a day with no users has zero of everything', () => {
    expect(new DayAggregator().aggregates).toEqual({
      numUsers: 0,
      numSearches: 0,
      numRentalSearches: 0,
      numSaleSearches: 0,
      numNoneSearches: 0,
    });
  });

  test('counts users with at least one valid search, and valid searches by bucket', () => {
    const day = new DayAggregator();
    day.add(summarizeUser([search({ type: 'Rental' }), search({ type: 'Sales' })]));
    day.add(summarizeUser([search({ enabled: false })]));
    day.add(summarizeUser([]));
    day.add(summarizeUser([search({ type: '' }), search({ type: 'Sales', clicks: 0 })]));
    expect(day.aggregates).toEqual({
      numUsers: 2,
      numSearches: 3,
      numRentalSearches: 1,
      numSaleSearches: 1,
      numNoneSearches: 1,
    });
  });
});
