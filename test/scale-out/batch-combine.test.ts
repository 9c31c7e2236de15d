/**
 * The heart of the scale-out path's exactness, without S3: a day's records cut into batches,
 * each cleaned alone (cleanBatch), carried as a part object and through the staging CSV's text
 * form, then combined (DayCombiner), give exactly what the single path's DayCleaner gives on the
 * whole day: the same rows written, counts, aggregates and first rejections.
 */
import fc from 'fast-check';
import type { CsvRecord } from '../../lambdas/cleaning/csv-records';
import { DayCleaner } from '../../lambdas/cleaning/day-cleaner';
import { cleanBatch } from '../../lambdas/cleaning/scale-out/batch-cleaner';
import { recordLayout, toStagedRecord } from '../../lambdas/cleaning/scale-out/csv-level';
import { DayCombiner } from '../../lambdas/cleaning/scale-out/day-combiner';
import { parsePart, renderPart } from '../../lambdas/cleaning/scale-out/part-format';
import { parseStagingLine, stagedRecord, stagingLine } from '../../lambdas/cleaning/scale-out/staging-format';
import { captureOutputs } from './capture-outputs';

const DATE = '2021-07-02';
const S = (id: number, enabled: string, clicks: number, listings: number, type: string): string =>
  `--\\\\n-:search_id:${id}\\\\n:enabled:${enabled}\\\\n:clicks:${clicks}\\\\n:created_at:20210702\\\\n:listings:${listings}\\\\n:type:${type}\\n`;
const DATA = [
  S(1, 'True', 3, 4, 'Rental'),
  S(2, 'True', 5, 0, 'Sales') + S(3, 'False', 9, 2, ''),
  S(4, 'True', 1, 2, ''), // readable, no valid search
  '', // no searches at all: readable
  S(5, 'TRUE', 7, 9, 'a,"b" 100%\nc'), // needs quoting and encoding
  '--\\\\n-:search_id:6\\\\n:enabled:True\\\\n:listings:1\\n', // no clicks: unreadable
  'not user data', // unreadable
];
const USER_IDS = ['1', '2', '3', '4', '', ' 5', '6,6', '%7', 'u'.repeat(300)];

interface Outcome {
  readonly text: { cleaned: string; valid: string; rejected: string };
  readonly rejectedOpened: boolean;
  readonly counts: unknown;
  readonly aggregates: unknown;
  readonly firstRejections: unknown;
}

function singlePath(header: readonly string[], records: readonly CsvRecord[]): Outcome {
  const captured = captureOutputs();
  const cleaner = new DayCleaner(DATE, captured.outputs);
  cleaner.accept({ line: 1, fields: header });
  for (const record of records) cleaner.accept(record);
  const { counts, aggregates, firstRejections } = cleaner;
  return {
    text: captured.text,
    rejectedOpened: captured.rejectedOpened(),
    counts,
    aggregates,
    firstRejections,
  };
}

/** Batches of the given sizes (the last one takes what is left). */
function scaleOut(
  header: readonly string[],
  records: readonly CsvRecord[],
  sizes: readonly number[],
): Outcome {
  const layout = recordLayout(header);
  // What the Map's worker sees: each record through its staging CSV line and back.
  const staged = records.map((r) => stagedRecord(parseStagingLine(stagingLine(toStagedRecord(r, layout)))));
  const captured = captureOutputs();
  const combiner = new DayCombiner(captured.outputs);
  let first = 0;
  for (let i = 0; first < staged.length; i++) {
    const size = i < sizes.length ? (sizes[i] as number) : staged.length - first;
    const { body, rawOffset } = renderPart(cleanBatch(DATE, first, staged.slice(first, first + size)));
    // As the Combine step reads it: without its raw section, unless the combiner says it needs it.
    const withoutRaw = parsePart(body.subarray(0, rawOffset), `part-${first}`);
    combiner.add(combiner.needsRaw(withoutRaw) ? parsePart(body, `part-${first}`) : withoutRaw);
    first += size;
  }
  const { counts, aggregates, firstRejections } = combiner;
  return {
    text: captured.text,
    rejectedOpened: captured.rejectedOpened(),
    counts,
    aggregates,
    firstRejections,
  };
}

const HEADERS = [
  ['user_id', 'user_data'],
  ['id', 'user_data', 'source'],
  ['user_data', 'user_id'],
] as const;

const recordsArb = (header: readonly string[]) =>
  fc
    .array(
      fc.record({
        userId: fc.constantFrom(...USER_IDS),
        userData: fc.constantFrom(...DATA),
        shape: fc.constantFrom('ok', 'ok', 'ok', 'ok', 'ok', 'short', 'long', 'quote-error'),
        gap: fc.nat({ max: 2 }),
      }),
      { maxLength: 60 },
    )
    .map((rows) => {
      let line = 1;
      return rows.map(({ userId, userData, shape, gap }): CsvRecord => {
        line += 1 + gap;
        const byName: Record<string, string> = {
          user_id: userId,
          id: userId,
          user_data: userData,
          source: 'web',
        };
        const fields = header.map((name) => byName[name] ?? '');
        if (shape === 'short') return { line, fields: fields.slice(1) };
        if (shape === 'long') return { line, fields: [...fields, 'extra'] };
        if (shape === 'quote-error')
          return { line, fields, error: 'Trailing quote on quoted field is malformed' };
        return { line, fields };
      });
    });

describe('combining batches cleaned alone', () => {
  test.each(HEADERS.map((h) => [h.join(',')] as const))(
    'gives the single path outcome for any records and any batch sizes (header %s)',
    (headerText) => {
      const header = headerText.split(',');
      fc.assert(
        fc.property(
          recordsArb(header),
          fc.array(fc.integer({ min: 1, max: 9 }), { maxLength: 12 }),
          (records, sizes) => {
            expect(scaleOut(header, records, sizes)).toEqual(singlePath(header, records));
          },
        ),
        { numRuns: 300 },
      );
    },
  );

  const HEADER = ['user_id', 'user_data'];
  const rec = (line: number, userId: string, userData: string): CsvRecord => ({
    line,
    fields: [userId, userData],
  });
  const A = DATA[0] as string;
  const B = DATA[1] as string;
  const BAD = DATA[5] as string;

  test.each([
    [
      'a user repeated in a later batch is counted once',
      [rec(2, '1', A), rec(3, '1', A)],
      { kept: 1, duplicate: 1 },
    ],
    [
      'a different line for a user kept in an earlier batch is rejected duplicate_user_id',
      [rec(2, '1', A), rec(3, '1', B)],
      { kept: 1, rejected: 1 },
    ],
    [
      'the earlier batch line again, after a different one kept in its own batch, is a duplicate',
      [rec(2, '1', A), rec(3, '1', B), rec(4, '1', A)],
      { kept: 1, duplicate: 1, rejected: 1 },
    ],
    [
      'a readable line after an unreadable one of the same user in an earlier batch is kept',
      [rec(2, '1', BAD), rec(3, '1', A), rec(4, '1', BAD)],
      { kept: 1, rejected: 2 },
    ],
  ])('%s', (_name, records, counts) => {
    const one = scaleOut(HEADER, records, [1, 1, 1]);
    expect(one).toEqual(singlePath(HEADER, records));
    expect(one.counts).toMatchObject({ read: records.length, ...counts });
    expect((one.aggregates as { numUsers: number }).numUsers).toBe(1);
  });
});
