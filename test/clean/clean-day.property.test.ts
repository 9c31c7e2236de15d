import fc from 'fast-check';
import { gzipSync } from 'node:zlib';
import { strToU8, zipSync } from 'fflate';
import { csvField } from '../../lambdas/cleaning/output-rows';
import { dayLinesArb, expectedDay } from '../domain/arbitraries';
import { startTestS3, type TestS3 } from '../support/s3';
import { CLEAN, dataRows, readOutputs, runClean, type CleanInput } from './clean-harness';

let s3: TestS3;
beforeAll(async () => {
  s3 = await startTestS3(['incoming', CLEAN]);
});
afterAll(() => s3.close());

const fileArb = fc.record({
  lines: dayLinesArb,
  eol: fc.constantFrom('\n', '\r\n'),
  bom: fc.boolean(),
  format: fc.constantFrom('.csv', '.csv.gz', '.zip'),
});

describe('cleanDay properties', () => {
  test('for random mixes of good and bad lines, read = kept + duplicate + rejected and the aggregates match the good lines', async () => {
    await fc.assert(
      fc.asyncProperty(fileArb, async ({ lines, eol, bom, format }) => {
        const text =
          (bom ? '\uFEFF' : '') +
          ['user_id,user_data', ...lines.map((l) => `${csvField(l.userId)},${csvField(l.userData)}`)].join(
            eol,
          ) +
          eol;
        const body =
          format === '.csv'
            ? text
            : format === '.csv.gz'
              ? gzipSync(text)
              : zipSync({ 'day.csv': strToU8(text) });
        // A mix may keep no line: that is the volume guard's case, allowed here.
        const input: CleanInput = { body, ext: format, partSizeBytes: 1024, allowVolumeDrop: true };
        const run = await runClean(s3, input);
        expect(run.error).toBeUndefined();
        const expected = expectedDay(lines);
        expect(run.result?.counts).toEqual(expected.counts);
        expect(run.result?.aggregates).toEqual(expected.aggregates);
        const outputs = await readOutputs(s3, run.date);
        expect(dataRows(outputs.validSearches)).toHaveLength(expected.aggregates.numSearches);
      }),
      { numRuns: 15 },
    );
  });
});
