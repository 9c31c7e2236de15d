/**
 * The clean step's fast lane against its reference: `cleanCsvBytes` (fast lane, handing over to the
 * text route where it must) and the text route alone (decodeUtf8Text + csvRecordBatches +
 * DayCleaner, the code the fast lane was added in front of) must write byte-identical outputs and
 * report the same totals, or fail the same way, on any file cut into any chunks.
 */
import fc from 'fast-check';
import type { ByteSink, CleanSinks } from '../../lambdas/cleaning/output-rows';
import { cleanCsvBytes, type CleanTotals } from '../../lambdas/cleaning/clean-stream';
import { csvRecordBatches } from '../../lambdas/cleaning/csv-records';
import { DayCleaner } from '../../lambdas/cleaning/day-cleaner';
import { decodeUtf8Text } from '../../lambdas/cleaning/utf8-text';
import type { Search } from '../../lambdas/domain/search';
import { renderedSearchArb, searchArb } from '../domain/arbitraries';
import { renderSearch, standard } from '../domain/render';

const DATE = '2021-07-07';

class CollectingSink implements ByteSink {
  private buffer = Buffer.alloc(16);
  private used = 0;

  write(text: string): void {
    const bytes = Buffer.from(text, 'utf8');
    bytes.copy(this.reserve(bytes.length), this.used);
    this.used += bytes.length;
  }

  reserve(bytes: number): Buffer {
    if (this.buffer.length - this.used < bytes) {
      const grown = Buffer.alloc(2 * (this.used + bytes));
      this.buffer.copy(grown, 0, 0, this.used);
      this.buffer = grown;
    }
    return this.buffer;
  }

  get offset(): number {
    return this.used;
  }

  commit(end: number): void {
    this.used = end;
  }

  text(): string {
    return this.buffer.toString('utf8', 0, this.used);
  }
}

class CollectingSinks implements CleanSinks {
  readonly cleaned = new CollectingSink();
  readonly validSearches = new CollectingSink();
  private rejectedSink: CollectingSink | undefined;

  rejected(): CollectingSink {
    this.rejectedSink ??= new CollectingSink();
    return this.rejectedSink;
  }

  async drain(): Promise<void> {}

  texts(): Record<string, string | undefined> {
    return {
      cleaned: this.cleaned.text(),
      validSearches: this.validSearches.text(),
      rejected: this.rejectedSink?.text(),
    };
  }
}

type Outcome =
  | { readonly totals: CleanTotals; readonly outputs: Record<string, string | undefined> }
  | { readonly error: string };

async function* chunksOf(parts: readonly Uint8Array[]): AsyncGenerator<Uint8Array> {
  for (const part of parts) yield part;
}

const failure = (error: unknown): Outcome => ({
  // Byte offsets in error messages depend on where each route cut the stream: compare up to them.
  error: `${(error as Error).name}: ${(error as Error).message.replace(/(bytes?|near byte) [\d.]+.*$/, '$1 ...')}`,
});

async function fastLane(parts: readonly Uint8Array[]): Promise<Outcome> {
  const sinks = new CollectingSinks();
  try {
    const totals = await cleanCsvBytes(DATE, chunksOf(parts), sinks, { expectedUsers: 3 });
    return { totals, outputs: sinks.texts() };
  } catch (error) {
    return failure(error);
  }
}

async function textRoute(parts: readonly Uint8Array[]): Promise<Outcome> {
  const sinks = new CollectingSinks();
  const cleaner = new DayCleaner(DATE, sinks);
  try {
    for await (const batch of csvRecordBatches(decodeUtf8Text(chunksOf(parts)))) {
      for (const record of batch) cleaner.accept(record);
    }
    cleaner.finish();
    const totals = {
      counts: cleaner.counts,
      aggregates: cleaner.aggregates,
      firstRejections: cleaner.firstRejections,
    };
    return { totals, outputs: sinks.texts() };
  } catch (error) {
    return failure(error);
  }
}

/** Searches as upstream writes them (what the fast lane reads itself). */
const upstreamSearch = searchArb
  .filter((s) => s.searchId.length <= 18)
  .map((s: Search) =>
    renderSearch({
      search_id: s.searchId,
      enabled: s.enabled ? 'True' : 'False',
      clicks: String(s.clicks % 12),
      created_at: '20210707',
      listings: String(s.listings),
      type: ['Rental', 'Sales', ''][s.listings % 3],
    }),
  );

const userData = fc.oneof(
  { weight: 6, arbitrary: fc.array(upstreamSearch, { maxLength: 4 }).map((s) => s.join('')) },
  {
    weight: 2,
    arbitrary: fc.array(renderedSearchArb, { maxLength: 3 }).map((s) => s.map((i) => i.text).join('')),
  },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      renderSearch(standard({ clicks: 'x' })),
      renderSearch(standard({ type: 'Épicerie' })),
      renderSearch(standard({ type: 'a,b' })),
      renderSearch(standard()).slice(0, -2),
      'garbage',
      '',
    ),
  },
);

const userId = fc.oneof(
  { weight: 5, arbitrary: fc.integer({ min: 0, max: 60 }).map(String) },
  { weight: 1, arbitrary: fc.constantFrom('007', 'u1', ' 5', 'x y', '99999999999999999', 'ü', '') },
  { weight: 1, arbitrary: fc.constantFrom('4294967295', '4294967294', '123456789012345') },
);

/** One CSV line (without its line end): mostly user lines, some odd ones. */
const lineArb = fc.oneof(
  { weight: 12, arbitrary: fc.tuple(userId, userData).map(([id, data]) => `${id},${data}`) },
  { weight: 1, arbitrary: fc.constantFrom('', '\r', '5', '6,x,y', 'a\rb,c') },
);
/** Lines the fast lane hands over at: quoted fields, a NUL. */
const handoverLineArb = fc.constantFrom('"7","x"', '8,"a\nb"', '"9', '\0');

const fileArb = fc
  .record({
    header: fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom('user_id,user_data', 'id,user_data') },
      { weight: 1, arbitrary: fc.constantFrom('user_data,user_id', 'user_id,user_data,x') },
    ),
    lines: fc.array(lineArb, { maxLength: 40 }),
    handover: fc.oneof(
      { weight: 3, arbitrary: fc.constant(null) },
      { weight: 1, arbitrary: fc.tuple(fc.nat(), handoverLineArb) },
    ),
    repeats: fc.array(fc.nat(), { maxLength: 8 }),
    eol: fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom('\n', '\r\n', 'mixed') },
      { weight: 1, arbitrary: fc.constant('\r') },
    ),
    bom: fc.boolean(),
    finalEol: fc.boolean(),
  })
  .map(({ header, lines, handover, repeats, eol, bom, finalEol }) => {
    const all = [...lines];
    if (handover !== null) all.splice(handover[0] % (all.length + 1), 0, handover[1]);
    // Exact copies of earlier lines (duplicates) and of earlier ids (conflicts come from userId's small range).
    for (const r of repeats)
      if (all.length > 0) all.splice(r % (all.length + 1), 0, all[r % all.length] as string);
    const ends = all.map((_, i) => (eol === 'mixed' ? (i % 2 ? '\n' : '\r\n') : eol));
    const body = [header, ...all]
      .map((l, i) => l + (i === 0 ? (eol === 'mixed' ? '\n' : eol) : ends[i - 1]))
      .join('');
    const text = (bom ? '\uFEFF' : '') + (finalEol ? body : body.replace(/(\r\n|\n|\r)$/, ''));
    return Buffer.from(text, 'utf8');
  });

/** The file cut at the given points (bytes: a cut may split a character). */
function cut(bytes: Buffer, cuts: readonly number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  return [0, ...points].map((start, i) => bytes.subarray(start, points[i] ?? bytes.length));
}

describe('the fast lane against the text route', () => {
  test('same outputs, totals and errors on any file, cut into any chunks', async () => {
    await fc.assert(
      fc.asyncProperty(fileArb, fc.array(fc.nat(), { maxLength: 6 }), async (file, cuts) => {
        const parts = cut(file, cuts);
        expect(await fastLane(parts)).toEqual(await textRoute(parts));
      }),
      { numRuns: 400 },
    );
  });

  test('a day in the usual shape is read by the fast lane, with the same outputs', async () => {
    const lines = ['user_id,user_data'];
    for (let i = 0; i < 2000; i++) {
      const search = standard({ search_id: String(i % 97), clicks: String(i % 9), listings: String(i % 31) });
      lines.push(`${1000 + i},${renderSearch(search).repeat(1 + (i % 3))}`);
    }
    lines.push(lines[5] as string, `1003,${renderSearch(standard())}`); // a duplicate, a conflict
    const file = Buffer.from(`${lines.join('\r\n')}\r\n`);
    const parts = cut(file, [7, 4096, 65536, 65537, 100_000]);
    const textRouteLines = jest.spyOn(DayCleaner.prototype, 'accept');
    const fast = await fastLane(parts);
    // Only the header and the conflicting line (rejected with its reason) took the text route.
    expect(textRouteLines).toHaveBeenCalledTimes(2);
    textRouteLines.mockRestore();
    expect(fast).toEqual(await textRoute(parts));
    expect('totals' in fast && fast.totals.counts).toEqual({
      read: 2002,
      kept: 2000,
      duplicate: 1,
      rejected: 1,
    });
  });
});
