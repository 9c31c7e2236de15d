import { RowAccountant } from '../../lambdas/domain/row-accountant';
import { hash53 } from '../../lambdas/domain/hash53';
import { renderSearch, standard } from './render';

const GOOD = renderSearch(standard());
const OTHER = renderSearch(standard({ search_id: '9' }));

describe('row accounting (contract §2)', () => {
  test('keeps a readable line with its parsed searches', () => {
    const rows = new RowAccountant();
    expect(rows.account({ line: 2, userId: '500', userData: GOOD })).toMatchObject({
      kind: 'kept',
      searches: [{ searchId: '4410' }],
    });
    expect(rows.counts).toEqual({ read: 1, kept: 1, duplicate: 0, rejected: 0 });
  });

  test.each([' ', '   ', '\t', ' \u00a0\u3000'])(
    'rejects a user_id of only whitespace (%j) as blank_user_id, before reading user_data',
    (userId) => {
      const rows = new RowAccountant();
      expect(rows.account({ line: 3, userId, userData: GOOD })).toEqual({
        kind: 'rejected',
        line: 3,
        reason: 'blank_user_id',
        detail: 'user_id holds only whitespace',
      });
      expect(rows.counts).toEqual({ read: 1, kept: 0, duplicate: 0, rejected: 1 });
    },
  );

  test('keeps a user_id with spaces around other characters, as written', () => {
    const rows = new RowAccountant();
    expect(rows.account({ line: 2, userId: ' 500 ', userData: GOOD })).toMatchObject({ kind: 'kept' });
    expect(rows.account({ line: 3, userId: '500', userData: GOOD })).toMatchObject({ kind: 'kept' });
  });

  test.each([
    ['\uFEFF500', 1],
    ['500\uFEFF', 4],
    ['\uFEFF', 1],
  ])('rejects a user_id holding U+FEFF (%j) as invalid_user_id, naming where', (userId, at) => {
    const rows = new RowAccountant();
    rows.account({ line: 2, userId: '500', userData: GOOD });
    expect(rows.account({ line: 3, userId, userData: GOOD })).toEqual({
      kind: 'rejected',
      line: 3,
      reason: 'invalid_user_id',
      detail: `user_id holds U+FEFF (a byte order mark) at character ${at}`,
    });
  });

  test('counts an exact duplicate once', () => {
    const rows = new RowAccountant();
    rows.account({ line: 2, userId: '500', userData: GOOD });
    expect(rows.account({ line: 3, userId: '500', userData: GOOD })).toEqual({ kind: 'duplicate' });
    expect(rows.counts).toEqual({ read: 2, kept: 1, duplicate: 1, rejected: 0 });
  });

  test('rejects the later line of a user_id seen with different user_data', () => {
    const rows = new RowAccountant();
    rows.account({ line: 2, userId: '500', userData: GOOD });
    expect(rows.account({ line: 7, userId: '500', userData: OTHER })).toMatchObject({
      kind: 'rejected',
      line: 7,
      reason: 'duplicate_user_id',
      detail: expect.stringContaining('"500"'),
    });
    expect(rows.counts).toEqual({ read: 2, kept: 1, duplicate: 0, rejected: 1 });
  });

  test('a second copy of an unreadable line is rejected again, with its own line number', () => {
    const rows = new RowAccountant();
    const bad = renderSearch(standard({ clicks: 'x' }));
    rows.account({ line: 2, userId: '1', userData: bad });
    expect(rows.account({ line: 3, userId: '1', userData: bad })).toMatchObject({
      kind: 'rejected',
      line: 3,
      reason: 'invalid_clicks',
    });
    expect(rows.counts).toEqual({ read: 2, kept: 0, duplicate: 0, rejected: 2 });
  });

  test('a good line after an unreadable one for the same user is kept', () => {
    const rows = new RowAccountant();
    rows.account({ line: 2, userId: '1', userData: 'garbage' });
    expect(rows.account({ line: 3, userId: '1', userData: GOOD })).toMatchObject({ kind: 'kept' });
  });

  test('user_ids are compared exactly, case and spaces included', () => {
    const rows = new RowAccountant();
    rows.account({ line: 2, userId: 'a', userData: GOOD });
    expect(rows.account({ line: 3, userId: 'A', userData: OTHER })).toMatchObject({ kind: 'kept' });
    expect(rows.account({ line: 4, userId: ' a', userData: OTHER })).toMatchObject({ kind: 'kept' });
  });

  test('rejects an empty user_id', () => {
    expect(new RowAccountant().account({ line: 2, userId: '', userData: GOOD })).toMatchObject({
      reason: 'empty_user_id',
    });
  });

  test('rejects a user_id that would not fit the warehouse column', () => {
    const rows = new RowAccountant();
    expect(rows.account({ line: 2, userId: 'u'.repeat(257), userData: GOOD })).toMatchObject({
      reason: 'user_id_too_long',
    });
    expect(rows.account({ line: 3, userId: 'u'.repeat(256), userData: GOOD })).toMatchObject({
      kind: 'kept',
    });
  });

  test('keeps a user with an empty user_data', () => {
    expect(new RowAccountant().account({ line: 2, userId: '1', userData: '' })).toEqual({
      kind: 'kept',
      searches: [],
    });
  });

  test('counts CSV-level rejections as read and rejected', () => {
    const rows = new RowAccountant();
    expect(rows.reject(4, { reason: 'wrong_column_count', detail: '3 fields, header has 2' })).toEqual({
      kind: 'rejected',
      line: 4,
      reason: 'wrong_column_count',
      detail: '3 fields, header has 2',
    });
    expect(rows.counts).toEqual({ read: 1, kept: 0, duplicate: 0, rejected: 1 });
  });
});

describe('hash53', () => {
  test('is deterministic and within 53 bits', () => {
    expect(hash53(GOOD)).toBe(hash53(GOOD));
    expect(Number.isSafeInteger(hash53(GOOD))).toBe(true);
  });

  test('separates texts that differ by one character', () => {
    expect(hash53(GOOD)).not.toBe(hash53(OTHER));
    expect(hash53('ab')).not.toBe(hash53('ba'));
  });
});
