/** The compact dedup memory against a plain Map keyed by the user_id text. */
import fc from 'fast-check';
import { NOT_SEEN, SeenUsers } from '../../lambdas/domain/seen-users';

const userIdArb = fc.oneof(
  fc.integer({ min: 0, max: 5000 }).map(String), // dense: runs share slots
  fc.integer({ min: 0, max: 2 ** 32 }).map(String), // around the table's 32-bit limit
  fc.constantFrom('4294967294', '4294967295', '999999999999999', '1000000000000000', '007', '0', '00'),
  fc.stringMatching(/^[a-z0-9 ]{1,6}$/),
);

describe('SeenUsers', () => {
  test('remembers the first fingerprint of each user_id, like a Map of the text, through growth', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(userIdArb, fc.integer({ min: 0, max: 2 ** 53 - 1 })), { maxLength: 3000 }),
        (entries) => {
          const seen = new SeenUsers();
          const oracle = new Map<string, number>();
          for (const [userId, fingerprint] of entries) {
            expect(seen.find(userId)).toBe(oracle.get(userId) ?? NOT_SEEN);
            expect(seen.remember(userId, fingerprint)).toBe(oracle.get(userId) ?? NOT_SEEN);
            if (!oracle.has(userId)) oracle.set(userId, fingerprint);
          }
          expect(seen.size).toBe(oracle.size);
        },
      ),
      { numRuns: 50 },
    );
  });

  test('holds a million sequential ids in about 16 MB, without growing when sized up front', () => {
    const seen = new SeenUsers(1_000_000);
    const before = seen.tableBytes;
    // One expect for the million calls: an expect per call costs ~50 s under jest.
    let alreadySeen = 0;
    for (let id = 1000; id < 1_001_000; id++) if (seen.rememberId(id, id * 3) !== NOT_SEEN) alreadySeen++;
    expect(alreadySeen).toBe(0);
    expect(seen.tableBytes).toBe(before);
    expect(seen.tableBytes).toBeLessThan(17 * 2 ** 20);
    expect(seen.findId(500_000)).toBe(1_500_000);
    expect(seen.findId(1_001_000)).toBe(NOT_SEEN);
  });

  test('a user_id is a table number only when written as a plain decimal', () => {
    const seen = new SeenUsers();
    for (const [id, fingerprint] of [
      [123, 1],
      [0, 2],
      [7, 3],
      [1000, 4],
      [1, 5],
    ] as const)
      seen.rememberId(id, fingerprint);
    // 20 digits lose precision as a number (...567890 -> ...567000): they must stay text.
    seen.remember('12345678901234567000', 6);
    expect(seen.find('123')).toBe(1);
    expect(seen.find('0')).toBe(2);
    const otherSpellings = ['007', '', '1e3', ' 1', '-1', '+1', '1.0', '12345678901234567890'];
    expect(otherSpellings.map((userId) => seen.find(userId))).toEqual(otherSpellings.map(() => NOT_SEEN));
  });
});
