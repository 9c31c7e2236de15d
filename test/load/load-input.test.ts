import { parseLoadInput } from '../../lambdas/load/load-input';
import { InvalidRequest } from '../../lambdas/shared/errors';
import { JULY_2, dayFixture } from './day-fixture';

const { clean } = dayFixture('2021-07-02', JULY_2);

test('a clean step result passes, keeping only what the load uses', () => {
  expect(parseLoadInput(clean)).toEqual({
    date: clean.date,
    runId: clean.runId,
    codeVersion: clean.codeVersion,
    source: clean.source,
    counts: clean.counts,
    aggregates: clean.aggregates,
    outputs: {
      bucket: 'clean',
      validSearchesManifestKey: 'valid-searches/valid_searches20210702.csv.manifest',
    },
  });
});

test.each([
  ['not an object', 'x', 'clean must be an object, got "x"'],
  [
    'no date',
    { ...clean, date: undefined },
    'clean.date is missing (it must be a real calendar date as YYYY-MM-DD)',
  ],
  [
    'a date that does not exist',
    { ...clean, date: '2021-06-31' },
    'clean.date must be a real calendar date as YYYY-MM-DD, got "2021-06-31"',
  ],
  [
    'a fractional count',
    { ...clean, counts: { ...clean.counts, kept: 1.5 } },
    'clean.counts.kept must be a whole number >= 0, got 1.5',
  ],
  [
    'counts that do not add up',
    { ...clean, counts: { ...clean.counts, read: 99 } },
    'clean.counts.read must equal kept + duplicate + rejected (4), got 99',
  ],
  [
    'type buckets that do not add up',
    { ...clean, aggregates: { ...clean.aggregates, numNoneSearches: 5 } },
    'clean.aggregates.numSearches must equal numRentalSearches + numSaleSearches + numNoneSearches (7), got 3',
  ],
  [
    'more users than searches',
    { ...clean, aggregates: { ...clean.aggregates, numUsers: 4 } },
    'clean.aggregates.numUsers must not exceed numSearches (3) nor counts.kept (3), got 4',
  ],
  [
    'a manifest key with a space',
    { ...clean, outputs: { ...clean.outputs, validSearchesManifestKey: 'a b.manifest' } },
    'clean.outputs.validSearchesManifestKey must be 1-1024 of A-Z a-z 0-9 / ! - _ . * \' ( ), not starting with /, got "a b.manifest"',
  ],
  [
    'a bucket that is not a bucket name',
    { ...clean, outputs: { ...clean.outputs, bucket: 'Clean_Bucket' } },
    'clean.outputs.bucket must be a valid S3 bucket name, got "Clean_Bucket"',
  ],
])('%s is refused with a one-line reason', (_case, payload, message) => {
  expect(() => parseLoadInput(payload)).toThrow(
    expect.objectContaining({ name: InvalidRequest.name, message }) as Error,
  );
});
