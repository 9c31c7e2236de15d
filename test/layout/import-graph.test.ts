import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { importGraph, packageName } from './import-graph';

let root: string;
const write = (file: string, text: string): string => {
  const path = join(root, file);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  return path;
};

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'import-graph-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

test('follows relative imports, re-exports, require() and import() to every file and package they load', () => {
  const app = write('bin/app.ts', "import { stack } from '../lib/stack';\nvoid stack;\n");
  write(
    'lib/stack.ts',
    "import * as fs from 'node:fs';\nimport { Stack } from 'aws-cdk-lib/core';\nexport * from './parts';\nexport const stack = [fs, Stack];\n",
  );
  write(
    'lib/parts/index.ts',
    "const s3 = require('s3rver');\nexport const load = () => import('../../local/report');\n",
  );
  write('local/report.ts', "import { Client } from 'pg';\nexport { Client };\n");

  const graph = importGraph(root, [app]);

  expect(Object.fromEntries(graph.files)).toEqual({
    'bin/app.ts': ['bin/app.ts'],
    'lib/stack.ts': ['bin/app.ts', 'lib/stack.ts'],
    'lib/parts/index.ts': ['bin/app.ts', 'lib/stack.ts', 'lib/parts/index.ts'],
    'local/report.ts': ['bin/app.ts', 'lib/stack.ts', 'lib/parts/index.ts', 'local/report.ts'],
  });
  expect(graph.packages.map(({ name, importer }) => `${importer.at(-1)} ${name}`)).toEqual([
    'lib/stack.ts aws-cdk-lib',
    'lib/parts/index.ts s3rver',
    'local/report.ts pg',
  ]);
});

test('leaves out type-only imports and exports: they load nothing', () => {
  const file = write(
    'lib/types.ts',
    [
      "import type { S3Client } from '@aws-sdk/client-s3';",
      "import { type Logger } from '@aws-lambda-powertools/logger';",
      "export type { PGlite } from '@electric-sql/pglite';",
      "import { Duration, type Stack } from 'aws-cdk-lib';",
      'export type T = [S3Client, Logger, Stack, Duration];',
    ].join('\n'),
  );

  expect(importGraph(root, [file]).packages.map(({ specifier }) => specifier)).toEqual(['aws-cdk-lib']);
});

test('a relative import that resolves to nothing is an error naming the file', () => {
  const file = write('lib/broken.ts', "import './missing';\n");

  expect(() => importGraph(root, [file])).toThrow('lib/broken.ts: cannot resolve ./missing');
});

test('a package is named by its first path segment, or two when scoped', () => {
  expect(
    ['pg', 'aws-cdk-lib/aws-s3', '@aws-sdk/client-s3', '@aws-lambda-powertools/logger/types'].map(
      packageName,
    ),
  ).toEqual(['pg', 'aws-cdk-lib', '@aws-sdk/client-s3', '@aws-lambda-powertools/logger']);
});
