/**
 * `lib/` is the CDK app only (bin/ -> lib/ -> lambdas/ -> sql/ reads as what is deployed): what
 * `bin/app.ts` and `lib/` load, followed through every relative import, must not reach the local
 * tooling in `local/`, the local stand-ins (embedded S3, PGlite, PostgreSQL drivers, the local
 * Step Functions, the report's charts and browser) or a Lambda runtime library.
 */
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { importGraph } from './import-graph';

const ROOT = resolve(__dirname, '..', '..');

const LOCAL_ONLY_PACKAGES = [
  's3rver',
  '@electric-sql/pglite',
  'pg',
  'pg-copy-streams',
  'echarts',
  'aws-local-stepfunctions',
  'playwright-core',
];
const LAMBDA_RUNTIME_SCOPES = ['@aws-lambda-powertools/', '@aws-sdk/'];

function typescriptFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return typescriptFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

const graph = importGraph(ROOT, [join(ROOT, 'bin', 'app.ts'), ...typescriptFiles(join(ROOT, 'lib'))]);

test('the CDK app loads nothing from local/', () => {
  const reached = [...graph.files].filter(([file]) => file.startsWith('local/'));

  expect(reached.map(([, chain]) => chain.join(' -> '))).toEqual([]);
});

test('the CDK app loads no local stand-in and no Lambda runtime library', () => {
  const forbidden = graph.packages.filter(
    ({ name }) =>
      LOCAL_ONLY_PACKAGES.includes(name) || LAMBDA_RUNTIME_SCOPES.some((scope) => name.startsWith(scope)),
  );

  expect(forbidden.map(({ specifier, importer }) => `${importer.join(' -> ')} imports ${specifier}`)).toEqual(
    [],
  );
});

test('the walk follows the app into lambdas/ and sees its packages (it is not vacuous)', () => {
  expect([...graph.files.keys()].some((file) => file.startsWith('lambdas/'))).toBe(true);
  expect(graph.packages.map(({ name }) => name)).toEqual(
    expect.arrayContaining(['aws-cdk-lib', 'constructs']),
  );
});
