/**
 * The fast lane's byte reader against the reference parser (parseUserData): on every user_data it
 * accepts, it must find the same valid searches and the same fingerprint; and it must accept the
 * layout upstream writes, or the fast lane would never run.
 */
import fc from 'fast-check';
import { isValidSearch, typeBucket, type Search } from '../../lambdas/domain/search';
import { parsedFingerprint, parseUserData } from '../../lambdas/domain/user-data';
import { ByteUserDataReader, NONE, RENTAL, SALE } from '../../lambdas/domain/user-data-bytes';
import { renderedSearchArb, searchArb, userDataArb } from './arbitraries';
import { renderPairs, renderSearch, standard } from './render';

interface ValidView {
  readonly seq: number;
  readonly searchId: string;
  readonly clicks: number;
  readonly createdAt: string | null;
  readonly listings: number;
  readonly type: string | null;
  readonly bucket: string;
}

const BUCKET_NAMES: Record<number, string> = { [RENTAL]: 'rental', [SALE]: 'sale', [NONE]: 'none' };

/** Reads `text` as one line's user_data; undefined when the reader declines it. */
function readBytes(text: string, lineEnd = '\n'): { valid: ValidView[]; fingerprint: number } | undefined {
  const bytes = Buffer.from(`${text}${lineEnd}`, 'utf8');
  const reader = new ByteUserDataReader();
  const end = reader.readUserData(
    bytes,
    new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength),
    0,
    bytes.length,
  );
  if (end === -1) return undefined;
  expect(end).toBe(bytes.length - lineEnd.length);
  const slice = (from: number, to: number): string => bytes.toString('latin1', from, to);
  const valid: ValidView[] = [];
  for (let v = 0; v < reader.validCount; v++) {
    const createdAt = reader.createdAtStart[v] as number;
    valid.push({
      seq: reader.seq[v] as number,
      searchId: slice(reader.idStart[v] as number, reader.idEnd[v] as number),
      clicks: reader.clicks[v] as number,
      createdAt: slice(createdAt, createdAt + 8),
      listings: reader.listings[v] as number,
      type: slice(reader.typeStart[v] as number, reader.typeEnd[v] as number),
      bucket: BUCKET_NAMES[reader.bucket[v] as number] ?? '?',
    });
  }
  const listings = valid.reduce((sum, v) => sum + v.listings, 0);
  expect(reader.listingsSum).toBe(listings);
  expect([reader.rental, reader.sale, reader.none]).toEqual(
    ['rental', 'sale', 'none'].map((b) => valid.filter((v) => v.bucket === b).length),
  );
  return { valid, fingerprint: reader.fingerprint };
}

/** What the reference parser finds, in the same shape. */
function readText(text: string): { valid: ValidView[]; fingerprint: number } | undefined {
  const parsed = parseUserData(text);
  if (!parsed.ok) return undefined;
  const valid = parsed.searches.flatMap((s: Search, i) =>
    isValidSearch(s)
      ? [
          {
            seq: i + 1,
            searchId: s.searchId,
            clicks: s.clicks,
            createdAt: s.createdAt,
            listings: s.listings,
            type: s.type,
            bucket: typeBucket(s.type),
          },
        ]
      : [],
  );
  return { valid, fingerprint: parsedFingerprint() };
}

/** The reader declines, or agrees with the reference in every detail. */
function expectAgreement(text: string): void {
  const fast = readBytes(text);
  if (fast !== undefined) expect(fast).toEqual(readText(text));
}

/** Searches in upstream's layout: six keys in contract order, True/False, printable ASCII types. */
const upstreamSearchArb = searchArb
  .filter((s) => s.searchId.length <= 18)
  .chain((s) =>
    fc
      .record({
        createdAt: fc.constantFrom('20210702', '20240229', '19991231'),
        type: fc.oneof(
          fc.constantFrom('Rental', 'Sales', ''),
          fc.stringMatching(/^[ !#-+\-.0-[\]-~]{0,12}$/), // printable ASCII, no quote, comma or backslash
        ),
      })
      .map(({ createdAt, type }) => ({ ...s, createdAt, type })),
  );

const renderUpstream = (s: Search): string =>
  renderSearch({
    search_id: s.searchId,
    enabled: s.enabled ? 'True' : 'False',
    clicks: String(s.clicks),
    created_at: s.createdAt ?? undefined,
    listings: String(s.listings),
    type: s.type ?? undefined,
  });

describe('the fast lane byte reader', () => {
  test('reads the contract example user 501 like the reference', () => {
    const text =
      renderSearch(standard({ search_id: '77', enabled: 'False', clicks: '9', listings: '2', type: '' })) +
      renderSearch(standard({ search_id: '78', clicks: '3', listings: '5', type: 'Sales' }));
    const fast = readBytes(text);
    expect(fast?.valid).toEqual([
      {
        seq: 2,
        searchId: '78',
        clicks: 3,
        createdAt: '20210702',
        listings: 5,
        type: 'Sales',
        bucket: 'sale',
      },
    ]);
    expect(fast).toEqual(readText(text));
  });

  test('accepts an empty user_data, and CRLF line ends', () => {
    expect(readBytes('')).toEqual(readText(''));
    expect(readBytes(renderSearch(standard()), '\r\n')).toEqual(readText(renderSearch(standard())));
  });

  test("accepts every user_data in upstream's layout, with the reference's result", () => {
    fc.assert(
      fc.property(fc.array(upstreamSearchArb, { maxLength: 12 }), (searches) => {
        const text = searches.map(renderUpstream).join('');
        const fast = readBytes(text);
        expect(fast).toBeDefined();
        expect(fast).toEqual(readText(text));
      }),
      { numRuns: 300 },
    );
  });

  test('on any rendering of the grammar (other key orders, absent keys, any text), it declines or agrees', () => {
    fc.assert(
      fc.property(userDataArb, ({ text }) => expectAgreement(text)),
      { numRuns: 300 },
    );
  });

  test('on mutated lines (a character inserted, removed or replaced), it declines or agrees', () => {
    const alphabet = fc.constantFrom('\\', 'n', ':', '-', '0', '9', 'a', 'T', ',', '"', '\r', ' ', 'é', 'x');
    const text = fc.oneof(
      fc
        .array(upstreamSearchArb, { minLength: 1, maxLength: 4 })
        .map((ss) => ss.map(renderUpstream).join('')),
      fc
        .array(renderedSearchArb, { minLength: 1, maxLength: 4 })
        .map((items) => items.map((i) => i.text).join('')),
    );
    let accepted = 0;
    fc.assert(
      fc.property(
        text,
        fc.nat(),
        fc.constantFrom('insert', 'remove', 'replace'),
        alphabet,
        (text, at, how, char) => {
          const i = at % text.length;
          const mutated =
            how === 'insert'
              ? text.slice(0, i) + char + text.slice(i)
              : how === 'remove'
                ? text.slice(0, i) + text.slice(i + 1)
                : text.slice(0, i) + char + text.slice(i + 1);
          expectAgreement(mutated);
          if (readBytes(mutated) !== undefined) accepted++;
        },
      ),
      { numRuns: 2000 },
    );
    expect(accepted).toBeGreaterThan(20); // mutations inside values keep some lines readable
  });

  test.each([
    [
      'keys in another order',
      renderPairs([
        ['enabled', 'True'],
        ['search_id', '1'],
        ['clicks', '4'],
        ['created_at', '20210702'],
        ['listings', '1'],
        ['type', 'Rental'],
      ]),
    ],
    ['an absent type', renderSearch(standard({ type: undefined }))],
    ['a 19-digit search_id', renderSearch(standard({ search_id: '1234567890123456789' }))],
    ['a non-ASCII type', renderSearch(standard({ type: 'Location' + 'é' }))],
    ['a comma in type', renderSearch(standard({ type: 'a,b' }))],
    ['an impossible date', renderSearch(standard({ created_at: '20210230' }))],
    ['clicks beyond INTEGER', renderSearch(standard({ clicks: '2147483648' }))],
    ['a seventh key', renderSearch({ ...standard(), color: 'blue' })],
  ])('declines what only the reference may judge: %s', (_name, text) => {
    expect(readBytes(text)).toBeUndefined();
  });

  test('equal texts have equal fingerprints; different ones differ', () => {
    const a = renderSearch(standard());
    const b = renderSearch(standard({ listings: '7' }));
    expect(readBytes(a)?.fingerprint).toBe(readBytes(a)?.fingerprint);
    expect(readBytes(a)?.fingerprint).not.toBe(readBytes(b)?.fingerprint);
    // The empty type and the absent type are different texts.
    expect(readText(renderSearch(standard({ type: '' })))?.fingerprint).not.toBe(
      readText(renderSearch(standard({ type: undefined })))?.fingerprint,
    );
  });
});
