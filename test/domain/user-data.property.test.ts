import fc from 'fast-check';
import { parseUserData } from '../../lambdas/domain/user-data';
import { REJECT_REASONS } from '../../lambdas/domain/reasons';
import { renderedSearchArb, userDataArb } from './arbitraries';

describe('parseUserData properties', () => {
  test('any user_data rendered from the grammar parses back to the same searches', () => {
    fc.assert(
      fc.property(userDataArb, ({ searches, text }) => {
        expect(parseUserData(text)).toEqual({ ok: true, searches });
      }),
      { numRuns: 300 },
    );
  });

  test('never throws, and every rejection has a known reason', () => {
    const noisy = fc.oneof(
      fc.string(),
      fc.string({ unit: fc.constantFrom('-', '\\', 'n', ':', 'search_id', 'clicks', '1', 'True') }),
    );
    fc.assert(
      fc.property(noisy, (text) => {
        const parsed = parseUserData(text);
        if (!parsed.ok) expect(REJECT_REASONS).toContain(parsed.reason);
      }),
      { numRuns: 1000 },
    );
  });

  test('a grammar text cut anywhere inside its last search is rejected', () => {
    fc.assert(
      fc.property(userDataArb, renderedSearchArb, fc.nat(), (before, last, cut) => {
        const at = 1 + (cut % (last.text.length - 1));
        expect(parseUserData(before.text + last.text.slice(0, at)).ok).toBe(false);
      }),
      { numRuns: 300 },
    );
  });
});
