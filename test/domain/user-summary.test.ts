import { ceilDiv, summarizeUser, validSearchDataJson } from '../../lambdas/domain/user-summary';
import type { Search } from '../../lambdas/domain/search';

const search = (over: Partial<Search>): Search => ({
  searchId: '1',
  enabled: true,
  clicks: 5,
  createdAt: '20210702',
  listings: 1,
  type: 'Rental',
  ...over,
});

describe('per-user result (contract §3.1)', () => {
  test('counts only valid searches, by type bucket', () => {
    const summary = summarizeUser([
      search({ type: 'Rental' }),
      search({ type: 'Sales' }),
      search({ type: '' }),
      search({ type: null }),
      search({ type: 'Rental', enabled: false }),
      search({ type: 'Sales', clicks: 2 }),
    ]);
    expect(summary).toMatchObject({ numEligibleSearches: 4, numRental: 1, numSale: 1, numNone: 2 });
  });

  test('avg_listings is the mean over valid searches rounded up', () => {
    const summary = summarizeUser([
      search({ listings: 1 }),
      search({ listings: 2 }),
      search({ listings: 100, enabled: false }),
    ]);
    expect(summary.avgListings).toBe(2);
  });

  test('avg_listings of an exact mean is not rounded', () => {
    expect(summarizeUser([search({ listings: 4 }), search({ listings: 6 })]).avgListings).toBe(5);
  });

  test('a user without valid searches has zero of everything', () => {
    expect(summarizeUser([search({ enabled: false })])).toEqual({
      validSearches: [],
      numEligibleSearches: 0,
      avgListings: 0,
      numRental: 0,
      numSale: 0,
      numNone: 0,
    });
  });

  test('valid searches keep their 1-based position in user_data', () => {
    const summary = summarizeUser([
      search({ clicks: 0 }),
      search({ searchId: '2' }),
      search({ clicks: 1 }),
      search({ searchId: '4' }),
    ]);
    expect(summary.validSearches.map((v) => [v.seq, v.search.searchId])).toEqual([
      [2, '2'],
      [4, '4'],
    ]);
  });

  test('valid_search_data matches the contract example byte for byte', () => {
    const summary = summarizeUser([
      { searchId: '4410', enabled: true, clicks: 4, createdAt: '20210702', listings: 6, type: 'Rental' },
    ]);
    expect(validSearchDataJson(summary.validSearches)).toBe(
      '[{"search_id":"4410","enabled":true,"clicks":4,"created_at":"20210702","listings":6,"type":"Rental"}]',
    );
  });

  test('valid_search_data writes absent optional keys as null and escapes the type', () => {
    const summary = summarizeUser([search({ createdAt: null, type: null }), search({ type: 'a "b"' })]);
    const parsed = JSON.parse(validSearchDataJson(summary.validSearches)) as unknown[];
    expect(parsed).toEqual([
      { search_id: '1', enabled: true, clicks: 5, created_at: null, listings: 1, type: null },
      { search_id: '1', enabled: true, clicks: 5, created_at: '20210702', listings: 1, type: 'a "b"' },
    ]);
  });

  test.each([
    [0, 1, 0],
    [1, 2, 1],
    [5, 2, 3],
    [6, 3, 2],
    [2 ** 40 + 1, 2 ** 20, 2 ** 20 + 1],
  ])('ceilDiv(%d, %d) = %d', (a, b, expected) => {
    expect(ceilDiv(a, b)).toBe(expected);
  });
});
