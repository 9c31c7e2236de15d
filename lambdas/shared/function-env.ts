import { InvalidRequest } from './errors';

/**
 * Environment variables the Lambdas read. The CDK constructs set exactly these names
 * (see `lib/functions.ts`); the local runner passes the same values in-process.
 */
export const ENV = {
  incomingBucket: 'INCOMING_BUCKET',
  incomingPrefix: 'INCOMING_PREFIX',
  cleanBucket: 'CLEAN_BUCKET',
  cleanPrefix: 'CLEAN_PREFIX',
  rejectedThreshold: 'REJECTED_THRESHOLD',
  codeVersion: 'CODE_VERSION',
  /** Redshift Serverless workgroup name (mutually exclusive with the cluster id). */
  workgroupName: 'REDSHIFT_WORKGROUP',
  /** Provisioned cluster identifier (mutually exclusive with the workgroup). */
  clusterIdentifier: 'REDSHIFT_CLUSTER',
  database: 'REDSHIFT_DATABASE',
  /** Provisioned clusters only: database user for temporary IAM credentials. */
  dbUser: 'REDSHIFT_DB_USER',
} as const;

export interface PipelineConfig {
  readonly incomingBucket: string;
  /** Key prefix of the day files, with trailing slash. @default 'user-data/' */
  readonly incomingPrefix: string;
  readonly cleanBucket: string;
  /** Key prefix of the cleaned files, with trailing slash. @default 'user-data-clean/' */
  readonly cleanPrefix: string;
  /** Largest rejected share (rejected / read) a day may have and still load. @default 0.01 */
  readonly rejectedThreshold: number;
  /** @default 'dev' */
  readonly codeVersion: string;
}

export const DEFAULTS = {
  incomingPrefix: 'user-data/',
  cleanPrefix: 'user-data-clean/',
  rejectedThreshold: 0.01,
  codeVersion: 'dev',
} as const;

type Env = Readonly<Record<string, string | undefined>>;

export function requireEnv(env: Env, name: string): string {
  const value = env[name];
  if (value === undefined || value === '') throw new InvalidRequest(`missing environment variable ${name}`);
  return value;
}

export function loadPipelineConfig(env: Env): PipelineConfig {
  const threshold = Number(env[ENV.rejectedThreshold] ?? DEFAULTS.rejectedThreshold);
  if (!Number.isFinite(threshold) || threshold < 0 || threshold > 1) {
    throw new InvalidRequest(`${ENV.rejectedThreshold} must be a number between 0 and 1`);
  }
  return {
    incomingBucket: requireEnv(env, ENV.incomingBucket),
    incomingPrefix: env[ENV.incomingPrefix] ?? DEFAULTS.incomingPrefix,
    cleanBucket: requireEnv(env, ENV.cleanBucket),
    cleanPrefix: env[ENV.cleanPrefix] ?? DEFAULTS.cleanPrefix,
    rejectedThreshold: threshold,
    codeVersion: env[ENV.codeVersion] ?? DEFAULTS.codeVersion,
  };
}
