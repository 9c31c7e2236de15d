import { isValidSearch, typeBucket, type Search } from '../../lambdas/domain/search';

const search = (over: Partial<Search>): Search => ({
  searchId: '1',
  enabled: true,
  clicks: 3,
  createdAt: '20210702',
  listings: 1,
  type: 'Rental',
  ...over,
});

describe('search rules (contract §2)', () => {
  test('an enabled search with 3 clicks is valid', () => {
    expect(isValidSearch(search({ enabled: true, clicks: 3 }))).toBe(true);
  });

  test('an enabled search with 2 clicks is not valid', () => {
    expect(isValidSearch(search({ enabled: true, clicks: 2 }))).toBe(false);
  });

  test('a disabled search is never valid', () => {
    expect(isValidSearch(search({ enabled: false, clicks: 100 }))).toBe(false);
  });

  test.each([
    ['Rental', 'rental'],
    ['Sales', 'sale'],
    ['', 'none'],
    [null, 'none'],
    ['rental', 'none'],
    ['Sale', 'none'],
  ] as const)('type %p goes to bucket %s', (type, bucket) => {
    expect(typeBucket(type)).toBe(bucket);
  });
});
