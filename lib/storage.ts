import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

export interface PipelineStorageProps {
  /** An existing bucket the day files arrive in. @default a new bucket */
  readonly incomingBucketName?: string;
  /** An existing bucket for the outputs. @default a new bucket */
  readonly cleanBucketName?: string;
  /**
   * What happens to the buckets this construct creates when the stack is deleted; with DESTROY they
   * are emptied first (CDK's auto-delete-objects custom resource), or the delete would fail.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
  /** How long server access logs are kept. @default Duration.days(90) */
  readonly accessLogsRetention?: Duration;
}

/**
 * The incoming and clean buckets: new ones (SSE-S3, public access blocked, TLS only, server access
 * logs, unfinished multipart uploads cleaned up; the incoming one sends its events to EventBridge)
 * or existing ones by name, used as they are.
 */
export class PipelineStorage extends Construct {
  readonly incomingBucket: s3.IBucket;
  readonly cleanBucket: s3.IBucket;
  /** Only when this construct creates at least one bucket. */
  readonly accessLogsBucket?: s3.IBucket;

  constructor(scope: Construct, id: string, props: PipelineStorageProps = {}) {
    super(scope, id);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    const needsLogs = props.incomingBucketName === undefined || props.cleanBucketName === undefined;
    const accessLogs = needsLogs ? this.accessLogs(removalPolicy, props.accessLogsRetention) : undefined;
    this.accessLogsBucket = accessLogs;

    const dataBucket = (bucketId: string, existing: string | undefined, logPrefix: string): s3.IBucket =>
      existing !== undefined
        ? s3.Bucket.fromBucketName(this, bucketId, existing)
        : new s3.Bucket(this, bucketId, {
            ...SECURE_BUCKET,
            ...removal(removalPolicy),
            serverAccessLogsBucket: accessLogs,
            serverAccessLogsPrefix: logPrefix,
            lifecycleRules: [
              { id: 'abort-unfinished-uploads', abortIncompleteMultipartUploadAfter: Duration.days(1) },
            ],
          });
    this.incomingBucket = dataBucket('Incoming', props.incomingBucketName, 'incoming/');
    // A new incoming bucket sends its events to EventBridge, where the arrivals rule (lib/trigger.ts)
    // picks its day files' "Object Created". Set on the bucket resource itself
    // (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-s3-bucket-eventbridgeconfiguration.html):
    // the L2 `eventBridgeEnabled` would deploy a custom-resource Lambda to call PutBucketNotification.
    if (this.incomingBucket instanceof s3.Bucket) {
      const cfn = this.incomingBucket.node.defaultChild as s3.CfnBucket;
      cfn.notificationConfiguration = { eventBridgeConfiguration: { eventBridgeEnabled: true } };
    }
    this.cleanBucket = dataBucket('Clean', props.cleanBucketName, 'clean/');
  }

  private accessLogs(removalPolicy: RemovalPolicy, retention = Duration.days(90)): s3.Bucket {
    // cdk-nag's S1 does not ask a log destination to log itself.
    return new s3.Bucket(this, 'AccessLogs', {
      ...SECURE_BUCKET,
      ...removal(removalPolicy),
      lifecycleRules: [{ id: 'expire-access-logs', expiration: retention }],
    });
  }
}

/** A bucket deleted with the stack must be emptied first: CloudFormation cannot delete a non-empty one. */
function removal(removalPolicy: RemovalPolicy): Pick<s3.BucketProps, 'removalPolicy' | 'autoDeleteObjects'> {
  return removalPolicy === RemovalPolicy.DESTROY
    ? { removalPolicy, autoDeleteObjects: true }
    : { removalPolicy };
}

const SECURE_BUCKET = {
  encryption: s3.BucketEncryption.S3_MANAGED,
  blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
  enforceSSL: true,
  objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
  versioned: false,
} as const;
