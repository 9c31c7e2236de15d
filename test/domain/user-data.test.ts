import { parseUserData } from '../../lambdas/domain/user-data';
import { END, renderPairs, renderSearch, SEP, standard, START } from './render';

const SPEC_USER_501 =
  '--\\\\n-:search_id:77\\\\n:enabled:False\\\\n:clicks:9\\\\n:created_at:20210702\\\\n:listings:2\\\\n:type:\\n' +
  '--\\\\n-:search_id:78\\\\n:enabled:True\\\\n:clicks:3\\\\n:created_at:20210702\\\\n:listings:5\\\\n:type:Sales\\n';

describe('parseUserData: the grammar of contract §1', () => {
  test('reads the contract example of user 501 as two typed searches', () => {
    expect(parseUserData(SPEC_USER_501)).toEqual({
      ok: true,
      searches: [
        { searchId: '77', enabled: false, clicks: 9, createdAt: '20210702', listings: 2, type: '' },
        { searchId: '78', enabled: true, clicks: 3, createdAt: '20210702', listings: 5, type: 'Sales' },
      ],
    });
  });

  test('the rendering helpers produce exactly the contract text', () => {
    expect(START + SEP + END).toBe('--\\\\n-:\\\\n:\\n');
    expect(
      renderSearch(standard({ search_id: '77' })).startsWith('--\\\\n-:search_id:77\\\\n:enabled:'),
    ).toBe(true);
  });

  test('an empty user_data is a user with zero searches', () => {
    expect(parseUserData('')).toEqual({ ok: true, searches: [] });
  });

  test('keeps search_id as the digit string, leading zeros included', () => {
    const parsed = parseUserData(renderSearch(standard({ search_id: '007' })));
    expect(parsed.ok && parsed.searches[0]?.searchId).toBe('007');
  });

  test.each(['True', 'true', 'TRUE', 'tRuE'])('reads enabled %s as true', (value) => {
    const parsed = parseUserData(renderSearch(standard({ enabled: value })));
    expect(parsed.ok && parsed.searches[0]?.enabled).toBe(true);
  });

  test.each(['False', 'false', 'FALSE'])('reads enabled %s as false', (value) => {
    const parsed = parseUserData(renderSearch(standard({ enabled: value })));
    expect(parsed.ok && parsed.searches[0]?.enabled).toBe(false);
  });

  test('accepts keys in another order', () => {
    const text = renderPairs([
      ['type', 'Sales'],
      ['listings', '1'],
      ['clicks', '5'],
      ['enabled', 'True'],
      ['search_id', '9'],
    ]);
    expect(parseUserData(text)).toEqual({
      ok: true,
      searches: [{ searchId: '9', enabled: true, clicks: 5, createdAt: null, listings: 1, type: 'Sales' }],
    });
  });

  test('created_at and type are optional (null when absent)', () => {
    const parsed = parseUserData(renderSearch(standard({ created_at: undefined, type: undefined })));
    expect(parsed).toEqual({
      ok: true,
      searches: [{ searchId: '4410', enabled: true, clicks: 4, createdAt: null, listings: 6, type: null }],
    });
  });

  test('a value may contain a colon', () => {
    const parsed = parseUserData(renderSearch(standard({ type: 'a:b' })));
    expect(parsed.ok && parsed.searches[0]?.type).toBe('a:b');
  });

  test('accepts the largest INTEGER and BIGINT values', () => {
    const parsed = parseUserData(
      renderSearch(standard({ search_id: '9223372036854775807', clicks: '2147483647', listings: '0' })),
    );
    expect(parsed.ok && parsed.searches[0]).toMatchObject({ clicks: 2147483647, listings: 0 });
  });
});

describe('parseUserData: rejections name a stable reason and the search', () => {
  const cases: [string, string, string, RegExp][] = [
    [
      'missing terminator',
      START + 'search_id:1\\\\n:enabled:True\\\\n:clicks:3\\\\n:listings:1',
      'missing_terminator',
      /search 1/,
    ],
    ['text after the last search', renderSearch(standard()) + 'x', 'invalid_search_start', /search 2/],
    ['no search start', 'search_id:1\\n', 'invalid_search_start', /search 1/],
    ['a stray backslash', START + 'search_id:1\\x\\n', 'invalid_separator', /search 1/],
    ['a field without a colon', START + 'search_id\\n', 'malformed_field', /search 1/],
    ['an empty key', START + ':1\\n', 'malformed_field', /search 1/],
    ['an unknown key', renderSearch(standard({ color: 'red' })), 'unknown_key', /"color"/],
    [
      'a key twice',
      renderPairs([
        ['clicks', '1'],
        ['clicks', '2'],
      ]),
      'duplicate_key',
      /"clicks"/,
    ],
    ['missing search_id', renderSearch(standard({ search_id: undefined })), 'missing_search_id', /search 1/],
    ['missing enabled', renderSearch(standard({ enabled: undefined })), 'missing_enabled', /search 1/],
    ['missing clicks', renderSearch(standard({ clicks: undefined })), 'missing_clicks', /search 1/],
    ['missing listings', renderSearch(standard({ listings: undefined })), 'missing_listings', /search 1/],
    ['clicks not an integer', renderSearch(standard({ clicks: 'abc' })), 'invalid_clicks', /"abc"/],
    ['clicks with a decimal point', renderSearch(standard({ clicks: '3.0' })), 'invalid_clicks', /"3.0"/],
    ['negative clicks', renderSearch(standard({ clicks: '-3' })), 'invalid_clicks', /"-3"/],
    [
      'clicks above INTEGER',
      renderSearch(standard({ clicks: '2147483648' })),
      'invalid_clicks',
      /2147483648/,
    ],
    ['empty clicks', renderSearch(standard({ clicks: '' })), 'invalid_clicks', /""/],
    ['negative listings', renderSearch(standard({ listings: '-1' })), 'invalid_listings', /"-1"/],
    ['search_id not an integer', renderSearch(standard({ search_id: '12a' })), 'invalid_search_id', /"12a"/],
    [
      'search_id above BIGINT',
      renderSearch(standard({ search_id: '9223372036854775808' })),
      'invalid_search_id',
      /BIGINT/,
    ],
    [
      'enabled neither True nor False',
      renderSearch(standard({ enabled: 'yes' })),
      'invalid_enabled',
      /"yes"/,
    ],
    [
      'created_at not a date',
      renderSearch(standard({ created_at: '20210230' })),
      'invalid_created_at',
      /20210230/,
    ],
    ['created_at empty', renderSearch(standard({ created_at: '' })), 'invalid_created_at', /""/],
    [
      'type longer than the column',
      renderSearch(standard({ type: 'x'.repeat(65) })),
      'invalid_type',
      /64 bytes/,
    ],
  ];

  test.each(cases)('%s', (_name, text, reason, detail) => {
    const parsed = parseUserData(text);
    expect(parsed).toMatchObject({ ok: false, reason });
    expect(!parsed.ok && parsed.detail).toMatch(detail);
  });

  test('names the failing search when an earlier one is fine', () => {
    const text = renderSearch(standard()) + renderSearch(standard({ clicks: 'x' }));
    expect(parseUserData(text)).toMatchObject({
      ok: false,
      reason: 'invalid_clicks',
      detail: expect.stringMatching(/^search 2/),
    });
  });

  test('a type holding U+FEFF (a byte order mark) is invalid_type, not a type of its own', () => {
    for (const type of ['\uFEFFRental', 'Sal\uFEFFes', '\uFEFF']) {
      expect(parseUserData(renderSearch(standard({ type })))).toMatchObject({
        ok: false,
        reason: 'invalid_type',
        detail: 'search 1: type holds U+FEFF (a byte order mark)',
      });
    }
  });

  test('a type of 64 multi-byte characters is too long in bytes', () => {
    expect(parseUserData(renderSearch(standard({ type: 'é'.repeat(33) })))).toMatchObject({
      reason: 'invalid_type',
    });
    expect(parseUserData(renderSearch(standard({ type: 'é'.repeat(32) })))).toMatchObject({ ok: true });
  });
});
