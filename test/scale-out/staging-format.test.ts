import fc from 'fast-check';
import Papa from 'papaparse';
import { csvRowsAsItems, parseStepFunctionsCsv } from '../../local/runner/step-functions-csv';
import {
  parseStagingLine,
  stagedRecord,
  STAGING_COLUMNS,
  STAGING_HEADER,
  stagingLine,
  type StagedRecord,
} from '../../lambdas/cleaning/scale-out/staging-format';

const text = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.constantFrom('', ' lead', 'trail ', '\tx', '100%', '"q"', 'a,b', 'x\r\ny', 'é,"%25"\n'),
  fc.constantFrom('--\\\\n-:search_id:1\\n', 'a\\,b', '\\', 'C:\\\\x', '\\"q\\"', '\\ '),
);

describe('the staging CSV', () => {
  test('a field survives encoding unchanged', () => {
    fc.assert(
      fc.property(text, (value) => {
        const record: StagedRecord = { line: 2, userId: value, userData: value };
        expect(stagedRecord(parseStagingLine(stagingLine(record)))).toEqual(record);
      }),
    );
  });

  test('an encoded field never needs CSV quoting or escaping and has no edge whitespace to trim', () => {
    fc.assert(
      fc.property(text, (value) => {
        const everyField = { line: 2, userId: value, userData: value, raw: value };
        const line = stagingLine({ ...everyField, csvRejection: { reason: value, detail: value } }, value);
        expect(line.endsWith('\n')).toBe(true);
        const fields = line.slice(0, -1).split(',');
        expect(fields).toHaveLength(STAGING_COLUMNS.length);
        for (const field of fields) {
          expect(field).not.toMatch(/[",\\\r\n]/);
          expect(field).toBe(field.trim());
        }
      }),
    );
  });

  test("any CSV reader, Step Functions' included, gets the record back: one line per record, fields as written", () => {
    const record = fc.record({
      line: fc.integer({ min: 2, max: 1e9 }),
      userId: text,
      userData: text,
      raw: fc.option(text, { nil: undefined }),
    });
    fc.assert(
      fc.property(fc.array(record, { maxLength: 10 }), (records) => {
        const csv = STAGING_HEADER + records.map((r) => stagingLine(r)).join('');
        const parsed = Papa.parse<Record<string, string>>(csv, { header: true, skipEmptyLines: true });
        expect(parsed.errors).toEqual([]);
        const [header, ...rows] = parseStepFunctionsCsv(csv, ',') as [string[], ...string[][]];
        const expected = records.map((r): StagedRecord =>
          r.raw ? r : { line: r.line, userId: r.userId, userData: r.userData },
        );
        expect(parsed.data.map((row) => stagedRecord(row))).toEqual(expected);
        expect(csvRowsAsItems(header, rows).map((row) => stagedRecord(row))).toEqual(expected);
      }),
    );
  });

  test('a CSV-level rejection keeps its reason, detail and raw, even an empty raw', () => {
    const rejected: StagedRecord = {
      line: 7,
      userId: '',
      userData: '',
      csvRejection: { reason: 'wrong_column_count', detail: '1 fields, the header has 2' },
      raw: '',
    };
    expect(stagedRecord(parseStagingLine(stagingLine(rejected)))).toEqual(rejected);
  });

  test('the header names the seven columns the Map items carry', () => {
    expect(STAGING_HEADER).toBe(`${STAGING_COLUMNS.join(',')}\n`);
    expect(STAGING_COLUMNS).toEqual(['line', 'user_id', 'user_data', 'reason', 'detail', 'raw', 'spill']);
  });
});
