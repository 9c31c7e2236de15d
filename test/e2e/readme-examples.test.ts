/**
 * Every `npm run cli -- ...` example in the README runs as written (in README order, each in the
 * same fresh work directory), except those that need an AWS account, which are named below so that
 * a new one cannot slip by untested.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { main } from '../../local/cli/main';
import { captureIo } from '../local/capture-io';

const README = readFileSync(path.resolve(__dirname, '..', '..', 'README.md'), 'utf8');
const PREFIX = 'npm run cli -- ';
/** Commands that take --workdir (the examples rely on its default, `.work`). */
const WITH_WORKDIR = new Set(['run', 'watch', 'query', 'report', 'dashboard', 'outputs', 'backfill', 'demo']);

/** The examples: lines of fenced blocks and inline code spans that start with `npm run cli -- `. */
function readmeExamples(markdown: string): string[] {
  const fenced: string[] = [];
  let inFence = false;
  for (const line of markdown.split('\n')) {
    if (line.startsWith('```')) inFence = !inFence;
    else if (inFence) fenced.push(line.replace(/\s+#.*$/, '').trim());
  }
  const inline = [...markdown.matchAll(/`(npm run cli -- [^`]+)`/g)].map((m) => m[1] ?? '');
  return [...fenced, ...inline].filter((line) => line.startsWith(PREFIX));
}

/** Splits a command line as a POSIX shell would for plain words and quoted strings. */
function shellWords(line: string): string[] {
  return [...line.matchAll(/"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+)/g)].map(
    (m) => m[1]?.replace(/\\(.)/g, '$1') ?? m[2] ?? m[3] ?? '',
  );
}

const examples = readmeExamples(README);
const needsAws = (line: string) => /<[A-Za-z]+>/.test(line);

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'readme-'));
});
afterAll(() => rm(root, { recursive: true, force: true }));

test('the README has local CLI examples, and the only ones left out need an AWS account', () => {
  expect(examples.filter((e) => !needsAws(e)).length).toBeGreaterThanOrEqual(6);
  expect(examples.filter(needsAws).sort()).toEqual([
    'npm run cli -- <command>',
    expect.stringContaining(
      'backfill --from 2021-07-02 --to 2021-07-24 --state-machine-arn <BackfillStateMachineArn>',
    ),
    'npm run cli -- report --workgroup <WarehouseName> --database dev --out report.html',
  ]);
});

test('every local README example runs as written and exits 0', async () => {
  const workdir = path.join(root, '.work');
  const results: { example: string; code: number; err: string }[] = [];
  for (const example of examples.filter((e) => !needsAws(e))) {
    // `.work` is the CLI's default work directory, relative to the repository root: here a fresh one.
    const argv = shellWords(example.slice(PREFIX.length)).map((word) =>
      word === '.work' || word.startsWith('.work/') ? path.join(root, word) : word,
    );
    if (WITH_WORKDIR.has(argv[0] ?? '') && !argv.includes('--workdir')) argv.push('--workdir', workdir);
    if (['run', 'watch', 'backfill'].includes(argv[0] ?? '')) argv.push('--retry-wait-ms', '0');
    const io = captureIo();
    results.push({ example, code: await main(argv, io), err: io.err().slice(-500) });
  }
  expect(results.filter((r) => r.code !== 0)).toEqual([]);
  expect(results.map((r) => r.example)).toContain(
    'npm run cli -- query --format csv --file sql/questions/02_valid_searches_per_day.sql',
  );
}, 300_000);
