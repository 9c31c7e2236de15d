import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { chromiumBrowser, decide, postgresServer } from './required-parts';

const SUITE = 'a local back-fill into a real PostgreSQL server';

describe('a suite that needs PostgreSQL', () => {
  test('uses TEST_POSTGRES_URL when it is set, under CI or not', () => {
    const url = 'postgres://postgres@127.0.0.1:5432/postgres';
    for (const CI of [undefined, 'true']) {
      expect(decide(SUITE, postgresServer({ TEST_POSTGRES_URL: url }), { CI })).toEqual({
        kind: 'use',
        value: url,
      });
    }
  });

  test('locally, without TEST_POSTGRES_URL, is skipped with a title naming the suite and what to set', () => {
    const decision = decide(SUITE, postgresServer({}), {});

    expect(decision).toEqual({
      kind: 'skip',
      title: expect.stringContaining(`${SUITE} skipped: no PostgreSQL`),
    });
    expect(decision.kind === 'skip' && decision.title).toMatch(/set TEST_POSTGRES_URL=postgres:\/\//);
  });

  test.each(['true', 'TRUE', '1'])(
    'under CI=%s, without TEST_POSTGRES_URL, fails saying what to set',
    (CI) => {
      const decision = decide(SUITE, postgresServer({ TEST_POSTGRES_URL: ' ' }), { CI });

      expect(decision).toEqual({
        kind: 'fail',
        title: `${SUITE}: needs PostgreSQL`,
        message: expect.stringMatching(
          /^a local back-fill .* needs PostgreSQL, .*set TEST_POSTGRES_URL=postgres:\/\//,
        ),
      });
    },
  );

  test('CI=false is not CI: the suite is skipped', () => {
    expect(decide(SUITE, postgresServer({}), { CI: 'false' }).kind).toBe('skip');
  });
});

describe('finding Chromium', () => {
  let root: string;
  const executable = (dir: string, name: string): string => {
    mkdirSync(join(root, dir), { recursive: true });
    const file = join(root, dir, name);
    writeFileSync(file, '#!/bin/sh\n');
    chmodSync(file, 0o755);
    return file;
  };
  const pathOf = (...dirs: string[]): string => dirs.map((dir) => join(root, dir)).join(delimiter);

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'chromium-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  test('CHROMIUM_PATH wins over PATH', () => {
    const configured = executable('opt', 'my-chrome');
    executable('bin', 'chromium');

    expect(chromiumBrowser({ CHROMIUM_PATH: configured, PATH: pathOf('bin') }).found).toBe(configured);
  });

  test('on PATH, chromium comes before chromium-browser, which comes before google-chrome', () => {
    const chrome = executable('a', 'google-chrome');
    const browser = executable('b', 'chromium-browser');
    const chromium = executable('c', 'chromium');

    expect(chromiumBrowser({ PATH: pathOf('a', 'b', 'c') }).found).toBe(chromium);
    rmSync(chromium);
    expect(chromiumBrowser({ PATH: pathOf('a', 'b', 'c') }).found).toBe(browser);
    rmSync(browser);
    expect(chromiumBrowser({ PATH: pathOf('a', 'b', 'c') }).found).toBe(chrome);
  });

  test('a file that is not executable is not a Chromium', () => {
    executable('bin', 'chromium');
    chmodSync(join(root, 'bin', 'chromium'), 0o644);

    expect(chromiumBrowser({ PATH: pathOf('bin') }).found).toBeUndefined();
  });

  test('a CHROMIUM_PATH that is not an executable is missing, and the reason names it', () => {
    executable('bin', 'chromium');
    const missing = join(root, 'nowhere', 'chrome');
    const part = chromiumBrowser({ CHROMIUM_PATH: missing, PATH: pathOf('bin') });

    expect(part.found).toBeUndefined();
    expect(decide('the report in headless Chromium', part, { CI: 'true' })).toEqual({
      kind: 'fail',
      title: 'the report in headless Chromium: needs Chromium',
      message: expect.stringContaining(`CHROMIUM_PATH=${missing} is not an executable file`),
    });
  });

  test('with none, locally the suite is skipped saying how to install one', () => {
    const part = chromiumBrowser({ PATH: pathOf('empty') });

    expect(decide('the report in headless Chromium', part, {})).toEqual({
      kind: 'skip',
      title: expect.stringMatching(
        /^the report in headless Chromium skipped: no Chromium; to run it, install Chromium \(apt-get install chromium\) or set CHROMIUM_PATH/,
      ),
    });
  });
});
