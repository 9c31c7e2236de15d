/**
 * The warehouse settings the load and migrate Lambdas read from the environment (names in
 * `lambdas/shared/function-env.ts` ENV): a Serverless workgroup or a provisioned cluster, the database,
 * and (load only) the clean bucket COPY may read from.
 */
import { ENV, requireEnv } from '../shared/function-env';
import { InvalidRequest } from '../shared/errors';
import type { RedshiftTarget } from './redshift-data-api';

type Env = Readonly<Record<string, string | undefined>>;

export interface WarehouseConfig {
  readonly target: RedshiftTarget;
  /** The only bucket COPY may read from (`CLEAN_BUCKET`). */
  readonly copyBucket: string;
}

/** Exactly one of REDSHIFT_WORKGROUP / REDSHIFT_CLUSTER, plus REDSHIFT_DATABASE (REDSHIFT_DB_USER: cluster only, optional). */
export function loadRedshiftTarget(env: Env): RedshiftTarget {
  const workgroupName = env[ENV.workgroupName] || undefined;
  const clusterIdentifier = env[ENV.clusterIdentifier] || undefined;
  const dbUser = env[ENV.dbUser] || undefined;
  const database = requireEnv(env, ENV.database);
  if ((workgroupName === undefined) === (clusterIdentifier === undefined)) {
    throw new InvalidRequest(`set exactly one of ${ENV.workgroupName} and ${ENV.clusterIdentifier}`);
  }
  if (workgroupName !== undefined) {
    if (dbUser !== undefined) throw new InvalidRequest(`${ENV.dbUser} applies to a cluster, not a workgroup`);
    return { workgroupName, database };
  }
  return dbUser === undefined
    ? { clusterIdentifier: clusterIdentifier as string, database }
    : { clusterIdentifier: clusterIdentifier as string, database, dbUser };
}

export function loadWarehouseConfig(env: Env): WarehouseConfig {
  return { target: loadRedshiftTarget(env), copyBucket: requireEnv(env, ENV.cleanBucket) };
}
