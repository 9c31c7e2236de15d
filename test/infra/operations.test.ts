import { Match } from 'aws-cdk-lib/assertions';
import { logicalId } from './support/definition';
import { synth, type Synthesized } from './support/synth';

let s: Synthesized;
let machine: string;
let topic: string;
let alarmTopic: string;
beforeAll(() => {
  s = synth();
  machine = logicalId(s.template, 'AWS::StepFunctions::StateMachine', 'WorkflowStateMachine');
  topic = logicalId(s.template, 'AWS::SNS::Topic', 'FailuresTopic');
  alarmTopic = logicalId(s.template, 'AWS::SNS::Topic', 'AlarmsTopic');
});

describe('the daily schedule', () => {
  test('sends the whole Scheduled Event to the Trigger at 00:30 UTC every day (the Trigger starts the run)', () => {
    const trigger = logicalId(s.template, 'AWS::Lambda::Function', 'TriggerFunction');
    s.template.resourceCountIs('AWS::Events::Rule', 2);
    s.template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'cron(30 0 * * ? *)',
      State: 'ENABLED',
      Targets: [
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [trigger, 'Arn'] },
          Input: Match.absent(),
          InputTransformer: Match.absent(),
        }),
      ],
    });
    // Nothing starts the state machine but the Trigger (and the back-fill, by hand).
    const rules = s.template.findResources('AWS::Events::Rule');
    expect(JSON.stringify(rules)).not.toContain(machine);
  });

  test('time and state come from the context', () => {
    const custom = synth({ scheduleHour: '2', scheduleMinute: '15', scheduleEnabled: 'false' });
    custom.template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'cron(15 2 * * ? *)',
      State: 'DISABLED',
    });
  });
});

describe('failure notifications', () => {
  test('the topic is encrypted with its own rotating key and accepts TLS only', () => {
    const key = logicalId(s.template, 'AWS::KMS::Key', 'FailuresKey');
    s.template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: { 'Fn::GetAtt': [key, 'Arn'] } });
    s.template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    s.template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [{ Ref: topic }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  test('CloudWatch alarms may use the key to publish', () => {
    s.template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
          }),
        ]),
      },
    });
  });

  test('an email address in the context is subscribed; none by default', () => {
    s.template.resourceCountIs('AWS::SNS::Subscription', 0);
    synth({ notificationEmail: 'data-team@example.com' }).template.hasResourceProperties(
      'AWS::SNS::Subscription',
      {
        Protocol: 'email',
        Endpoint: 'data-team@example.com',
        TopicArn: { Ref: topic },
      },
    );
  });
});

describe('the failed-runs alarm', () => {
  test('fires on any failed execution in 5 minutes and notifies the operations topic, not the failure topic', () => {
    s.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/States',
      MetricName: 'ExecutionsFailed',
      Dimensions: [{ Name: 'StateMachineArn', Value: { Ref: machine } }],
      Statistic: 'Sum',
      Period: 300,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      EvaluationPeriods: 1,
      TreatMissingData: 'notBreaching',
      AlarmActions: [{ Ref: alarmTopic }],
    });
  });

  test('alarmEmail subscribes to the operations topic only, so a failed day still mails its subscriber once', () => {
    const withEmails = synth({
      notificationEmail: 'data-team@example.com',
      alarmEmail: 'oncall@example.com',
    });
    withEmails.template.resourceCountIs('AWS::SNS::Subscription', 2);
    withEmails.template.hasResourceProperties('AWS::SNS::Subscription', {
      Endpoint: 'oncall@example.com',
      TopicArn: { Ref: alarmTopic },
    });
    withEmails.template.hasResourceProperties('AWS::SNS::Subscription', {
      Endpoint: 'data-team@example.com',
      TopicArn: { Ref: topic },
    });
  });
});
