import * as iam from 'aws-cdk-lib/aws-iam';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { REJECTED_PREFIX, RUNS_PREFIX, VALID_SEARCHES_PREFIX } from '../lambdas/cleaning/output-keys';

/**
 * Where the pipeline's objects live, as key prefixes (trailing slash). The IAM grants are scoped to
 * these prefixes, so they must match what the clean step writes (`lambdas/cleaning/output-keys.ts`).
 */
export interface DataLayout {
  /** Day files, in the incoming bucket. @default 'user-data/' */
  readonly incomingPrefix: string;
  /** Cleaned dataset (contract §3, output 1), in the clean bucket. @default 'user-data-clean/' */
  readonly cleanPrefix: string;
  /** Valid searches CSV + COPY manifest (contract §3, output 2), in the clean bucket. @default 'valid-searches/' */
  readonly validSearchesPrefix: string;
  /** Rejected rows (contract §3, output 3), in the clean bucket. @default 'rejected/' */
  readonly rejectedPrefix: string;
  /** Run records (contract §3, output 4), in the clean bucket. @default 'runs/' */
  readonly runsPrefix: string;
}

/** The clean step's own output prefixes (fixed there, so imported, not repeated). */
export const DEFAULT_OUTPUT_PREFIXES = {
  validSearchesPrefix: VALID_SEARCHES_PREFIX,
  rejectedPrefix: REJECTED_PREFIX,
  runsPrefix: RUNS_PREFIX,
} as const;

/** Every prefix the clean step writes to in the clean bucket. */
export function cleanBucketPrefixes(layout: DataLayout): string[] {
  return [layout.cleanPrefix, layout.validSearchesPrefix, layout.rejectedPrefix, layout.runsPrefix];
}

/**
 * The volume guard reads the previous days' current run records (lambdas/cleaning/recent-volumes.ts):
 * GetObject on `runs/*`, and ListBucket on that prefix only so that a day without a record answers
 * 404 NoSuchKey rather than 403 AccessDenied (GetObject API reference, "Permissions":
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html). Returns the objects' ARN.
 */
export function grantReadRunRecords(role: iam.IRole, cleanBucket: s3.IBucket, layout: DataLayout): string {
  const records = cleanBucket.arnForObjects(`${layout.runsPrefix}*`);
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({ sid: 'ReadRunRecords', actions: ['s3:GetObject'], resources: [records] }),
  );
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      sid: 'ListRunRecords',
      actions: ['s3:ListBucket'],
      resources: [cleanBucket.bucketArn],
      conditions: { StringLike: { 's3:prefix': [`${layout.runsPrefix}*`] } },
    }),
  );
  return records;
}
