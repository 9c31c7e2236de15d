import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';

export interface FailureTopicProps {
  /** Subscribe this address to the topic (it must confirm). @default no subscription */
  readonly email?: string;
  /** What happens to the topic's key when the stack is deleted. @default RemovalPolicy.RETAIN */
  readonly keyRemovalPolicy?: RemovalPolicy;
  /** What the topic announces, shown as its display name. @default 'search-stats pipeline failures' */
  readonly displayName?: string;
}

/**
 * Where a day that fails for good is announced: an SNS topic encrypted with its own KMS key
 * (rotated), publish over TLS only. CloudWatch alarms may use the key to publish; anything else
 * that publishes is granted with {@link FailureTopic.grantPublish}.
 */
export class FailureTopic extends Construct {
  readonly topic: sns.Topic;
  readonly key: kms.Key;

  constructor(scope: Construct, id: string, props: FailureTopicProps = {}) {
    super(scope, id);
    this.key = new kms.Key(this, 'Key', {
      description: `Encrypts ${props.displayName ?? 'search-stats pipeline failures'}`,
      enableKeyRotation: true,
      pendingWindow: Duration.days(7),
      removalPolicy: props.keyRemovalPolicy ?? RemovalPolicy.RETAIN,
    });
    // CloudWatch alarm actions publish with the service's identity, which needs the key too.
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudWatchAlarmsToPublish',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: ['*'],
      }),
    );
    this.topic = new sns.Topic(this, 'Topic', {
      displayName: props.displayName ?? 'search-stats pipeline failures',
      masterKey: this.key,
      enforceSSL: true,
    });
    if (props.email !== undefined)
      this.topic.addSubscription(new subscriptions.EmailSubscription(props.email));
  }

  /** Publish permission on the topic and use of its key, explicit actions only. */
  grantPublish(grantee: iam.IGrantable): void {
    // Not topic.grantPublish(): it grants kms:GenerateDataKey*, a wildcard action.
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['sns:Publish'], resources: [this.topic.topicArn] }),
    );
    this.key.grant(grantee, 'kms:Decrypt', 'kms:GenerateDataKey');
  }
}
