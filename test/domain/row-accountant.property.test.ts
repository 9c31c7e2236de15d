import fc from 'fast-check';
import { DayAggregator } from '../../lambdas/domain/day-aggregator';
import { RowAccountant } from '../../lambdas/domain/row-accountant';
import { summarizeUser } from '../../lambdas/domain/user-summary';
import { dayLinesArb, expectedDay } from './arbitraries';

describe('row accounting properties', () => {
  test('for any mix of lines, read = kept + duplicate + rejected and the aggregates match the good lines', () => {
    fc.assert(
      fc.property(dayLinesArb, (lines) => {
        const rows = new RowAccountant();
        const day = new DayAggregator();
        lines.forEach((line, i) => {
          const outcome = rows.account({ line: i + 2, userId: line.userId, userData: line.userData });
          if (outcome.kind === 'kept') day.add(summarizeUser(outcome.searches));
        });
        const { read, kept, duplicate, rejected } = rows.counts;
        expect(read).toBe(lines.length);
        expect(read).toBe(kept + duplicate + rejected);
        expect({ counts: rows.counts, aggregates: day.aggregates }).toEqual(expectedDay(lines));
      }),
      { numRuns: 120 },
    );
  });
});
