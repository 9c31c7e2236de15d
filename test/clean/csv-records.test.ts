import fc from 'fast-check';
import { csvRecordBatches, type CsvRecord } from '../../lambdas/cleaning/csv-records';
import { MalformedInput } from '../../lambdas/shared/errors';

async function* chunks(parts: readonly string[]): AsyncGenerator<string> {
  yield* parts;
}

async function records(parts: readonly string[]): Promise<CsvRecord[]> {
  const out: CsvRecord[] = [];
  for await (const batch of csvRecordBatches(chunks(parts))) out.push(...batch);
  return out;
}

const simple = (rs: CsvRecord[]): [number, readonly string[]][] => rs.map((r) => [r.line, r.fields]);

describe('csvRecordBatches', () => {
  test('reads LF records with their line numbers', async () => {
    expect(simple(await records(['a,b\n1,2\n3,4\n']))).toEqual([
      [1, ['a', 'b']],
      [2, ['1', '2']],
      [3, ['3', '4']],
    ]);
  });

  test('reads CRLF records without a trailing carriage return', async () => {
    expect(simple(await records(['a,b\r\n1,2\r\n3,4']))).toEqual([
      [1, ['a', 'b']],
      [2, ['1', '2']],
      [3, ['3', '4']],
    ]);
  });

  test('reads a file mixing CRLF and LF', async () => {
    expect(simple(await records(['a,b\r\n1,2\n3,4\r\n']))).toEqual([
      [1, ['a', 'b']],
      [2, ['1', '2']],
      [3, ['3', '4']],
    ]);
  });

  test('reads a file of bare CR line ends', async () => {
    expect(simple(await records(['a,b\r1,2\r']))).toEqual([
      [1, ['a', 'b']],
      [2, ['1', '2']],
    ]);
  });

  test('a CRLF split between two chunks is one line end', async () => {
    expect(simple(await records(['a,b\r', '\n1,2\r', '\n']))).toEqual([
      [1, ['a', 'b']],
      [2, ['1', '2']],
    ]);
  });

  test('quoted fields keep commas, quotes and real line breaks, and line numbers count them', async () => {
    const text = 'id,user_data\n"a,b","x\ny\r\nz"\n"q""q",2\n';
    expect(simple(await records([text]))).toEqual([
      [1, ['id', 'user_data']],
      [2, ['a,b', 'x\ny\r\nz']],
      [5, ['q"q', '2']],
    ]);
  });

  test('skips blank lines but counts them', async () => {
    expect(simple(await records(['a,b\n\n1,2\n\r\n3,4\n\n']))).toEqual([
      [1, ['a', 'b']],
      [3, ['1', '2']],
      [5, ['3', '4']],
    ]);
  });

  test('reports a malformed quote on its record', async () => {
    const rs = await records(['a,b\n1,"x"y\n2,3\n']);
    expect(rs[1]).toMatchObject({ line: 2, error: expect.stringMatching(/quote/i) });
  });

  test('an unterminated quote at the end is one record with an error', async () => {
    const rs = await records(['a,b\n1,2\n3,"open\n4,5\n']);
    expect(rs.map((r) => [r.line, r.error !== undefined])).toEqual([
      [1, false],
      [2, false],
      [3, true],
    ]);
  });

  test('a record longer than the limit is MalformedInput, without reading on forever', async () => {
    async function* endless(): AsyncGenerator<string> {
      yield 'a,b\n1,"';
      for (;;) yield 'x\n'.repeat(512 * 1024);
    }
    const read = async (): Promise<void> => {
      for await (const batch of csvRecordBatches(endless())) void batch;
    };
    await expect(read()).rejects.toThrow(MalformedInput);
    await expect(read()).rejects.toThrow(/line 2 is longer than 32 Mi characters/);
  });

  test('a 10 MB line arriving in small chunks is one record', async () => {
    const long = 'x'.repeat(10 * 1024 * 1024);
    const parts = ['a,b\n1,'];
    for (let i = 0; i < long.length; i += 65536) parts.push(long.slice(i, i + 65536));
    parts.push('\n2,3\n');
    const rs = await records(parts);
    expect(rs.map((r) => [r.line, r.fields[0], r.fields[1]?.length])).toEqual([
      [1, 'a', 1],
      [2, '1', long.length],
      [3, '2', 1],
    ]);
  });

  test('any split of the text into chunks gives the same records', async () => {
    const cell = fc.oneof(
      fc.stringMatching(/^[a-z0-9\\:-]{0,8}$/),
      fc.string({ maxLength: 8 }).map((s) => `"${s.replace(/"/g, '""')}"`),
      fc.constantFrom('"a\nb"', '"a\r\nb"', '"x,y"'),
    );
    const row = fc.array(cell, { minLength: 2, maxLength: 2 }).map((cells) => cells.join(','));
    const file = fc
      .tuple(fc.array(row, { maxLength: 15 }), fc.constantFrom('\n', '\r\n'))
      .map(([rows, eol]) => ['h1,h2', ...rows].join(eol) + eol);
    await fc.assert(
      fc.asyncProperty(file, fc.array(fc.nat(), { maxLength: 8 }), async (text, cuts) => {
        const points = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
        const parts = [0, ...points].map((start, i) => text.slice(start, points[i] ?? text.length));
        expect(simple(await records(parts))).toEqual(simple(await records([text])));
      }),
      { numRuns: 300 },
    );
  });
});
