import { loadWarehouseConfig } from '../../lambdas/load/warehouse-config';
import { InvalidRequest } from '../../lambdas/shared/errors';

test('a Serverless workgroup with its database and the clean bucket', () => {
  expect(
    loadWarehouseConfig({ REDSHIFT_WORKGROUP: 'wg', REDSHIFT_DATABASE: 'dev', CLEAN_BUCKET: 'clean' }),
  ).toEqual({
    target: { workgroupName: 'wg', database: 'dev' },
    copyBucket: 'clean',
  });
});

test('a provisioned cluster, with or without a database user', () => {
  const env = { REDSHIFT_CLUSTER: 'dw', REDSHIFT_DATABASE: 'dev', CLEAN_BUCKET: 'clean' };
  expect(loadWarehouseConfig(env).target).toEqual({ clusterIdentifier: 'dw', database: 'dev' });
  expect(loadWarehouseConfig({ ...env, REDSHIFT_DB_USER: 'loader' }).target).toEqual({
    clusterIdentifier: 'dw',
    database: 'dev',
    dbUser: 'loader',
  });
});

test.each([
  [
    { REDSHIFT_DATABASE: 'dev', CLEAN_BUCKET: 'c' },
    'set exactly one of REDSHIFT_WORKGROUP and REDSHIFT_CLUSTER',
  ],
  [
    { REDSHIFT_WORKGROUP: 'wg', REDSHIFT_CLUSTER: 'dw', REDSHIFT_DATABASE: 'dev', CLEAN_BUCKET: 'c' },
    'set exactly one of REDSHIFT_WORKGROUP and REDSHIFT_CLUSTER',
  ],
  [{ REDSHIFT_WORKGROUP: 'wg', CLEAN_BUCKET: 'c' }, 'missing environment variable REDSHIFT_DATABASE'],
  [{ REDSHIFT_WORKGROUP: 'wg', REDSHIFT_DATABASE: 'dev' }, 'missing environment variable CLEAN_BUCKET'],
  [
    { REDSHIFT_WORKGROUP: 'wg', REDSHIFT_DATABASE: 'dev', REDSHIFT_DB_USER: 'u', CLEAN_BUCKET: 'c' },
    'REDSHIFT_DB_USER applies to a cluster, not a workgroup',
  ],
])('a configuration error names the variable: %j', (env, message) => {
  expect(() => loadWarehouseConfig(env)).toThrow(new InvalidRequest(message));
});
