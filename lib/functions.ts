import * as path from 'node:path';
import { Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { DEFAULTS, ENV } from '../lambdas/shared/function-env';
import { dataApiEnvironment, type DataApiTarget } from './data-api-target';
import { cleanBucketPrefixes, grantReadRunRecords, type DataLayout } from './data-layout';
import { listIncomingPrefix } from './incoming-listing';
import { acknowledgeWildcardResources } from './nag';
import { PipelineFunction, PROJECT_ROOT } from './pipeline-function';

/** The Lambda entry files (each exports `handler`; migrate exports `onEvent` and `isComplete`). */
export interface LambdaEntries {
  /** @default lambdas/validate/handler.ts */
  readonly validate: string;
  /** @default lambdas/clean/handler.ts */
  readonly clean: string;
  /** @default lambdas/load/handler.ts */
  readonly load: string;
  /** @default lambdas/migrate/handler.ts */
  readonly migrate: string;
  /** @default lambdas/trigger/handler.ts */
  readonly trigger: string;
}

export const DEFAULT_ENTRIES: LambdaEntries = {
  validate: path.join(PROJECT_ROOT, 'lambdas/validate/handler.ts'),
  clean: path.join(PROJECT_ROOT, 'lambdas/clean/handler.ts'),
  load: path.join(PROJECT_ROOT, 'lambdas/load/handler.ts'),
  migrate: path.join(PROJECT_ROOT, 'lambdas/migrate/handler.ts'),
  trigger: path.join(PROJECT_ROOT, 'lambdas/trigger/handler.ts'),
};

/** `sql/` at the repository root, copied into the load and migrate bundles. */
export const DEFAULT_SQL_DIRECTORY = path.join(PROJECT_ROOT, 'sql');

export interface PipelineFunctionsProps {
  readonly incomingBucket: s3.IBucket;
  readonly cleanBucket: s3.IBucket;
  readonly layout: DataLayout;
  /** Largest rejected share a day may have and still load. */
  readonly rejectedThreshold: number;
  /**
   * The volume guard of the clean step: the smallest share of the median kept rows of the previous
   * `lookbackDays` days a day may keep. @default { minShare: 0.1, lookbackDays: 7 }
   */
  readonly volumeGuard?: { readonly minShare: number; readonly lookbackDays: number };
  /** Recorded with every run. */
  readonly codeVersion: string;
  readonly warehouse: DataApiTarget;
  /** The Data API role the load step runs as (shared with the schema migrations). */
  readonly loadRole: iam.Role;
  readonly logRetention: logs.RetentionDays;
  /** @default DEFAULT_ENTRIES */
  readonly entries?: Partial<LambdaEntries>;
  /** @default DEFAULT_SQL_DIRECTORY */
  readonly sqlDirectory?: string;
}

/**
 * The three step functions, each granted exactly what its step does: Validate lists the day's
 * candidates, Clean reads the input and writes the outputs, Load runs SQL through the Data API.
 */
export class PipelineFunctions extends Construct {
  readonly validate: PipelineFunction;
  readonly clean: PipelineFunction;
  readonly load: PipelineFunction;
  /** The pipeline configuration every step function reads (ENV names), for functions added elsewhere. */
  readonly environment: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: PipelineFunctionsProps) {
    super(scope, id);
    const entries = { ...DEFAULT_ENTRIES, ...props.entries };
    const { layout, incomingBucket, cleanBucket } = props;
    const environment = {
      [ENV.incomingBucket]: incomingBucket.bucketName,
      [ENV.incomingPrefix]: layout.incomingPrefix,
      [ENV.cleanBucket]: cleanBucket.bucketName,
      [ENV.cleanPrefix]: layout.cleanPrefix,
      [ENV.rejectedThreshold]: String(props.rejectedThreshold),
      [ENV.volumeMinShare]: String(props.volumeGuard?.minShare ?? DEFAULTS.volumeMinShare),
      [ENV.volumeLookbackDays]: String(props.volumeGuard?.lookbackDays ?? DEFAULTS.volumeLookbackDays),
      [ENV.codeVersion]: props.codeVersion,
    };
    this.environment = environment;
    const common = { environment, logRetention: props.logRetention };

    this.validate = new PipelineFunction(this, 'Validate', {
      ...common,
      entry: entries.validate,
      description: 'Validate: resolves the day and finds its single input object',
      memorySize: 256,
      timeout: Duration.minutes(1),
    });
    this.clean = new PipelineFunction(this, 'Clean', {
      ...common,
      entry: entries.clean,
      description: 'Clean: streams the day file, applies the rules, writes the outputs',
      memorySize: 1024,
      timeout: Duration.minutes(15),
    });
    // Concurrent loads are bounded by the back-fill Map's MaxConcurrency (default 4, at most 40:
    // lib/workflow/backfill-workflow.ts), not by reserved concurrency here: reserving any needs 100
    // unreserved executions left in the account (a new account's quota of 10 could not deploy it,
    // https://docs.aws.amazon.com/lambda/latest/dg/API_PutFunctionConcurrency.html), and a throttled
    // Load would spend the step's retries waiting. Within that bound the loads queue on LOCK, and each
    // waits up to its invocation's end (lambdas/load/poll-deadline.ts).
    this.load = new PipelineFunction(this, 'Load', {
      entry: entries.load,
      description: 'Load: replaces the day in the warehouse in one Data API transaction',
      memorySize: 256,
      timeout: Duration.minutes(15),
      environment: { ...environment, ...dataApiEnvironment(props.warehouse) },
      logRetention: props.logRetention,
      role: props.loadRole,
      sqlDirectory: props.sqlDirectory ?? DEFAULT_SQL_DIRECTORY,
    });

    // Validate finds the day's object by listing (ListObjectsV2 returns key, ETag and size): no GetObject.
    this.validate.role.addToPrincipalPolicy(
      listIncomingPrefix('ListDayCandidates', incomingBucket, layout.incomingPrefix),
    );
    const dayFiles = incomingBucket.arnForObjects(`${layout.incomingPrefix}*`);
    this.clean.role.addToPrincipalPolicy(
      new iam.PolicyStatement({ sid: 'ReadDayFiles', actions: ['s3:GetObject'], resources: [dayFiles] }),
    );
    // A day file gone between Validate and Clean must read as NoSuchKey (InputNotFound), not AccessDenied.
    this.clean.role.addToPrincipalPolicy(
      listIncomingPrefix('MissingDayFileIsNotFound', incomingBucket, layout.incomingPrefix),
    );
    const outputs = cleanBucketPrefixes(layout).map((prefix) => cleanBucket.arnForObjects(`${prefix}*`));
    this.clean.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'WriteDayOutputs',
        actions: ['s3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload'],
        resources: outputs,
      }),
    );
    const runRecords = grantReadRunRecords(this.clean.role, cleanBucket, layout);
    acknowledgeWildcardResources(
      this.clean.role,
      [dayFiles, ...outputs, runRecords],
      'Per-day objects whose keys carry the date; each grant is scoped to one pipeline prefix.',
    );
  }
}
