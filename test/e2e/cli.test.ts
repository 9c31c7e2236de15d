import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import Papa from 'papaparse';

import { main } from '../../local/cli/main';
import { QUESTIONS_DIR } from '../../local/report/questions';
import { captureIo } from '../local/capture-io';
import { DAYS, generatedInput, inputWithout } from './fixtures';

const BIN = path.resolve(__dirname, '..', '..', 'bin', 'search-stats.js');
const run = promisify(execFile);

let root: string;
let input: string;
let workdir: string;
const runOut = { code: -1, out: '', err: '' };

beforeAll(async () => {
  ({ root, input } = await generatedInput());
  workdir = path.join(root, 'work');
  const io = captureIo();
  const argv = [
    'run',
    '--input',
    input,
    '--from',
    DAYS[0] ?? '',
    '--to',
    DAYS[2] ?? '',
    '--workdir',
    workdir,
  ];
  runOut.code = await main([...argv, '--concurrency', '3', '--retry-wait-ms', '0'], io);
  runOut.out = io.out();
  runOut.err = io.err();
}, 180_000); // three days through the local pipeline: slow on a busy 2-core machine
afterAll(() => rm(root, { recursive: true, force: true }));

describe('search-stats run', () => {
  test('exits 0 with progress on stderr and a summary table of the days on stdout', () => {
    expect(runOut.code).toBe(0);
    expect(runOut.err).toMatch(/days 3\/3 done, 0 failed, [\d,]+ rows\/s/);
    expect(runOut.out).toMatch(/^day\s+status\s+users\s+searches/);
    for (const day of DAYS) expect(runOut.out).toMatch(new RegExp(`^${day}\\s+SUCCEEDED`, 'm'));
    expect(runOut.out).toContain('3 of 3 days succeeded');
  });

  test('exits 1 when a day failed, naming the day, the step and the reason', async () => {
    const partial = await inputWithout(input, '2021-07-03', path.join(root, 'partial'));
    const io = captureIo();
    const argv = ['run', '--input', partial, '--from', '2021-07-02', '--to', '2021-07-03'];
    const code = await main([...argv, '--workdir', path.join(root, 'failing'), '--retry-wait-ms', '0'], io);
    expect(code).toBe(1);
    expect(io.err()).toMatch(/^FAILED 2021-07-03 failed at Validate: InputNotFound: .*20210703/m);
    const notifications = path.join(root, 'failing', 'notifications.jsonl');
    expect(io.err()).toMatch(
      /^notification for 2021-07-03 \(captured locally, topic arn:aws:sns:.*\) in .*notifications\.jsonl$/m,
    );
    expect(await readFile(notifications, 'utf8')).toMatch(/"day":"2021-07-03".*"step":"Validate"/);
    expect(io.out()).toMatch(/^2021-07-02\s+SUCCEEDED/m);
    expect(io.out()).toMatch(/^2021-07-03\s+FAILED\s.*Validate\s+InputNotFound: .*$/m);
    expect(io.out()).toContain('1 of 2 days succeeded, 1 failed');
  }, 180_000); // two days through the local pipeline, as the run above
});

describe('search-stats query and outputs', () => {
  test('query --format csv writes only the CSV: a header and one row per day', async () => {
    const io = captureIo();
    const sql = 'SELECT day, num_users, num_searches FROM search_stats ORDER BY day';
    expect(await main(['query', '--workdir', workdir, '--format', 'csv', sql], io)).toBe(0);
    const parsed = Papa.parse<string[]>(io.out().trimEnd(), { newline: '\r\n' });
    expect(parsed.errors).toEqual([]);
    expect(parsed.data[0]).toEqual(['day', 'num_users', 'num_searches']);
    expect(parsed.data.slice(1).map((row) => row[0])).toEqual(DAYS);
    expect(parsed.data.slice(1).every((row) => row.length === 3 && /^\d+$/.test(row[1] ?? ''))).toBe(true);
  });

  test('query --format csv on an empty result still writes the header', async () => {
    const io = captureIo();
    const sql = "SELECT day, num_users FROM search_stats WHERE day < DATE '2000-01-01'";
    expect(await main(['query', '--workdir', workdir, '--format', 'csv', sql], io)).toBe(0);
    expect(io.out().trimEnd()).toBe('day,num_users');
  });

  test('query --format json prints the rows as a JSON array', async () => {
    const io = captureIo();
    expect(
      await main(
        ['query', '--workdir', workdir, '--format', 'json', 'SELECT count(*) AS days FROM search_stats'],
        io,
      ),
    ).toBe(0);
    expect(JSON.parse(io.out())).toEqual([{ days: 3 }]);
  });

  test('query on a work directory without a warehouse says so and exits 1', async () => {
    const io = captureIo();
    expect(await main(['query', '--workdir', path.join(root, 'nothing'), 'SELECT 1'], io)).toBe(1);
    expect(io.err()).toMatch(/no local warehouse in .*nothing/);
  });

  test('outputs lists the clean bucket objects with the files holding them on disk', async () => {
    const io = captureIo();
    expect(await main(['outputs', '--workdir', workdir, '--format', 'json'], io)).toBe(0);
    const objects = JSON.parse(io.out()) as { uri: string; file: string }[];
    expect(objects.map((o) => o.uri)).toContain('s3://clean/user-data-clean/session_user_data20210701.csv');
    expect(objects.every((o) => existsSync(o.file))).toBe(true);
  });
});

describe('search-stats query --file', () => {
  const questions = readdirSync(QUESTIONS_DIR).filter((f) => f.endsWith('.sql'));

  test.each(questions)('runs the question file %s as it is, in every output format', async (file) => {
    const outputs: Record<string, string> = {};
    for (const format of ['table', 'csv', 'json']) {
      const io = captureIo();
      const argv = [
        'query',
        '--workdir',
        workdir,
        '--format',
        format,
        '--file',
        path.join(QUESTIONS_DIR, file),
      ];
      expect({ format, code: await main(argv, io), err: io.err() }).toMatchObject({ format, code: 0 });
      outputs[format] = io.out();
    }
    const rows = JSON.parse(outputs['json'] ?? '') as Record<string, unknown>[];
    const csv = Papa.parse<string[]>(outputs['csv'] ?? '', { skipEmptyLines: true }).data;
    expect(csv.length).toBe(rows.length + 1);
    if (rows[0]) expect(csv[0]).toEqual(Object.keys(rows[0]));
  });

  test('reads the SQL from standard input with --file -', async () => {
    const sql = '-- a leading comment, as in the question files\nSELECT count(*) AS days FROM search_stats';
    const io = { ...captureIo(), stdin: Readable.from([sql]) };
    expect(await main(['query', '--workdir', workdir, '--format', 'json', '--file', '-'], io)).toBe(0);
    expect(JSON.parse(io.out())).toEqual([{ days: DAYS.length }]);
  });

  test('a missing file, a directory, or both a file and an argument are usage errors (exit 2)', async () => {
    for (const argv of [
      ['--file', path.join(root, 'nope.sql')],
      ['--file', root],
      ['--file', path.join(QUESTIONS_DIR, questions[0] ?? ''), 'SELECT 1'],
    ]) {
      const io = captureIo();
      expect(await main(['query', '--workdir', workdir, ...argv], io)).toBe(2);
      expect(io.err()).toMatch(/no such file|is a directory|expected no positional arguments/);
    }
  });
});

describe('search-stats report', () => {
  test('writes the HTML report from the local warehouse and prints its path', async () => {
    const io = captureIo();
    const out = path.join(root, 'report', 'index.html');
    expect(await main(['report', '--workdir', workdir, '--out', out], io)).toBe(0);
    expect(io.out()).toBe(`${out}\n`);
    const page = await readFile(out, 'utf8');
    expect(page).toMatch(/^<!doctype html>/i);
    expect(page).toContain('Valid searches per day');
  });

  test('given an existing directory as --out, writes report.html inside it', async () => {
    const io = captureIo();
    expect(await main(['report', '--workdir', workdir, '--out', root], io)).toBe(0);
    expect(io.out()).toBe(`${path.join(root, 'report.html')}\n`);
    expect(existsSync(path.join(root, 'report.html'))).toBe(true);
  });
});

describe('the search-stats executable', () => {
  test('pipes pure CSV from query --format csv', async () => {
    const sql = 'SELECT day, num_searches FROM search_stats ORDER BY day';
    const { stdout } = await run('node', [BIN, 'query', '--workdir', workdir, '--format', 'csv', sql]);
    expect(stdout.split('\r\n')).toEqual([
      'day,num_searches',
      ...DAYS.map((d) => expect.stringMatching(new RegExp(`^${d},\\d+$`))),
      '',
    ]);
  });

  test('exits 2 with a one-line error on bad arguments', async () => {
    const failure = await run('node', [BIN, 'run', '--from', '2021-13-01']).catch((e: unknown) => e);
    expect(failure).toMatchObject({ code: 2, stdout: '' });
    const stderr = (failure as { stderr: string }).stderr;
    expect(stderr.trimEnd().split('\n')).toEqual([expect.stringMatching(/--input is required/)]);
  });
});

describe('a re-run that fails the volume guard, seen by outputs, then allowed', () => {
  const day = DAYS[2] ?? '';
  const compact = day.replaceAll('-', '');
  let empty: string;
  beforeAll(async () => {
    empty = path.join(root, 'header-only');
    await mkdir(empty, { recursive: true });
    await writeFile(path.join(empty, `session_user_data${compact}.csv`), 'user_id,user_data\n');
  });
  const rerun = (...more: string[]) => [
    'run',
    '--input',
    empty,
    '--from',
    day,
    '--to',
    day,
    '--workdir',
    workdir,
    '--retry-wait-ms',
    '0',
    ...more,
  ];

  test('run fails the header-only day with SuspiciousVolume; outputs lists the current outputs and the failed run apart; --allow-volume-drop loads it', async () => {
    const failing = captureIo();
    expect(await main(rerun(), failing)).toBe(1);
    expect(failing.err()).toMatch(
      new RegExp(`^FAILED ${day} failed at Clean: SuspiciousVolume: ${day} kept 0 rows`, 'm'),
    );

    const listing = captureIo();
    expect(await main(['outputs', '--workdir', workdir, '--format', 'json'], listing)).toBe(0);
    const objects = JSON.parse(listing.out()) as { state: string; run: string; uri: string }[];
    const cleaned = objects.find(
      (o) => o.uri === `s3://clean/user-data-clean/session_user_data${compact}.csv`,
    );
    const failed = objects.filter((o) => o.state === 'failed run');
    expect(cleaned?.state).toBe('current');
    expect(failed).toEqual([
      expect.objectContaining({
        uri: expect.stringMatching(new RegExp(`^s3://clean/runs/${compact}/[^/]+\\.json$`)),
      }),
    ]);
    expect(failed[0]?.run).not.toBe(cleaned?.run);
    expect(objects.map((o) => o.state).indexOf('failed run')).toBeGreaterThan(
      objects.map((o) => o.state).lastIndexOf('current'),
    );

    const allowed = captureIo();
    expect(await main(rerun('--allow-volume-drop'), allowed)).toBe(0);
    expect(allowed.out()).toMatch(new RegExp(`^${day}\\s+SUCCEEDED`, 'm'));
  });
});
