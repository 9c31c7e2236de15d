/**
 * The deployed side of event-driven runs: the incoming bucket's events reach EventBridge, a rule
 * sends its day files' "Object Created" to the Trigger, the schedule targets the Trigger too, the
 * Trigger may start the daily machine and list the day (nothing else), and what fails for good is
 * announced once.
 */
import { Match } from 'aws-cdk-lib/assertions';
import { logicalId } from './support/definition';
import { synth, type Synthesized } from './support/synth';

let s: Synthesized;
let trigger: string;
let machine: string;
let incoming: string;
let deadLetters: string;
beforeAll(() => {
  s = synth();
  trigger = logicalId(s.template, 'AWS::Lambda::Function', 'TriggerFunction');
  machine = logicalId(s.template, 'AWS::StepFunctions::StateMachine', 'WorkflowStateMachine');
  incoming = logicalId(s.template, 'AWS::S3::Bucket', 'StorageIncoming');
  deadLetters = logicalId(s.template, 'AWS::SQS::Queue', 'TriggerDeadLetters');
});

const targetOf = (id: string) =>
  Match.objectLike({
    Arn: { 'Fn::GetAtt': [id, 'Arn'] },
    RetryPolicy: { MaximumRetryAttempts: 8, MaximumEventAgeInSeconds: 7200 },
    DeadLetterConfig: { Arn: { 'Fn::GetAtt': [deadLetters, 'Arn'] } },
  });

test('the incoming bucket the stack creates sends its events to EventBridge (no custom resource)', () => {
  s.template.hasResourceProperties('AWS::S3::Bucket', {
    NotificationConfiguration: { EventBridgeConfiguration: { EventBridgeEnabled: true } },
  });
  expect(s.template.findResources('Custom::S3BucketNotifications')).toEqual({});
  const withEvents = Object.entries(s.template.findResources('AWS::S3::Bucket')).filter(
    ([, r]) =>
      (r as { Properties?: { NotificationConfiguration?: unknown } }).Properties?.NotificationConfiguration,
  );
  expect(withEvents.map(([id]) => id)).toEqual([incoming]);
});

test('the arrivals rule matches Object Created under the incoming prefix of the incoming bucket, to the Trigger', () => {
  s.template.hasResourceProperties('AWS::Events::Rule', {
    EventPattern: {
      source: ['aws.s3'],
      'detail-type': ['Object Created'],
      detail: {
        bucket: { name: [{ Ref: incoming }] },
        object: { key: [{ prefix: 'user-data/' }] },
      },
    },
    State: 'ENABLED',
    Targets: [targetOf(trigger)],
  });
});

test('the prefix comes from the context', () => {
  const custom = synth({ incomingPrefix: 'drop/' });
  custom.template.hasResourceProperties('AWS::Events::Rule', {
    EventPattern: Match.objectLike({ detail: Match.objectLike({ object: { key: [{ prefix: 'drop/' }] } }) }),
  });
});

test('the schedule targets the Trigger with the same retries and dead letters', () => {
  s.template.hasResourceProperties('AWS::Events::Rule', {
    ScheduleExpression: 'cron(30 0 * * ? *)',
    Targets: [targetOf(trigger)],
  });
});

test('EventBridge may invoke the Trigger, for both rules', () => {
  const permissions = s.template.findResources('AWS::Lambda::Permission', {
    Properties: { FunctionName: { 'Fn::GetAtt': [trigger, 'Arn'] }, Principal: 'events.amazonaws.com' },
  });
  expect(Object.keys(permissions)).toHaveLength(2);
});

test("the Trigger's own policy: start the daily machine, list the incoming prefix, send to its dead letters", () => {
  const role = logicalId(s.template, 'AWS::IAM::Role', 'TriggerRole');
  const policies = s.template.findResources('AWS::IAM::Policy', {
    Properties: { Roles: [{ Ref: role }] },
  });
  const statements = Object.values(policies).flatMap(
    (p) =>
      (p as { Properties: { PolicyDocument: { Statement: Record<string, unknown>[] } } }).Properties
        .PolicyDocument.Statement,
  );
  const byActions = statements.map((st) => [st['Action'], st['Resource'], st['Condition']]);
  expect(byActions).toEqual(
    expect.arrayContaining([
      ['states:StartExecution', { Ref: machine }, undefined],
      [
        's3:ListBucket',
        { 'Fn::GetAtt': [incoming, 'Arn'] },
        { StringLike: { 's3:prefix': ['user-data/*'] } },
      ],
      ['sqs:SendMessage', { 'Fn::GetAtt': [deadLetters, 'Arn'] }, undefined],
    ]),
  );
  // Besides those: its log group and X-Ray (every pipeline function has them), nothing else.
  const others = statements
    .map((st) => st['Action'])
    .flat()
    .filter((a) => !['states:StartExecution', 's3:ListBucket', 'sqs:SendMessage'].includes(a as string));
  expect(others.every((a) => /^(logs|xray):/.test(a as string))).toBe(true);
});

test('a failed asynchronous invocation is retried twice by Lambda, then goes to the dead letters', () => {
  s.template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
    FunctionName: { Ref: trigger },
    MaximumRetryAttempts: 2,
    MaximumEventAgeInSeconds: 21600,
    DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [deadLetters, 'Arn'] } } },
  });
});

test('a dead letter raises one alarm on the operations topic', () => {
  const alarmTopic = logicalId(s.template, 'AWS::SNS::Topic', 'AlarmsTopic');
  s.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
    Namespace: 'AWS/SQS',
    MetricName: 'ApproximateNumberOfMessagesVisible',
    Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [deadLetters, 'QueueName'] } }],
    Threshold: 1,
    ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    AlarmActions: [{ Ref: alarmTopic }],
  });
});

test('the dead letters are encrypted and accept TLS only', () => {
  s.template.hasResourceProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true });
  s.template.hasResourceProperties('AWS::SQS::QueuePolicy', {
    Queues: [{ Ref: deadLetters }],
    PolicyDocument: {
      Statement: Match.arrayWith([
        Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      ]),
    },
  });
});

test('an existing incoming bucket: synth warns that its EventBridge notifications must be turned on', () => {
  const existing = synth({ incomingBucketName: 'their-incoming' });
  const warnings = existing.app
    .synth()
    .getStackByName('SearchStats')
    .messages.filter((m) => m.level === 'warning');
  expect(warnings.map((w) => String(w.entry.data))).toEqual(
    expect.arrayContaining([expect.stringContaining('turn on "Send notifications to Amazon EventBridge"')]),
  );
  existing.template.hasResourceProperties('AWS::Events::Rule', {
    EventPattern: Match.objectLike({ detail: Match.objectLike({ bucket: { name: ['their-incoming'] } }) }),
  });
});
