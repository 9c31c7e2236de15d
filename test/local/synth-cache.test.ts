import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { SynthCache, synthCacheKey } from '../../local/runner/synth-cache';

let root: string;
beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'synth-cache-'));
  for (const dir of ['bin', 'lib/workflow', 'lambdas', 'sql'])
    mkdirSync(path.join(root, dir), { recursive: true });
  writeFileSync(path.join(root, 'bin/app.ts'), 'app');
  writeFileSync(path.join(root, 'lib/workflow/daily.ts'), 'daily');
  writeFileSync(path.join(root, 'sql/010.sql'), 'CREATE TABLE t (x INT);');
  writeFileSync(path.join(root, 'cdk.json'), '{}');
  writeFileSync(path.join(root, 'package-lock.json'), '{"aws-cdk-lib":"2.276.0"}');
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('the synthesized-template cache key', () => {
  test('is stable while nothing changes', () => {
    expect(synthCacheKey(root, { a: 1 })).toBe(synthCacheKey(root, { a: 1 }));
  });

  test.each([
    ['a stack source', 'lib/workflow/daily.ts'],
    ['a SQL file', 'sql/010.sql'],
    ['cdk.json', 'cdk.json'],
    ['the lockfile (package versions)', 'package-lock.json'],
  ])('changes when %s changes', (_what, file) => {
    const before = synthCacheKey(root, {});
    writeFileSync(path.join(root, file), 'changed');
    expect(synthCacheKey(root, {})).not.toBe(before);
  });

  test('changes when a source file is added, and with the context', () => {
    const before = synthCacheKey(root, {});
    writeFileSync(path.join(root, 'lambdas/new.ts'), '');
    expect(synthCacheKey(root, {})).not.toBe(before);
    expect(synthCacheKey(root, { scaleOutThresholdBytes: 0 })).not.toBe(synthCacheKey(root, {}));
  });

  test('ignores files outside what the app is built from', () => {
    const before = synthCacheKey(root, {});
    writeFileSync(path.join(root, 'README.md'), 'docs');
    mkdirSync(path.join(root, 'local'));
    writeFileSync(path.join(root, 'local/cli.ts'), 'tooling');
    expect(synthCacheKey(root, {})).toBe(before);
  });
});

describe('the cache', () => {
  test('gives back what was stored under a key, nothing for another key, and leaves no temporary file', () => {
    const cache = new SynthCache(path.join(root, 'cache'));
    cache.set('k1', { Resources: { A: { Type: 'X' } } });
    expect(cache.get('k1')).toEqual({ Resources: { A: { Type: 'X' } } });
    expect(cache.get('k2')).toBeUndefined();
    expect(readdirSync(path.join(root, 'cache'))).toEqual(['template-k1.json']);
  });
});
