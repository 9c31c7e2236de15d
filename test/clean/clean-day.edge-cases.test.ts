/**
 * The input edge cases a day file can have, each through the real Validate + Clean steps against the
 * embedded S3, with the expected accounting (or error class), and the invariants every run must keep.
 */
import { ListMultipartUploadsCommand } from '@aws-sdk/client-s3';
import { gzipSync } from 'node:zlib';
import Papa from 'papaparse';
import { Zip, ZipDeflate, strToU8, zipSync } from 'fflate';
import type { RowCounts } from '../../lambdas/shared/step-payloads';
import { AmbiguousInput, MalformedInput } from '../../lambdas/shared/errors';
import { renderPairs, renderSearch, standard, type SearchFields } from '../domain/render';
import { startTestS3, type TestS3 } from '../support/s3';
import { CLEAN, dataRows, readOutputs, runClean, type CleanInput } from './clean-harness';

let s3: TestS3;
beforeAll(async () => {
  s3 = await startTestS3(['incoming', CLEAN]);
});
afterAll(() => s3.close());

const ud = (over: Partial<SearchFields> = {}): string => renderSearch(standard(over));
const csv = (...lines: string[]): string => lines.map((l) => `${l}\n`).join('');
const HEADER = 'user_id,user_data';

function streamedZip(name: string, text: string): Uint8Array {
  const chunks: Uint8Array[] = [];
  const zip = new Zip((error, chunk) => {
    if (error) throw error;
    chunks.push(chunk);
  });
  const entry = new ZipDeflate(name, { level: 6 });
  zip.add(entry);
  entry.push(strToU8(text), true);
  zip.end();
  return Buffer.concat(chunks);
}

/** A user_data of about `bytes`, alternating valid and disabled Rental searches. */
function longUserData(bytes: number): { text: string; searches: number } {
  const valid = ud({ clicks: '5' });
  const disabled = ud({ enabled: 'False' });
  const pair = valid + disabled;
  const pairs = Math.ceil(bytes / pair.length);
  return { text: pair.repeat(pairs), searches: pairs * 2 };
}

/** The first two thirds of an archive. */
const cut = (archive: Uint8Array): Uint8Array => archive.subarray(0, Math.floor((archive.length * 2) / 3));

const TWO_GOOD = csv(HEADER, `1,${ud()}`, `2,${ud({ type: 'Sales' })}`);
const LONG = longUserData(10 * 1024 * 1024);

interface Expected {
  readonly format?: 'csv' | 'gzip' | 'zip';
  readonly counts: RowCounts;
  /** [line, reason] of each rejected row, in order. */
  readonly rejected?: readonly (readonly [number, string])[];
  readonly numSearches?: number;
}

const ok = (read: number, kept: number, duplicate = 0, rejected = 0): RowCounts => ({
  read,
  kept,
  duplicate,
  rejected,
});

const accepted: [string, CleanInput, Expected][] = [
  ['a UTF-8 BOM before the header', { body: '\uFEFF' + TWO_GOOD }, { counts: ok(2, 2), numSearches: 2 }],
  ['CRLF line ends', { body: TWO_GOOD.replaceAll('\n', '\r\n') }, { counts: ok(2, 2), numSearches: 2 }],
  ['a BOM and CRLF line ends', { body: '\uFEFF' + TWO_GOOD.replaceAll('\n', '\r\n') }, { counts: ok(2, 2) }],
  ['LF and CRLF mixed', { body: `${HEADER}\r\n1,${ud()}\n2,${ud()}\r\n` }, { counts: ok(2, 2) }],
  ['no line break after the last line', { body: TWO_GOOD.trimEnd() }, { counts: ok(2, 2) }],
  [
    'the header id instead of user_id',
    { body: csv('id,user_data', `1,${ud()}`) },
    { counts: ok(1, 1), numSearches: 1 },
  ],
  [
    'extra columns before and after, ignored',
    { body: csv('country,id,user_data,score', `DE,1,${ud()},5`, `FR,2,${ud()},"7,5"`) },
    { counts: ok(2, 2), numSearches: 2 },
  ],
  // A day that keeps no row fails the volume guard (test/clean/volume-guard.test.ts) unless the
  // execution input allows it: these cases are about reading, so they allow it.
  ['a header only', { body: csv(HEADER), allowVolumeDrop: true }, { counts: ok(0, 0), numSearches: 0 }],
  ['a header only, without a line break', { body: HEADER, allowVolumeDrop: true }, { counts: ok(0, 0) }],
  [
    'quoted fields with commas and real line breaks',
    {
      body: csv(
        'user_id,user_data,note',
        `"a,b","${ud()}",plain`,
        `c,"${ud()}\n${ud()}",x`, // a real line break between two searches: not the grammar
        `d,${ud()},"two\nlines, and ""quotes"""`,
        `e,${ud()},x`,
      ),
    },
    { counts: ok(4, 3, 0, 1), rejected: [[3, 'invalid_search_start']], numSearches: 3 },
  ],
  [
    'user_data grammar violations, each on its line',
    {
      body: csv(
        HEADER,
        `1,${ud().slice(0, -2)}`,
        `2,${ud({ enabled: undefined })}`,
        `3,${ud({ clicks: undefined })}`,
        `4,${ud({ clicks: 'many' })}`,
        `5,${ud({ clicks: '-3' })}`,
        `6,${ud({ listings: '-1' })}`,
        `7,${ud({ color: 'blue' })}`,
        `8,${renderPairs([
          ['type', 'Sales'],
          ['clicks', '4'],
          ['listings', '2'],
          ['enabled', 'True'],
          ['search_id', '8'],
        ])}`,
      ),
    },
    {
      counts: ok(8, 1, 0, 7),
      rejected: [
        [2, 'missing_terminator'],
        [3, 'missing_enabled'],
        [4, 'missing_clicks'],
        [5, 'invalid_clicks'],
        [6, 'invalid_clicks'],
        [7, 'invalid_listings'],
        [8, 'unknown_key'],
      ],
      numSearches: 1,
    },
  ],
  [
    'enabled spelled true and TRUE',
    {
      body: csv(
        HEADER,
        `1,${ud({ enabled: 'true' })}`,
        `2,${ud({ enabled: 'TRUE' })}`,
        `3,${ud({ enabled: 'FALSE' })}`,
      ),
    },
    { counts: ok(3, 3), numSearches: 2 },
  ],
  [
    'a wrong number of fields',
    { body: csv(HEADER, `1,${ud()},extra`, '2', `3,${ud()}`) },
    {
      counts: ok(3, 1, 0, 2),
      rejected: [
        [2, 'wrong_column_count'],
        [3, 'wrong_column_count'],
      ],
    },
  ],
  [
    'blank lines, skipped and not counted',
    { body: `${HEADER}\n\n1,${ud()}\n\n\n2,${ud()}\n\n` },
    { counts: ok(2, 2) },
  ],
  [
    'an empty user_id',
    { body: csv(HEADER, `,${ud()}`), allowVolumeDrop: true },
    { counts: ok(1, 0, 0, 1), rejected: [[2, 'empty_user_id']] },
  ],
  [
    'a 10 MB line',
    { body: csv(HEADER, `1,${ud()}`, `2,${LONG.text}`, `3,${ud()}`) },
    { counts: ok(3, 3), numSearches: 2 + LONG.searches / 2 },
  ],
  ['a gzip file', { body: gzipSync(TWO_GOOD), ext: '.csv.gz' }, { format: 'gzip', counts: ok(2, 2) }],
  [
    'a zip file',
    { body: zipSync({ 'export.csv': strToU8(TWO_GOOD) }), ext: '.zip' },
    { format: 'zip', counts: ok(2, 2) },
  ],
  [
    'a zip written as a stream (sizes in data descriptors)',
    { body: streamedZip('export.csv', TWO_GOOD), ext: '.zip' },
    { format: 'zip', counts: ok(2, 2) },
  ],
  [
    'a zip with a directory entry and one CSV',
    { body: zipSync({ 'out/': new Uint8Array(0), 'out/export.csv': strToU8(TWO_GOOD) }), ext: '.zip' },
    { format: 'zip', counts: ok(2, 2) },
  ],
  [
    'a .zip name holding plain CSV (told by content)',
    { body: TWO_GOOD, ext: '.zip' },
    { format: 'csv', counts: ok(2, 2) },
  ],
];

/** The archive with its first ASCII digit after the local header changed (stored data: a CSV digit). */
function withOneDigitChanged(archive: Uint8Array): Buffer {
  const bytes = Buffer.from(archive);
  const at = bytes.indexOf(':clicks:') + ':clicks:'.length;
  bytes[at] = bytes[at] === 0x39 ? 0x38 : (bytes[at] as number) + 1;
  return bytes;
}

const refused: [string, CleanInput, typeof MalformedInput | typeof AmbiguousInput, RegExp][] = [
  ['an empty file', { body: '' }, MalformedInput, /^empty file: no header row$/],
  ['a file with only a BOM', { body: '\uFEFF' }, MalformedInput, /^empty file/],
  ['a file of blank lines', { body: '\n\r\n\n' }, MalformedInput, /^empty file/],
  ['an empty gzip', { body: gzipSync(''), ext: '.csv.gz' }, MalformedInput, /^empty file/],
  ['a zip with no entry', { body: zipSync({}), ext: '.zip' }, AmbiguousInput, /^zip archive has no entry/],
  [
    'a zip holding only a directory',
    { body: zipSync({ 'out/': new Uint8Array(0) }), ext: '.zip' },
    AmbiguousInput,
    /^zip archive has no file entry, only a directory: out\/; expected exactly one CSV$/,
  ],
  [
    'a stored zip with one digit changed',
    { body: withOneDigitChanged(zipSync({ 'export.csv': [strToU8(TWO_GOOD), { level: 0 }] })), ext: '.zip' },
    MalformedInput,
    /^zip archive entry export\.csv CRC-32 check failed: expected 0x[0-9a-f]{8}, actual 0x[0-9a-f]{8}$/,
  ],
  [
    'a zip with several entries',
    {
      body: zipSync({ 'a.csv': strToU8(TWO_GOOD), 'b.csv': strToU8(TWO_GOOD), 'c.txt': strToU8('x') }),
      ext: '.zip',
    },
    AmbiguousInput,
    /^zip archive has 3 entries, expected exactly one CSV: a\.csv, b\.csv, c\.txt$/,
  ],
  [
    'a binary file',
    { body: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0xff, 0xfe, 0x00, 0x01]) },
    MalformedInput,
    /^not UTF-8 text/,
  ],
  [
    'invalid UTF-8 on line 3',
    {
      body: Buffer.concat([Buffer.from(`${HEADER}\n1,${ud()}\n2,`), Buffer.from([0xff]), Buffer.from('x\n')]),
    },
    MalformedInput,
    /^not UTF-8 text: invalid byte sequence at line 3 \(byte \d+\)$/,
  ],
  ['a file with NUL bytes', { body: `${HEADER}\n1,\0\0\0\n` }, MalformedInput, /^not CSV text: binary data/],
  [
    'a truncated gzip',
    { body: cut(gzipSync(TWO_GOOD.repeat(50))), ext: '.csv.gz' },
    MalformedInput,
    /^gzip data is corrupt or truncated/,
  ],
  [
    'a corrupt gzip',
    { body: Buffer.concat([gzipSync(TWO_GOOD).subarray(0, 10), Buffer.alloc(40, 0xff)]), ext: '.csv.gz' },
    MalformedInput,
    /^gzip data is corrupt/,
  ],
  [
    'a truncated zip',
    { body: cut(zipSync({ 'export.csv': strToU8(TWO_GOOD.repeat(50)) })), ext: '.zip' },
    MalformedInput,
    /^zip archive is truncated/,
  ],
  [
    'a zip cut inside its first header',
    { body: zipSync({ 'export.csv': strToU8(TWO_GOOD) }).subarray(0, 20), ext: '.zip' },
    MalformedInput,
    /^zip archive is truncated before its first entry/,
  ],
  [
    'no user_data column',
    { body: csv('user_id,data', '1,x') },
    MalformedInput,
    /^schema mismatch: .* found: user_id,data$/,
  ],
  ['no user_id column', { body: csv('user,user_data', '1,x') }, MalformedInput, /^schema mismatch/],
  [
    'user_data twice',
    { body: csv('id,user_data,user_data', '1,x,y') },
    MalformedInput,
    /^schema mismatch: column user_data appears twice/,
  ],
];

async function openUploads(): Promise<number> {
  const out = await s3.client.send(new ListMultipartUploadsCommand({ Bucket: CLEAN }));
  return out.Uploads?.length ?? 0;
}

describe('input edge cases that clean successfully', () => {
  test.each(accepted)('%s', async (_name, input, expected) => {
    const run = await runClean(s3, input);
    expect(run.error).toBeUndefined();
    const result = run.result;
    expect(result?.format).toBe(expected.format ?? 'csv');
    expect(result?.counts).toEqual(expected.counts);
    const { read, kept, duplicate, rejected } = expected.counts;
    expect(read).toBe(kept + duplicate + rejected);
    if (expected.numSearches !== undefined) expect(result?.aggregates.numSearches).toBe(expected.numSearches);

    const outputs = await readOutputs(s3, run.date);
    const rejectedRows = Papa.parse<string[]>(outputs.rejected ?? '', { skipEmptyLines: true })
      .data.slice(1)
      .map(([line, reason]) => [Number(line), reason]);
    expect(rejectedRows).toEqual(expected.rejected ?? []);
    expect(result?.firstRejections.map((r) => [r.line, r.reason])).toEqual(
      (expected.rejected ?? []).slice(0, 5),
    );
    expect(dataRows(outputs.validSearches)).toHaveLength(result?.aggregates.numSearches ?? -1);
    expect(outputs.cleaned?.includes('\r')).toBe(false);
    expect(JSON.parse(outputs.runRecord ?? '')).toEqual(result);
    expect(await openUploads()).toBe(0);
  });
});

describe('input edge cases that fail the day at once, leaving nothing', () => {
  test.each(refused)('%s', async (_name, input, errorClass, message) => {
    const run = await runClean(s3, input);
    expect(run.error).toBeInstanceOf(errorClass);
    expect((run.error as Error).message).toMatch(message);
    expect((run.error as Error).message).not.toContain('\n');
    expect(await readOutputs(s3, run.date)).toEqual({
      cleaned: undefined,
      validSearches: undefined,
      manifest: undefined,
      rejected: undefined,
      runRecord: undefined,
    });
    expect(await openUploads()).toBe(0);
  });
});
