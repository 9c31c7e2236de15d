import * as path from 'node:path';
import { Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { SCALE_OUT_PREFIX } from '../../lambdas/cleaning/scale-out/scale-out-payloads';
import { cleanBucketPrefixes, grantReadRunRecords, type DataLayout } from '../data-layout';
import { listIncomingPrefix } from '../incoming-listing';
import { acknowledgeWildcardResources } from '../nag';
import { PipelineFunction, PROJECT_ROOT } from '../pipeline-function';

/** The scale-out Lambda entry files (each exports `handler`). */
export interface ScaleOutEntries {
  /** @default lambdas/scale-out/prepare-handler.ts */
  readonly prepare: string;
  /** @default lambdas/scale-out/clean-batch-handler.ts */
  readonly cleanBatch: string;
  /** @default lambdas/scale-out/combine-handler.ts */
  readonly combine: string;
}

export const DEFAULT_SCALE_OUT_ENTRIES: ScaleOutEntries = {
  prepare: path.join(PROJECT_ROOT, 'lambdas/scale-out/prepare-handler.ts'),
  cleanBatch: path.join(PROJECT_ROOT, 'lambdas/scale-out/clean-batch-handler.ts'),
  combine: path.join(PROJECT_ROOT, 'lambdas/scale-out/combine-handler.ts'),
};

export interface ScaleOutFunctionsProps {
  readonly incomingBucket: s3.IBucket;
  readonly cleanBucket: s3.IBucket;
  readonly layout: DataLayout;
  /** The pipeline configuration the step functions read (PipelineFunctions.environment). */
  readonly environment: Readonly<Record<string, string>>;
  readonly logRetention: logs.RetentionDays;
  /** @default DEFAULT_SCALE_OUT_ENTRIES */
  readonly entries?: Partial<ScaleOutEntries>;
}

/** Days a run's staging objects are kept (time to inspect a failed run); the bucket expires them. */
export const STAGING_RETENTION_DAYS = 7;

const WILDCARD_REASON =
  'Per-run objects whose keys carry the run id (staging CSV, parts) or per-day outputs whose keys ' +
  'carry the date; each grant is scoped to one pipeline prefix.';

/**
 * The three functions of the scale-out path, each granted what its step does: Prepare reads the
 * day file and writes the run's staging objects, CleanBatch reads spilled rows and writes its part,
 * Combine reads the parts and map results and writes the day's outputs (the Clean step's grants).
 * When the clean bucket is this stack's, its `scale-out/` objects expire after a week (an existing
 * bucket needs that rule from its owner).
 */
export class ScaleOutFunctions extends Construct {
  readonly prepare: PipelineFunction;
  readonly cleanBatch: PipelineFunction;
  readonly combine: PipelineFunction;

  constructor(scope: Construct, id: string, props: ScaleOutFunctionsProps) {
    super(scope, id);
    const entries = { ...DEFAULT_SCALE_OUT_ENTRIES, ...props.entries };
    const common = { environment: { ...props.environment }, logRetention: props.logRetention };
    this.prepare = new PipelineFunction(this, 'Prepare', {
      ...common,
      entry: entries.prepare,
      description: 'Scale-out Prepare: decompresses the day file into a normalized staging CSV',
      memorySize: 1769, // one full vCPU: inflating and tokenizing the whole file is serial
      timeout: Duration.minutes(15),
    });
    this.cleanBatch = new PipelineFunction(this, 'CleanBatch', {
      ...common,
      entry: entries.cleanBatch,
      description: 'Scale-out CleanBatch: cleans one batch of staging rows into a part',
      memorySize: 1024,
      timeout: Duration.minutes(1),
    });
    this.combine = new PipelineFunction(this, 'Combine', {
      ...common,
      entry: entries.combine,
      description: 'Scale-out Combine: settles users across batches and writes the day outputs',
      memorySize: 3008, // the user_id -> hash map of every kept user, as the Clean step holds it
      timeout: Duration.minutes(15),
    });

    const { incomingBucket, cleanBucket, layout } = props;
    const dayFiles = incomingBucket.arnForObjects(`${layout.incomingPrefix}*`);
    const staging = cleanBucket.arnForObjects(`${SCALE_OUT_PREFIX}*`);
    const outputs = cleanBucketPrefixes(layout).map((prefix) => cleanBucket.arnForObjects(`${prefix}*`));
    const grant = (fn: PipelineFunction, sid: string, actions: string[], resources: string[]): void => {
      fn.role.addToPrincipalPolicy(new iam.PolicyStatement({ sid, actions, resources }));
    };
    grant(this.prepare, 'ReadDayFiles', ['s3:GetObject'], [dayFiles]);
    this.prepare.role.addToPrincipalPolicy(
      listIncomingPrefix('MissingDayFileIsNotFound', incomingBucket, layout.incomingPrefix),
    );
    grant(this.prepare, 'WriteStaging', ['s3:PutObject', 's3:AbortMultipartUpload'], [staging]);
    grant(this.cleanBatch, 'ReadSpillWriteParts', ['s3:GetObject', 's3:PutObject'], [staging]);
    grant(this.combine, 'ReadParts', ['s3:GetObject'], [staging]);
    grant(
      this.combine,
      'WriteDayOutputs',
      ['s3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload'],
      outputs,
    );
    // A run's staging objects are only needed until its Combine step has run (or failed for good).
    if (cleanBucket instanceof s3.Bucket) {
      cleanBucket.addLifecycleRule({
        id: 'expire-scale-out-staging',
        prefix: SCALE_OUT_PREFIX,
        expiration: Duration.days(STAGING_RETENTION_DAYS),
      });
    }
    acknowledgeWildcardResources(this.prepare.role, [dayFiles, staging], WILDCARD_REASON);
    acknowledgeWildcardResources(this.cleanBatch.role, [staging], WILDCARD_REASON);
    const runRecords = grantReadRunRecords(this.combine.role, cleanBucket, layout);
    acknowledgeWildcardResources(this.combine.role, [staging, ...outputs, runRecords], WILDCARD_REASON);
  }
}
