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
  /** The volume guard: smallest share of the recent median of kept rows a day may keep. */
  volumeMinShare: 'VOLUME_MIN_SHARE',
  /** The volume guard: how many previous days make the recent median. */
  volumeLookbackDays: 'VOLUME_LOOKBACK_DAYS',
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
  /**
   * The volume guard: a day whose kept rows are below this share of the median kept rows of the
   * previous `volumeLookbackDays` days' current run records (those that exist) fails with
   * SuspiciousVolume; 0 turns the comparison off (a day with no kept rows still fails). @default 0.1
   */
  readonly volumeMinShare: number;
  /** The volume guard's window: previous calendar days read. 0 turns the comparison off. @default 7 */
  readonly volumeLookbackDays: number;
}

export const DEFAULTS = {
  incomingPrefix: 'user-data/',
  cleanPrefix: 'user-data-clean/',
  rejectedThreshold: 0.01,
  codeVersion: 'dev',
  volumeMinShare: 0.1,
  volumeLookbackDays: 7,
} as const;

/** At most this many previous days are read (one GetObject each). */
export const MAX_VOLUME_LOOKBACK_DAYS = 31;

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
  const volumeMinShare = Number(env[ENV.volumeMinShare] ?? DEFAULTS.volumeMinShare);
  if (!Number.isFinite(volumeMinShare) || volumeMinShare < 0 || volumeMinShare > 1) {
    throw new InvalidRequest(`${ENV.volumeMinShare} must be a number between 0 and 1`);
  }
  const volumeLookbackDays = Number(env[ENV.volumeLookbackDays] ?? DEFAULTS.volumeLookbackDays);
  if (
    !Number.isSafeInteger(volumeLookbackDays) ||
    volumeLookbackDays < 0 ||
    volumeLookbackDays > MAX_VOLUME_LOOKBACK_DAYS
  ) {
    throw new InvalidRequest(`${ENV.volumeLookbackDays} must be an integer 0..${MAX_VOLUME_LOOKBACK_DAYS}`);
  }
  return {
    incomingBucket: requireEnv(env, ENV.incomingBucket),
    incomingPrefix: env[ENV.incomingPrefix] ?? DEFAULTS.incomingPrefix,
    cleanBucket: requireEnv(env, ENV.cleanBucket),
    cleanPrefix: env[ENV.cleanPrefix] ?? DEFAULTS.cleanPrefix,
    rejectedThreshold: threshold,
    codeVersion: env[ENV.codeVersion] ?? DEFAULTS.codeVersion,
    volumeMinShare,
    volumeLookbackDays,
  };
}
