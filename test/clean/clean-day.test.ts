import { cleanDay } from '../../lambdas/cleaning/clean-day';
import { parseValidatedDay } from '../../lambdas/shared/step-payloads';
import { InputNotFound, InvalidRequest, TooManyRejectedRows } from '../../lambdas/shared/errors';
import { renderSearch, standard } from '../domain/render';
import { startTestS3, type TestS3 } from '../support/s3';
import { CLEAN, config, dataRows, logger, readOutputs, runClean } from './clean-harness';

const SPEC_FILE =
  'user_id,user_data\n' +
  '500,--\\\\n-:search_id:4410\\\\n:enabled:True\\\\n:clicks:4\\\\n:created_at:20210702\\\\n:listings:6\\\\n:type:Rental\\n\n' +
  '501,--\\\\n-:search_id:77\\\\n:enabled:False\\\\n:clicks:9\\\\n:created_at:20210702\\\\n:listings:2\\\\n:type:\\n' +
  '--\\\\n-:search_id:78\\\\n:enabled:True\\\\n:clicks:3\\\\n:created_at:20210702\\\\n:listings:5\\\\n:type:Sales\\n\n';

let s3: TestS3;
beforeAll(async () => {
  s3 = await startTestS3(['incoming', CLEAN]);
});
afterAll(() => s3.close());

describe('cleanDay on the contract example', () => {
  test('writes the cleaned dataset with contract §3.1 columns, in input order', async () => {
    const run = await runClean(s3, { body: SPEC_FILE, date: '2021-07-02' });
    expect(run.error).toBeUndefined();
    const { cleaned } = await readOutputs(s3, run.date);
    const [header, user500, user501] = (cleaned ?? '').split('\n');
    expect(header).toBe(
      'user_id,user_data,valid_search_data,num_eligible_searches,avg_listings,num_rental_search_type,num_sale_search_type,none_search_type',
    );
    expect(user500).toBe(
      '500,--\\\\n-:search_id:4410\\\\n:enabled:True\\\\n:clicks:4\\\\n:created_at:20210702\\\\n:listings:6\\\\n:type:Rental\\n,' +
        '"[{""search_id"":""4410"",""enabled"":true,""clicks"":4,""created_at"":""20210702"",""listings"":6,""type"":""Rental""}]",1,6,1,0,0',
    );
    expect(user501).toMatch(
      /^501,--.*Sales\\n,"\[\{""search_id"":""78"",""enabled"":true,""clicks"":3,.*\}\]",1,5,0,1,0$/,
    );
  });

  test('writes one valid-searches row per valid search, and its COPY manifest', async () => {
    const run = await runClean(s3, { body: SPEC_FILE, date: '2021-07-03' });
    const { validSearches, manifest } = await readOutputs(s3, run.date);
    expect(validSearches).toBe(
      'day,user_id,search_seq,search_id,clicks,created_at,listings,type,type_bucket\n' +
        '2021-07-03,500,1,4410,4,20210702,6,Rental,rental\n' +
        '2021-07-03,501,2,78,3,20210702,5,Sales,sale\n',
    );
    expect(JSON.parse(manifest ?? '')).toEqual({
      entries: [
        {
          url: 's3://clean/valid-searches/20210703/run-2021-07-03/valid_searches20210703.csv',
          mandatory: true,
        },
      ],
    });
  });

  test('returns the run record, and writes the same record last', async () => {
    const run = await runClean(s3, { body: SPEC_FILE, date: '2021-07-04' });
    expect(run.result).toMatchObject({
      date: '2021-07-04',
      runId: 'run-2021-07-04',
      format: 'csv',
      source: { bucket: 'incoming', key: 'user-data/session_user_data20210704.csv', bytes: SPEC_FILE.length },
      counts: { read: 2, kept: 2, duplicate: 0, rejected: 0 },
      aggregates: {
        numUsers: 2,
        numSearches: 2,
        numRentalSearches: 1,
        numSaleSearches: 1,
        numNoneSearches: 0,
      },
      outputs: {
        bucket: CLEAN,
        cleanedKey: 'user-data-clean/session_user_data20210704.csv',
        validSearchesKey: 'valid-searches/20210704/run-2021-07-04/valid_searches20210704.csv',
        validSearchesManifestKey: 'valid-searches/20210704/run-2021-07-04/valid_searches20210704.manifest',
        runRecordKey: 'runs/session_user_data20210704.json',
        runScopedRecordKey: 'runs/20210704/run-2021-07-04.json',
      },
      firstRejections: [],
      codeVersion: 'test-1',
    });
    expect(run.result?.outputs.rejectedKey).toBeUndefined();
    expect(run.result?.source.etag).toBe(run.day.source.etag);
    const { runRecord, runScopedRecord, rejected } = await readOutputs(s3, run.date);
    expect(JSON.parse(runRecord ?? '')).toEqual(run.result);
    expect(JSON.parse(runScopedRecord ?? '')).toEqual({ status: 'succeeded', ...run.result });
    expect(rejected).toBeUndefined();
  });
});

describe('cleanDay accounting and re-runs', () => {
  const good = (id: string, over = {}): string => `${id},${renderSearch(standard(over))}`;

  test('exact duplicates count once; a conflicting user_id is rejected', async () => {
    const body = ['user_id,user_data', good('1'), good('1'), good('1', { clicks: '9' }), good('2')].join(
      '\n',
    );
    const run = await runClean(s3, { body });
    expect(run.result?.counts).toEqual({ read: 4, kept: 2, duplicate: 1, rejected: 1 });
    expect(run.result?.firstRejections).toEqual([
      { line: 4, reason: 'duplicate_user_id', detail: expect.any(String) },
    ]);
    const { rejected } = await readOutputs(s3, run.date);
    expect(rejected?.split('\n')[1]).toBe(
      `4,duplicate_user_id,"user_id ""1"" was already kept with different user_data","${good('1', { clicks: '9' })}"`,
    );
  });

  test('a user with no valid search is kept but not written to the cleaned dataset', async () => {
    const run = await runClean(s3, {
      body: ['user_id,user_data', good('1', { clicks: '0' }), '2,'].join('\n'),
    });
    expect(run.result?.counts).toEqual({ read: 2, kept: 2, duplicate: 0, rejected: 0 });
    expect(run.result?.aggregates.numUsers).toBe(0);
    expect(dataRows((await readOutputs(s3, run.date)).cleaned)).toEqual([]);
  });

  test('a day over the rejected threshold fails naming the first reasons, writing only the rejected rows', async () => {
    const body = ['user_id,user_data', good('1'), '2,garbage', good('3', { clicks: 'x' }), good('4')].join(
      '\n',
    );
    const run = await runClean(s3, { body, config: { rejectedThreshold: 0.25 } });
    expect(run.error).toBeInstanceOf(TooManyRejectedRows);
    expect((run.error as Error).message).toBe(
      '2 of 4 rows rejected (50.00%), above the 25.00% threshold; first: ' +
        'line 3 invalid_search_start (search 1 does not start with "--\\\\n-:" at char 1); ' +
        'line 4 invalid_clicks (search 1: clicks "x" is not an integer in 0..2147483647); ' +
        `all in s3://clean/rejected/${run.date.replaceAll('-', '')}/run-${run.date}/` +
        `session_user_data${run.date.replaceAll('-', '')}.rejected.csv`,
    );
    const outputs = await readOutputs(s3, run.date);
    expect(dataRows(outputs.rejected).map((r) => r.split(',').slice(0, 2).join(','))).toEqual([
      '3,invalid_search_start',
      '4,invalid_clicks',
    ]);
    expect(outputs).toMatchObject({
      cleaned: undefined,
      validSearches: undefined,
      manifest: undefined,
      runRecord: undefined,
    });
    expect(JSON.parse(outputs.runScopedRecord ?? '')).toMatchObject({
      status: 'failed',
      error: { name: 'TooManyRejectedRows' },
    });
  });

  test('a day exactly at the threshold succeeds', async () => {
    const body = ['user_id,user_data', good('1'), '2,garbage', good('3'), good('4')].join('\n');
    const run = await runClean(s3, { body, config: { rejectedThreshold: 0.25 } });
    expect(run.result?.counts.rejected).toBe(1);
  });

  test('a re-run replaces the current outputs; the earlier run keeps its rejected rows under its run id', async () => {
    const first = await runClean(s3, { body: ['user_id,user_data', good('1'), '2,garbage'].join('\n') });
    const firstRejected = (await readOutputs(s3, first.date)).rejected;
    expect(firstRejected).toBeDefined();
    const second = await runClean(s3, {
      body: ['user_id,user_data', good('1'), good('2')].join('\n'),
      date: first.date,
      runId: 'second',
    });
    expect(second.result?.counts).toEqual({ read: 2, kept: 2, duplicate: 0, rejected: 0 });
    const current = await readOutputs(s3, first.date, 'second');
    expect(current.rejected).toBeUndefined();
    expect(JSON.parse(current.runRecord ?? '')).toEqual(second.result);
    expect(second.result?.outputs.rejectedKey).toBeUndefined();
    expect(dataRows(current.cleaned)).toHaveLength(2);
    expect(dataRows(current.validSearches)).toHaveLength(2);
    expect((await readOutputs(s3, first.date)).rejected).toBe(firstRejected);
  });

  test('outputs written in many small parts equal the single-request outputs', async () => {
    const lines = ['user_id,user_data'];
    for (let i = 0; i < 300; i++)
      lines.push(good(`u${i}`, { search_id: String(i), listings: String(i % 7) }));
    const body = lines.join('\n');
    const whole = await runClean(s3, { body });
    const parts = await runClean(s3, { body, partSizeBytes: 4096 });
    const a = await readOutputs(s3, whole.date);
    const b = await readOutputs(s3, parts.date);
    expect(b.cleaned).toBe(a.cleaned);
    expect(b.validSearches?.replaceAll(parts.date, whole.date)).toBe(a.validSearches);
    expect(b.cleaned?.length).toBeGreaterThan(3 * 4096);
  });

  test('an input object gone since validation is InputNotFound (retried)', async () => {
    const day = parseValidatedDay({
      date: '2021-09-01',
      compactDate: '20210901',
      runId: 'r',
      source: { bucket: 'incoming', key: 'user-data/session_user_data20210901.csv', etag: 'x', bytes: 1 },
    });
    await expect(cleanDay({ s3: s3.client, config, logger }, day)).rejects.toThrow(InputNotFound);
  });
});

describe('the Clean handler input', () => {
  const valid = {
    date: '2021-07-02',
    compactDate: '20210702',
    runId: 'r1',
    source: { bucket: 'b', key: 'k', etag: 'e', bytes: 3 },
  };

  test('accepts the Validate step result', () => {
    expect(parseValidatedDay(valid)).toEqual(valid);
  });

  test.each([
    ['not an object', null, /^day must be an object, got null$/],
    ['a bad date', { ...valid, date: '2021-02-30' }, /^day\.date must be a real calendar date/],
    ['dates that disagree', { ...valid, compactDate: '20210703' }, /^day\.compactDate does not match/],
    ['no source', { ...valid, source: undefined }, /^day\.source is missing/],
    ['a source without key', { ...valid, source: { ...valid.source, key: '' } }, /^day\.source\.key/],
    ['negative bytes', { ...valid, source: { ...valid.source, bytes: -1 } }, /^day\.source\.bytes/],
  ])('refuses %s with InvalidRequest naming the field', (_name, event, message) => {
    expect(() => parseValidatedDay(event)).toThrow(InvalidRequest);
    expect(() => parseValidatedDay(event)).toThrow(message);
  });
});
