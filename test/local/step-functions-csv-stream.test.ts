/**
 * The streamed CSV ItemReader (local/runner/step-functions-csv-stream.ts) reads exactly what the
 * documented rules read from the whole text, wherever the object's bytes are cut into chunks.
 */
import fc from 'fast-check';

import { batches, type Json } from '../../local/runner/distributed-map-items';
import type { AslState } from '../../local/runner/resolve-template';
import { parseStepFunctionsCsv } from '../../local/runner/step-functions-csv';
import { csvItems, csvRecords } from '../../local/runner/step-functions-csv-stream';

async function* chunks(bytes: Buffer, cuts: readonly number[]): AsyncGenerator<Uint8Array> {
  let from = 0;
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    yield bytes.subarray(from, cut);
    from = cut;
  }
  yield bytes.subarray(from);
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

const recordsOf = (text: string, cuts: readonly number[], delimiter = ','): Promise<string[][]> =>
  collect(csvRecords(chunks(Buffer.from(text, 'utf8'), cuts), delimiter));

/** Quoted fields with CRLF and doubled quotes, escapes, a CR alone, a short and a long row, UTF-8. */
const TRICKY =
  'id,text,more\r\n' +
  '1,"line one\r\nline two, with ""quotes""",x\r\n' +
  '2,a\\,b\\\\c\\"d\\ne,\r' +
  '3,"é€😀",\n' +
  '\n' +
  '4\n' +
  '5,{""k"":""v""},y,extra\r\n' +
  '"6","",\\';
const TRICKY_RECORDS = [
  ['id', 'text', 'more'],
  ['1', 'line one\r\nline two, with "quotes"', 'x'],
  ['2', 'a,b\\c"dne', ''],
  ['3', 'é€😀', ''],
  ['4'],
  ['5', '{"k":"v"}', 'y', 'extra'],
  ['6', '', ''],
];

describe('the streamed CSV ItemReader', () => {
  test('reads the documented records of a tricky file in one chunk', async () => {
    expect(parseStepFunctionsCsv(TRICKY, ',')).toEqual(TRICKY_RECORDS);
    expect(await recordsOf(TRICKY, [])).toEqual(TRICKY_RECORDS);
  });

  test('reads the same records with the file cut in two at every byte, inside quotes, escapes, CRLF and UTF-8', async () => {
    const length = Buffer.byteLength(TRICKY);
    for (let cut = 0; cut <= length; cut++) {
      expect(await recordsOf(TRICKY, [cut])).toEqual(TRICKY_RECORDS);
    }
  });

  test('a CRLF inside quotes split at the chunk edge stays in the field; outside quotes it ends one record', async () => {
    const text = 'a,"x\r\ny"\r\nb,c\r\n';
    const inQuotes = text.indexOf('\r') + 1;
    const outside = text.lastIndexOf('\r', text.length - 3) + 1;
    const expected = [
      ['a', 'x\r\ny'],
      ['b', 'c'],
    ];
    expect(await recordsOf(text, [inQuotes])).toEqual(expected);
    expect(await recordsOf(text, [outside])).toEqual(expected);
    expect(await recordsOf(text, [inQuotes, outside])).toEqual(expected);
    // every piece one byte: each lookahead waits for the next chunk
    expect(
      await recordsOf(
        text,
        Array.from({ length: text.length }, (_, i) => i),
      ),
    ).toEqual(expected);
  });

  test('a backslash or a quote at the end of a chunk waits for the next one', async () => {
    expect(await recordsOf('a\\,b,"q""r"\n', [2, 9])).toEqual([['a,b', 'q"r']]);
    expect(await recordsOf('a\\|b|c\n', [2], '|')).toEqual([['a|b', 'c']]);
  });

  test('any text cut anywhere reads as the whole text does', async () => {
    const alphabet = fc.constantFrom('a', 'b', ',', '"', '\\', '\r', '\n', ' ', 'é', '😀');
    await fc.assert(
      fc.asyncProperty(
        fc.array(alphabet, { maxLength: 60 }).map((cs) => cs.join('')),
        fc.array(fc.nat(), { maxLength: 8 }),
        async (text, rawCuts) => {
          const length = Buffer.byteLength(text);
          const cuts = rawCuts.map((c) => (length === 0 ? 0 : c % (length + 1)));
          expect(await recordsOf(text, cuts)).toEqual(parseStepFunctionsCsv(text, ','));
        },
      ),
      { numRuns: 500 },
    );
  });

  test('items are keyed by the first row, short rows padded, long rows cut, MaxItems stops the reading', async () => {
    const text = 'n,t\n1,a\n2\n3,c,extra\n4,d\n';
    const cuts = [3, 7, 12];
    expect(await collect(csvItems(chunks(Buffer.from(text), cuts), { delimiter: ',' }))).toEqual([
      { n: '1', t: 'a' },
      { n: '2', t: '' },
      { n: '3', t: 'c' },
      { n: '4', t: 'd' },
    ]);
    const given = { delimiter: ',', header: ['x', 'y'], maxItems: 2 };
    expect(await collect(csvItems(chunks(Buffer.from(text), cuts), given))).toEqual([
      { x: 'n', y: 't' },
      { x: '1', y: 'a' },
    ]);
  });

  test('the batches formed from streamed items are the consecutive groups the ItemBatcher limits allow', async () => {
    const rows = Array.from({ length: 23 }, (_, i) => `${i},"${'x'.repeat(i)}\r\n"`);
    const bytes = Buffer.from(`n,text\r\n${rows.join('\r\n')}\r\n`);
    const cuts = Array.from({ length: 40 }, (_, i) => (i * 37) % bytes.length);
    const state: AslState = { Type: 'Map', ItemBatcher: { MaxItemsPerBatch: 5, MaxInputBytesPerBatch: 150 } };
    const formed = (await collect(batches(state, csvItems(chunks(bytes, cuts), { delimiter: ',' }), {}))) as {
      Items: { n: string; text: string }[];
    }[];
    for (const batch of formed) {
      expect(batch.Items.length).toBeLessThanOrEqual(5);
      expect(Buffer.byteLength(JSON.stringify(batch))).toBeLessThanOrEqual(150);
    }
    const items: Json[] = formed.flatMap((b) => b.Items);
    expect(items).toEqual(rows.map((_, i) => ({ n: String(i), text: `${'x'.repeat(i)}\r\n` })));
    // each batch is closed only when the next item would not fit
    for (const [i, batch] of formed.slice(0, -1).entries()) {
      const next = formed[i + 1]?.Items[0];
      const grown = { Items: [...batch.Items, next] };
      expect(batch.Items.length === 5 || Buffer.byteLength(JSON.stringify(grown)) > 150).toBe(true);
    }
  });
});
