import { Duration } from 'aws-cdk-lib';
import { NON_RETRYABLE_ERRORS } from '../../lambdas/shared/errors';
import { definitionOf, logicalId, type AslDefinition } from './support/definition';
import { synth, type Synthesized } from './support/synth';

const STEPS = ['Validate', 'Clean', 'Load'] as const;

let synthesized: Synthesized;
let asl: AslDefinition;

beforeAll(() => {
  synthesized = synth();
  asl = definitionOf(synthesized.template);
});

const state = (name: string) => {
  const found = asl.States[name];
  if (!found) throw new Error(`no state ${name}`);
  return found;
};

describe('the daily state machine', () => {
  test('runs WithRunId -> Validate -> IsCurrentVersion -> Clean -> Load -> Done', () => {
    expect(asl.StartAt).toBe('WithRunId');
    expect(state('WithRunId').Next).toBe('Validate');
    expect(state('Validate').Next).toBe('IsCurrentVersion');
    expect(state('IsCurrentVersion')).toMatchObject({
      Type: 'Choice',
      Choices: [{ Variable: '$.day.superseded', IsPresent: true, Next: 'Superseded' }],
      Default: 'Clean',
    });
    expect(state('Superseded').Type).toBe('Succeed');
    expect(state('Clean').Next).toBe('Load');
    expect(state('Load').Next).toBe('Done');
    expect(state('Done').Type).toBe('Succeed');
  });

  test('hands Validate the raw execution input plus runId = the execution name', () => {
    expect(state('WithRunId')).toMatchObject({
      Type: 'Pass',
      Parameters: {
        'request.$': `States.JsonMerge($, States.StringToJson(States.Format('\\{"runId":"{}"\\}', $$.Execution.Name)), false)`,
      },
      OutputPath: '$.request',
    });
  });

  test.each(STEPS)('%s invokes its own function with the response as the whole result', (step) => {
    const task = state(step);
    expect(task.Type).toBe('Task');
    // payloadResponseOnly: the function ARN is the Resource, no lambda:invoke wrapper, no Parameters.
    expect(task.Resource).toBe(
      `arn:${logicalId(synthesized.template, 'AWS::Lambda::Function', `Functions${step}Function`)}`,
    );
    expect(task.Parameters).toBeUndefined();
  });

  test('passes each step the previous result and keeps every result', () => {
    expect(state('Validate')).toMatchObject({ ResultPath: '$.day' });
    expect(state('Validate').InputPath).toBeUndefined();
    expect(state('Clean')).toMatchObject({ InputPath: '$.day', ResultPath: '$.clean' });
    expect(state('Load')).toMatchObject({ InputPath: '$.clean', ResultPath: '$.load' });
  });

  test.each(STEPS)(
    '%s fails at once on non-retryable errors, else retries 3 times 300 s apart with backoff 1',
    (step) => {
      expect(state(step).Retry).toEqual([
        { ErrorEquals: [...NON_RETRYABLE_ERRORS], MaxAttempts: 0 },
        { ErrorEquals: ['States.ALL'], IntervalSeconds: 300, MaxAttempts: 3, BackoffRate: 1 },
      ]);
    },
  );

  test.each(STEPS)('%s catches every error into its own failure message state', (step) => {
    expect(state(step).Catch).toEqual([
      { ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: `${step}Failed` },
    ]);
  });

  test('a Validate failure reports the requested date when the input has one, else the raw input', () => {
    expect(state('ValidateFailed')).toMatchObject({
      Type: 'Choice',
      Choices: [
        {
          And: [
            { Variable: '$.date', IsPresent: true },
            { Variable: '$.date', IsString: true },
          ],
          Next: 'ValidateFailedOnDay',
        },
      ],
      Default: 'ValidateFailedOnInput',
    });
  });

  test.each([
    ['ValidateFailedOnDay', 'Validate', '$.date'],
    ['ValidateFailedOnInput', 'Validate', 'States.JsonToString($$.Execution.Input)'],
    ['CleanFailed', 'Clean', '$.day.date'],
    ['LoadFailed', 'Load', '$.day.date'],
  ])('%s builds {date, step, error, cause} and goes to the one publish', (name, step, datePath) => {
    expect(state(name)).toEqual({
      Type: 'Pass',
      Comment: expect.any(String),
      Parameters: {
        'date.$': datePath,
        step,
        'error.$': '$.error.Error',
        'cause.$': '$.error.Cause',
        'execution.$': '$$.Execution.Name',
      },
      Next: 'NotifyFailure',
    });
  });

  test('publishes the message to the failure topic once, then fails with the step error', () => {
    const topicId = logicalId(synthesized.template, 'AWS::SNS::Topic', 'FailuresTopic');
    expect(state('NotifyFailure')).toMatchObject({
      Type: 'Task',
      Resource: expect.stringMatching(/:states:::sns:publish$/),
      Parameters: { TopicArn: `ref:${topicId}`, 'Message.$': '$' },
      ResultPath: null,
      Next: 'Failed',
    });
    expect(state('Failed')).toMatchObject({ Type: 'Fail', ErrorPath: '$.error', CausePath: '$.cause' });
    const publishers = Object.entries(asl.States).filter(([, s]) =>
      String(s.Resource).includes('sns:publish'),
    );
    expect(publishers.map(([name]) => name)).toEqual(['NotifyFailure']);
  });

  test('logs every execution event with data, to a log group with a retention, and traces with X-Ray', () => {
    const { template } = synthesized;
    const logGroupId = logicalId(template, 'AWS::Logs::LogGroup', 'WorkflowLogs');
    expect(template.toJSON().Resources[logGroupId].Properties.RetentionInDays).toBe(30);
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: {
        Level: 'ALL',
        IncludeExecutionData: true,
        Destinations: [{ CloudWatchLogsLogGroup: { LogGroupArn: { 'Fn::GetAtt': [logGroupId, 'Arn'] } } }],
      },
    });
  });

  test('the retry policy is a stack property (e.g. shorter waits for a test stack)', () => {
    const fast = definitionOf(
      synth({}, { retry: { interval: Duration.seconds(1), maxAttempts: 1 } }).template,
    );
    expect(fast.States.Clean?.Retry).toEqual([
      { ErrorEquals: [...NON_RETRYABLE_ERRORS], MaxAttempts: 0 },
      { ErrorEquals: ['States.ALL'], IntervalSeconds: 1, MaxAttempts: 1, BackoffRate: 1 },
    ]);
  });
});
