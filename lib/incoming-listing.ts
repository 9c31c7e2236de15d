import * as iam from 'aws-cdk-lib/aws-iam';
import type * as s3 from 'aws-cdk-lib/aws-s3';

/**
 * `s3:ListBucket` on the incoming bucket for keys under the incoming prefix only
 * (`StringLike s3:prefix <prefix>*`,
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/amazon-s3-policy-keys.html).
 *
 * Validate needs it to list the day's candidates. Clean and Prepare need it so that a day file
 * that vanished reads as a missing key: without ListBucket, S3 answers GetObject on a missing key
 * with 403 AccessDenied instead of 404 NoSuchKey
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html, "Permissions"), and the step
 * would fail as a permissions error rather than the retried InputNotFound. For that check S3
 * evaluates the ListBucket permission with `s3:prefix` set to the requested key (what Ceph RGW
 * copied "to match aws behavior": https://github.com/ceph/ceph/pull/68577), so the prefix-scoped
 * grant suffices and nothing wider is needed.
 */
export function listIncomingPrefix(sid: string, bucket: s3.IBucket, prefix: string): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid,
    actions: ['s3:ListBucket'],
    resources: [bucket.bucketArn],
    conditions: { StringLike: { 's3:prefix': [`${prefix}*`] } },
  });
}
