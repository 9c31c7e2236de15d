/**
 * fast-check generators for user_data (from the contract grammar) and for days of CSV lines that mix
 * good, duplicate, conflicting and bad lines, with the expected outcome computed independently of
 * the parser: from the generated values, not by parsing the rendered text.
 */
import fc from 'fast-check';
import type { DayAggregates, RowCounts } from '../../lambdas/shared/step-payloads';
import type { Search } from '../../lambdas/domain/search';
import { renderPairs } from './render';

const compactDate = fc
  .date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10).replaceAll('-', ''));

const typeText = fc.oneof(
  fc.constantFrom('Rental', 'Sales', ''),
  // No backslash (values cannot hold one); no key names, so the line breakers below hit real fields.
  fc.string({ maxLength: 20 }).filter((s) => !s.includes('\\') && !/clicks|enabled|search_id/.test(s)),
);

const count = fc.oneof(fc.integer({ min: 0, max: 10 }), fc.integer({ min: 0, max: 2_147_483_647 }));

export const searchArb: fc.Arbitrary<Search> = fc.record({
  searchId: fc.oneof(fc.nat().map(String), fc.bigInt({ min: 0n, max: 2n ** 63n - 1n }).map(String)),
  enabled: fc.boolean(),
  clicks: count,
  createdAt: fc.option(compactDate, { nil: null }),
  listings: count,
  type: fc.option(typeText, { nil: null }),
});

/** Renders one search with its keys in the given order and `enabled` in the given case. */
function renderTyped(search: Search, order: readonly string[], enabledText: string): string {
  const values: Record<string, string | null> = {
    search_id: search.searchId,
    enabled: enabledText,
    clicks: String(search.clicks),
    created_at: search.createdAt,
    listings: String(search.listings),
    type: search.type,
  };
  return renderPairs(
    order.flatMap((k) => (values[k] === null || values[k] === undefined ? [] : [[k, values[k]] as const])),
  );
}

const KEYS = ['search_id', 'enabled', 'clicks', 'created_at', 'listings', 'type'] as const;

/** A search and one of its many valid renderings (any key order, any case of True/False). */
export const renderedSearchArb: fc.Arbitrary<{ search: Search; text: string }> = searchArb.chain((search) =>
  fc
    .tuple(
      fc.shuffledSubarray([...KEYS], { minLength: KEYS.length }),
      fc.mixedCase(fc.constant(search.enabled ? 'true' : 'false')),
    )
    .map(([order, enabledText]) => ({ search, text: renderTyped(search, order, enabledText) })),
);

export const userDataArb: fc.Arbitrary<{ searches: Search[]; text: string }> = fc
  .array(renderedSearchArb, { maxLength: 12 })
  .map((items) => ({ searches: items.map((i) => i.search), text: items.map((i) => i.text).join('') }));

/** Ways to break one good rendering so that the line must be rejected. */
const breakers: readonly ((text: string) => string)[] = [
  (t) => t.slice(0, -2), // missing terminator
  (t) => t.replace(/clicks:\d+/, 'clicks:-1'),
  (t) => t.replace(/clicks:\d+/, 'clicks:x'),
  (t) => t.replace(/(\\\\n:)?clicks:\d+/, '').replace(/^--\\\\n-:\\\\n:/, '--\\\\n-:'),
  (t) => t.replace(/enabled:\w+/, 'enabled:maybe'),
  (t) => t + 'garbage',
  (t) => t.replace('search_id:', 'search_idx:'),
];

export interface GeneratedLine {
  readonly userId: string;
  readonly userData: string;
  /** The typed searches when the line is readable by construction; null when it was broken. */
  readonly searches: readonly Search[] | null;
}

type LinePlan =
  | { kind: 'good'; data: { searches: Search[]; text: string } }
  | { kind: 'bad'; data: { searches: Search[]; text: string }; breaker: number }
  | { kind: 'copy'; of: number }
  | { kind: 'conflict'; of: number; data: { searches: Search[]; text: string } };

const nonEmptyUserData = userDataArb.filter((u) => u.searches.length > 0);

const planArb: fc.Arbitrary<LinePlan> = fc.oneof(
  { weight: 6, arbitrary: userDataArb.map((data) => ({ kind: 'good' as const, data })) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(nonEmptyUserData, fc.nat(breakers.length - 1))
      .map(([data, breaker]) => ({ kind: 'bad' as const, data, breaker })),
  },
  { weight: 1, arbitrary: fc.nat().map((of) => ({ kind: 'copy' as const, of })) },
  {
    weight: 1,
    arbitrary: fc.tuple(fc.nat(), userDataArb).map(([of, data]) => ({ kind: 'conflict' as const, of, data })),
  },
);

/** A day's lines: fresh users, exact copies of earlier lines, conflicting user_ids and broken lines. */
export const dayLinesArb: fc.Arbitrary<GeneratedLine[]> = fc
  .array(planArb, { maxLength: 60 })
  .map((plans) => {
    const lines: GeneratedLine[] = [];
    plans.forEach((plan, i) => {
      const userId = `u${i}`;
      const earlier = lines.length > 0 ? lines[('of' in plan ? plan.of : 0) % lines.length] : undefined;
      if (plan.kind === 'good')
        lines.push({ userId, userData: plan.data.text, searches: plan.data.searches });
      else if (plan.kind === 'bad') {
        const broken = (breakers[plan.breaker] as (t: string) => string)(plan.data.text);
        lines.push({ userId, userData: broken, searches: null });
      } else if (plan.kind === 'copy' && earlier) lines.push(earlier);
      else if (plan.kind === 'conflict' && earlier) {
        lines.push({ userId: earlier.userId, userData: plan.data.text, searches: plan.data.searches });
      }
    });
    return lines;
  });

/** The expected accounting and aggregates, computed from the generated values (no parsing). */
export function expectedDay(lines: readonly GeneratedLine[]): {
  counts: RowCounts;
  aggregates: DayAggregates;
} {
  const kept = new Map<string, string>();
  const counts = { read: 0, kept: 0, duplicate: 0, rejected: 0 };
  const aggregates = {
    numUsers: 0,
    numSearches: 0,
    numRentalSearches: 0,
    numSaleSearches: 0,
    numNoneSearches: 0,
  };
  for (const line of lines) {
    counts.read++;
    const keptData = kept.get(line.userId);
    if (keptData !== undefined) {
      if (keptData === line.userData) counts.duplicate++;
      else counts.rejected++;
      continue;
    }
    if (line.searches === null) {
      counts.rejected++;
      continue;
    }
    kept.set(line.userId, line.userData);
    counts.kept++;
    const valid = line.searches.filter((s) => s.enabled && s.clicks >= 3);
    if (valid.length > 0) aggregates.numUsers++;
    aggregates.numSearches += valid.length;
    aggregates.numRentalSearches += valid.filter((s) => s.type === 'Rental').length;
    aggregates.numSaleSearches += valid.filter((s) => s.type === 'Sales').length;
    aggregates.numNoneSearches += valid.filter((s) => s.type !== 'Rental' && s.type !== 'Sales').length;
  }
  return { counts, aggregates };
}
