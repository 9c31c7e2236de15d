import type { Node } from 'constructs';
import { DEFAULTS, MAX_VOLUME_LOOKBACK_DAYS } from '../lambdas/shared/function-env';

/**
 * Where the warehouse is. A new Redshift Serverless namespace + workgroup is created unless the
 * context names an existing workgroup or a provisioned cluster.
 */
export type WarehouseSettings =
  | {
      readonly kind: 'new-serverless';
      readonly database: string;
      readonly baseCapacity: number;
      /** @default the default VPC's subnets */
      readonly subnetIds?: string[];
      /** @default the default VPC's default security group */
      readonly securityGroupIds?: string[];
    }
  | {
      readonly kind: 'existing-serverless';
      readonly database: string;
      readonly workgroupName: string;
      readonly workgroupId: string;
    }
  | {
      readonly kind: 'existing-cluster';
      readonly database: string;
      readonly clusterIdentifier: string;
      readonly dbUser?: string;
    };

/** The deploy-time settings, read from CDK context (`cdk.json` defaults, `-c key=value` overrides). */
export interface PipelineSettings {
  /** Context `incomingBucketName`: an existing bucket the day files arrive in. @default a new bucket */
  readonly incomingBucketName?: string;
  /** Context `cleanBucketName`: an existing bucket for the outputs. @default a new bucket */
  readonly cleanBucketName?: string;
  /** Context `incomingPrefix`: key prefix of the day files, with trailing slash. @default 'user-data/' */
  readonly incomingPrefix: string;
  /** Context `cleanPrefix`: key prefix of the cleaned dataset, with trailing slash. @default 'user-data-clean/' */
  readonly cleanPrefix: string;
  /** Context `rejectedThreshold`: largest rejected share (0..1) a day may have and still load. @default 0.01 */
  readonly rejectedThreshold: number;
  /**
   * Context `volumeMinShare`: the volume guard fails a day that keeps fewer rows than this share
   * (0..1) of the median kept rows of its previous `volumeLookbackDays` days (0: compare with
   * nothing; a day that keeps no row still fails). @default 0.1
   */
  readonly volumeMinShare: number;
  /** Context `volumeLookbackDays`: previous days the volume guard compares with (0..31). @default 7 */
  readonly volumeLookbackDays: number;
  /**
   * Context `rejectedWarningThreshold`: a day loaded with a rejected share above this (0..1, below
   * `rejectedThreshold`) raises the rejected-share alarm. @default half of rejectedThreshold
   */
  readonly rejectedWarningThreshold: number;
  /**
   * Context `scheduleCron` (a six-field EventBridge cron body, e.g. `30 0 * * ? *`), or
   * `scheduleHour` + `scheduleMinute` (UTC). The body wins when both are given.
   * @default '30 0 * * ? *' (00:30 UTC daily)
   */
  readonly scheduleCron: string;
  /** Context `scheduleEnabled`: deploy the daily rule enabled. @default true */
  readonly scheduleEnabled: boolean;
  /** Context `notificationEmail`: subscribe this address to the failure topic. @default no subscription */
  readonly notificationEmail?: string;
  /**
   * Context `alarmEmail`: subscribe this address to the operations topic that the failed-runs alarm
   * notifies. Kept apart from the failure topic so a failed day is announced there exactly once.
   * @default no subscription
   */
  readonly alarmEmail?: string;
  /**
   * Context `redshiftWorkgroupName` + `redshiftWorkgroupId` (existing Serverless workgroup), or
   * `redshiftClusterId` (+ optional `redshiftDbUser`) (existing provisioned cluster);
   * `redshiftDatabase` for all; for a new workgroup `redshiftBaseCapacity` (RPU) and
   * `redshiftSubnetIds` / `redshiftSecurityGroupIds` (comma-separated).
   * @default a new Serverless namespace + workgroup in the default VPC, database 'dev', 8 RPU
   */
  readonly warehouse: WarehouseSettings;
  /** Context `logRetentionDays`: retention of every log group the stack creates. @default 30 */
  readonly logRetentionDays: number;
  /** Context `codeVersion`: recorded with every run (lineage). @default 'dev' */
  readonly codeVersion: string;
  /**
   * Context `retainData`: keep the buckets, the Redshift namespace and workgroup and the topics' KMS
   * keys when the stack is deleted; `false` deletes them with it (buckets emptied first), for
   * throwaway stacks. @default true
   */
  readonly retainData: boolean;
}

/** The stack's name when the context has no `stackName`. */
export const DEFAULT_STACK_NAME = 'SearchStats';

/** Context keys this app reads; anything else in `cdk.json` is a CDK feature flag. */
export const CONTEXT_KEYS = [
  // Read by bin/app.ts (lib/search-stats-app.ts): names the stack, and so every physical name.
  'stackName',
  'retainData',
  'incomingBucketName',
  'cleanBucketName',
  'incomingPrefix',
  'cleanPrefix',
  'rejectedThreshold',
  'volumeMinShare',
  'volumeLookbackDays',
  'rejectedWarningThreshold',
  'scheduleCron',
  'scheduleHour',
  'scheduleMinute',
  'scheduleEnabled',
  'notificationEmail',
  'alarmEmail',
  'redshiftWorkgroupName',
  'redshiftWorkgroupId',
  'redshiftClusterId',
  'redshiftDbUser',
  'redshiftDatabase',
  'redshiftBaseCapacity',
  'redshiftSubnetIds',
  'redshiftSecurityGroupIds',
  'logRetentionDays',
  'codeVersion',
  // Read by lib/workflow/scale-out-settings.ts (the scale-out path for very large days).
  'scaleOut',
  'scaleOutThresholdBytes',
  'scaleOutMaxConcurrency',
  'scaleOutMaxItemsPerBatch',
  'scaleOutMaxInputBytesPerBatch',
] as const;

type ContextKey = (typeof CONTEXT_KEYS)[number];

/** A context value that cannot be used, named by its key. */
export class ContextError extends Error {
  override name = 'ContextError';
  constructor(key: ContextKey, problem: string) {
    super(`context ${key}: ${problem}`);
  }
}

/** Log retentions CloudWatch Logs accepts (days). */
const RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];

/** Reads and validates the settings from the context visible at `node`. */
export function readPipelineSettings(node: Node): PipelineSettings {
  const ctx = new ContextReader(node);
  const incomingPrefix = ctx.prefix('incomingPrefix', DEFAULTS.incomingPrefix);
  const cleanPrefix = ctx.prefix('cleanPrefix', DEFAULTS.cleanPrefix);
  const logRetentionDays = ctx.integer('logRetentionDays', 30);
  if (!RETENTION_DAYS.includes(logRetentionDays)) {
    throw new ContextError('logRetentionDays', `must be one of ${RETENTION_DAYS.join(', ')}`);
  }
  const volumeLookbackDays = ctx.integer('volumeLookbackDays', DEFAULTS.volumeLookbackDays);
  if (volumeLookbackDays < 0 || volumeLookbackDays > MAX_VOLUME_LOOKBACK_DAYS) {
    throw new ContextError('volumeLookbackDays', `must be 0..${MAX_VOLUME_LOOKBACK_DAYS}`);
  }
  const rejectedThreshold = ctx.fraction('rejectedThreshold', DEFAULTS.rejectedThreshold);
  const rejectedWarningThreshold = ctx.fraction('rejectedWarningThreshold', rejectedThreshold / 2);
  // With a threshold of 0 every rejection fails the day; the warning (0 too) then never fires.
  if (rejectedWarningThreshold >= rejectedThreshold && rejectedWarningThreshold > 0) {
    throw new ContextError(
      'rejectedWarningThreshold',
      `must be below rejectedThreshold (${rejectedThreshold}): a day above that fails, it is not loaded`,
    );
  }
  return {
    incomingBucketName: ctx.optionalString('incomingBucketName'),
    cleanBucketName: ctx.optionalString('cleanBucketName'),
    incomingPrefix,
    cleanPrefix,
    rejectedThreshold,
    rejectedWarningThreshold,
    volumeMinShare: ctx.fraction('volumeMinShare', DEFAULTS.volumeMinShare),
    volumeLookbackDays,
    scheduleCron: readSchedule(ctx),
    scheduleEnabled: ctx.boolean('scheduleEnabled', true),
    notificationEmail: ctx.optionalEmail('notificationEmail'),
    alarmEmail: ctx.optionalEmail('alarmEmail'),
    warehouse: readWarehouse(ctx),
    logRetentionDays,
    codeVersion: ctx.optionalString('codeVersion') ?? DEFAULTS.codeVersion,
    retainData: ctx.boolean('retainData', true),
  };
}

/**
 * Context `stackName`: the CloudFormation stack's name, from which every physical name is derived,
 * so two copies of the app can live in one account and region. CloudFormation allows letters,
 * digits and hyphens, starting with a letter, up to 128 characters. @default 'SearchStats'
 */
export function readStackName(node: Node): string {
  const name = new ContextReader(node).optionalString('stackName') ?? DEFAULT_STACK_NAME;
  if (!/^[A-Za-z][A-Za-z0-9-]{0,127}$/.test(name)) {
    throw new ContextError(
      'stackName',
      `'${name}' must start with a letter and hold only letters, digits and hyphens (at most 128)`,
    );
  }
  return name;
}

function readSchedule(ctx: ContextReader): string {
  const cron = ctx.optionalString('scheduleCron');
  if (cron !== undefined) {
    if (cron.trim().split(/\s+/).length !== 6) {
      throw new ContextError(
        'scheduleCron',
        `'${cron}' is not a six-field EventBridge cron (e.g. '30 0 * * ? *')`,
      );
    }
    return cron.trim();
  }
  const hour = ctx.integer('scheduleHour', 0);
  const minute = ctx.integer('scheduleMinute', 30);
  if (hour < 0 || hour > 23) throw new ContextError('scheduleHour', 'must be 0..23 (UTC)');
  if (minute < 0 || minute > 59) throw new ContextError('scheduleMinute', 'must be 0..59');
  return `${minute} ${hour} * * ? *`;
}

function readWarehouse(ctx: ContextReader): WarehouseSettings {
  const database = ctx.optionalString('redshiftDatabase') ?? 'dev';
  const clusterIdentifier = ctx.optionalString('redshiftClusterId');
  const workgroupName = ctx.optionalString('redshiftWorkgroupName');
  const workgroupId = ctx.optionalString('redshiftWorkgroupId');
  if (clusterIdentifier !== undefined) {
    if (workgroupName !== undefined || workgroupId !== undefined) {
      throw new ContextError('redshiftClusterId', 'give a cluster or a workgroup, not both');
    }
    return {
      kind: 'existing-cluster',
      database,
      clusterIdentifier,
      dbUser: ctx.optionalString('redshiftDbUser'),
    };
  }
  if (workgroupName !== undefined || workgroupId !== undefined) {
    if (workgroupName === undefined)
      throw new ContextError('redshiftWorkgroupName', 'required with redshiftWorkgroupId');
    if (workgroupId === undefined) {
      throw new ContextError(
        'redshiftWorkgroupId',
        'required with redshiftWorkgroupName (IAM scopes to the id): ' +
          `aws redshift-serverless get-workgroup --workgroup-name ${workgroupName} --query workgroup.workgroupId`,
      );
    }
    return { kind: 'existing-serverless', database, workgroupName, workgroupId };
  }
  const baseCapacity = ctx.integer('redshiftBaseCapacity', 8);
  const validCapacity =
    baseCapacity === 4 || (baseCapacity >= 8 && baseCapacity <= 1024 && baseCapacity % 8 === 0);
  if (!validCapacity)
    throw new ContextError('redshiftBaseCapacity', 'must be 4 or a multiple of 8 up to 1024');
  const subnetIds = ctx.optionalList('redshiftSubnetIds', /^subnet-[0-9a-f]{8,}$/);
  // A Serverless workgroup needs three subnets in three Availability Zones (two AZs in us-west-1):
  // https://docs.aws.amazon.com/redshift/latest/mgmt/serverless-usage-considerations.html. Their
  // zones are not known at synth; their number is.
  if (subnetIds !== undefined && new Set(subnetIds).size < 3) {
    throw new ContextError(
      'redshiftSubnetIds',
      `a Redshift Serverless workgroup needs at least three distinct subnets in three Availability Zones, got ${new Set(subnetIds).size}`,
    );
  }
  const securityGroupIds = ctx.optionalList('redshiftSecurityGroupIds', /^sg-[0-9a-f]{8,}$/);
  return {
    kind: 'new-serverless',
    database,
    baseCapacity,
    ...(subnetIds === undefined ? {} : { subnetIds }),
    ...(securityGroupIds === undefined ? {} : { securityGroupIds }),
  };
}

/** Context values arrive as JSON (cdk.json) or as strings (`-c key=value`): accept both. */
class ContextReader {
  constructor(private readonly node: Node) {}

  private raw(key: ContextKey): unknown {
    const value: unknown = this.node.tryGetContext(key);
    return value === '' || value === null ? undefined : value;
  }

  optionalString(key: ContextKey): string | undefined {
    const value = this.raw(key);
    if (value === undefined) return undefined;
    if (typeof value !== 'string') throw new ContextError(key, 'must be a string');
    return value;
  }

  /** A JSON array of strings (cdk.json) or a comma-separated string (`-c key=a,b`). */
  optionalList(key: ContextKey, pattern: RegExp): string[] | undefined {
    const value = this.raw(key);
    if (value === undefined) return undefined;
    const items: unknown = typeof value === 'string' ? value.split(',').map((item) => item.trim()) : value;
    if (!Array.isArray(items) || items.length === 0 || !items.every((item) => typeof item === 'string')) {
      throw new ContextError(key, 'must be a comma-separated list or an array of strings');
    }
    const wrong = (items as string[]).filter((item) => !pattern.test(item));
    if (wrong.length > 0)
      throw new ContextError(key, `${wrong.map((w) => `'${w}'`).join(', ')} must match ${pattern}`);
    return items as string[];
  }

  optionalEmail(key: ContextKey): string | undefined {
    const value = this.optionalString(key);
    if (value !== undefined && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(value)) {
      throw new ContextError(key, `'${value}' is not an email address`);
    }
    return value;
  }

  prefix(key: ContextKey, fallback: string): string {
    const value = this.optionalString(key) ?? fallback;
    if (value.startsWith('/') || !value.endsWith('/') || value.includes('*')) {
      throw new ContextError(key, `'${value}' must end with '/', not start with '/', and hold no '*'`);
    }
    return value;
  }

  number(key: ContextKey, fallback: number): number {
    const value = this.raw(key);
    if (value === undefined) return fallback;
    const parsed = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN;
    if (!Number.isFinite(parsed)) throw new ContextError(key, 'must be a number');
    return parsed;
  }

  integer(key: ContextKey, fallback: number): number {
    const value = this.number(key, fallback);
    if (!Number.isInteger(value)) throw new ContextError(key, 'must be an integer');
    return value;
  }

  fraction(key: ContextKey, fallback: number): number {
    const value = this.number(key, fallback);
    if (value < 0 || value > 1) throw new ContextError(key, 'must be between 0 and 1');
    return value;
  }

  boolean(key: ContextKey, fallback: boolean): boolean {
    const value = this.raw(key);
    if (value === undefined) return fallback;
    if (value === true || value === 'true') return true;
    if (value === false || value === 'false') return false;
    throw new ContextError(key, 'must be true or false');
  }
}
