import { flattenReference } from '../../lib/nag';
import { BACKFILL_STATE_NAMES as S } from '../../lib/workflow/backfill-names';
import { definitionOf, logicalId, type AslDefinition, type AslState } from '../infra/support/definition';
import { actionsOf, statementsOfRole } from '../infra/support/iam';
import { synth, type Synthesized } from '../infra/support/synth';

let s: Synthesized;
let asl: AslDefinition;
let daily: string;
let iterator: Record<string, AslState>;
beforeAll(() => {
  s = synth();
  asl = definitionOf(s.template, 'BackfillStateMachine');
  daily = logicalId(s.template, 'AWS::StepFunctions::StateMachine', 'WorkflowStateMachine');
  iterator = (asl.States[S.runDays]?.ItemProcessor as { States: Record<string, AslState> }).States;
});

const functionOf = (prefix: string) => `arn:${logicalId(s.template, 'AWS::Lambda::Function', prefix)}`;

describe('the Backfill state machine', () => {
  test('plans the days, runs them in a Map, summarizes, and fails at the end if any day failed', () => {
    expect(asl.StartAt).toBe(S.plan);
    expect(asl.States[S.plan]).toMatchObject({ Type: 'Task', Next: S.runDays, ResultPath: '$.plan' });
    expect(asl.States[S.runDays]).toMatchObject({ Type: 'Map', Next: S.summarize, ResultPath: '$.results' });
    expect(asl.States[S.summarize]).toMatchObject({ Type: 'Task', Next: S.anyFailed });
    expect(asl.States[S.anyFailed]).toMatchObject({
      Type: 'Choice',
      Choices: [{ Variable: '$.summary.failed', NumericGreaterThan: 0, Next: S.failed }],
      Default: S.done,
    });
    expect(asl.States[S.done]).toEqual({ Type: 'Succeed', OutputPath: '$.summary' });
    expect(asl.States[S.failed]).toMatchObject({
      Type: 'Fail',
      Error: 'BackfillDaysFailed',
      CausePath: '$.cause',
    });
  });

  test('the plan step gets the execution input, the execution name and the default concurrency of 4', () => {
    expect(asl.States[S.plan]).toMatchObject({
      Resource: functionOf('BackfillPlannerFunction'),
      Parameters: { 'request.$': '$', 'executionName.$': '$$.Execution.Name', defaultMaxConcurrency: 4 },
    });
  });

  test('an invalid request fails the execution at once: the plan step retries only Lambda service errors', () => {
    const plan = asl.States[S.plan];
    expect(plan?.Catch).toBeUndefined();
    expect(plan?.Retry).toHaveLength(1);
    expect((plan?.Retry?.[0]?.ErrorEquals as string[]).every((e) => e.startsWith('Lambda.'))).toBe(true);
  });

  test('the Map iterates over the planned days, at most plan.maxConcurrency at once', () => {
    expect(asl.States[S.runDays]).toMatchObject({
      ItemsPath: '$.plan.days',
      MaxConcurrencyPath: '$.plan.maxConcurrency',
      ItemProcessor: { ProcessorConfig: { Mode: 'INLINE' }, StartAt: S.runDay },
    });
  });

  test('each day is one child execution of the daily machine (.sync:2), named per day, input {"date"}', () => {
    expect(iterator[S.runDay]).toMatchObject({
      Type: 'Task',
      Resource: 'arn:aws:states:::states:startExecution.sync:2',
      Parameters: {
        StateMachineArn: `ref:${daily}`,
        'Name.$': '$.executionName',
        Input: { 'date.$': '$.date', 'AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID.$': '$$.Execution.Id' },
      },
      ResultPath: null,
      TimeoutSeconds: 6 * 3600,
      Next: S.daySucceeded,
    });
  });

  test("the start retries only the documented execution limit error, never the child's failure", () => {
    const retry = iterator[S.runDay]?.Retry ?? [];
    const errors = retry.flatMap((r) => r.ErrorEquals as string[]);
    expect(errors).toEqual(['StepFunctions.ExecutionLimitExceeded']);
  });

  test("a day's failure is caught inside the iterator and recorded, so the other days go on", () => {
    expect(iterator[S.runDay]?.Catch).toEqual([
      { ErrorEquals: ['States.ALL'], ResultPath: '$.failure', Next: S.describeFailure },
    ]);
    expect(iterator[S.describeFailure]).toMatchObject({
      Resource: functionOf('BackfillFailureDescriberFunction'),
      Parameters: { 'date.$': '$.date', 'execution.$': '$.executionName', 'failure.$': '$.failure' },
      End: true,
      Catch: [{ ErrorEquals: ['States.ALL'], Next: S.failureUnread }],
    });
    expect(iterator[S.failureUnread]).toMatchObject({
      Type: 'Pass',
      Parameters: { 'date.$': '$.date', status: 'FAILED', 'error.$': '$.failure.Error' },
      End: true,
    });
    expect(iterator[S.daySucceeded]).toEqual({
      Type: 'Pass',
      Parameters: { 'date.$': '$.date', status: 'SUCCEEDED', 'execution.$': '$.executionName' },
      End: true,
    });
  });

  test('the summary step gets the range and the per-day records', () => {
    expect(asl.States[S.summarize]).toMatchObject({
      Resource: functionOf('BackfillSummarizerFunction'),
      Parameters: { 'from.$': '$.plan.from', 'to.$': '$.plan.to', 'results.$': '$.results' },
    });
  });

  test('the default concurrency comes from the context key backfillMaxConcurrency', () => {
    const custom = synth({ backfillMaxConcurrency: '10' });
    expect(definitionOf(custom.template, 'BackfillStateMachine').States[S.plan]?.Parameters).toMatchObject({
      defaultMaxConcurrency: 10,
    });
    expect(() => synth({ backfillMaxConcurrency: '41' })).toThrow(
      /context backfillMaxConcurrency: must be an integer from 1 to 40, got "41"/,
    );
  });

  test('is logged (ALL, with data) and traced, and its ARN is a stack output', () => {
    const machine = logicalId(s.template, 'AWS::StepFunctions::StateMachine', 'BackfillStateMachine');
    expect(s.template.toJSON().Resources[machine].Properties).toMatchObject({
      StateMachineType: 'STANDARD',
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: { Level: 'ALL', IncludeExecutionData: true },
    });
    expect(s.template.findOutputs('BackfillStateMachineArn')).toEqual({
      BackfillStateMachineArn: { Value: { Ref: machine } },
    });
  });
});

describe("the Backfill machine's role", () => {
  const grants = () => {
    const machine = logicalId(s.template, 'AWS::StepFunctions::StateMachine', 'BackfillStateMachine');
    const role = (s.template.toJSON().Resources[machine].Properties.RoleArn as { 'Fn::GetAtt': [string] })[
      'Fn::GetAtt'
    ][0];
    return statementsOfRole(s.template, role)
      .map((st) => ({
        actions: actionsOf(st).sort(),
        resources: (Array.isArray(st.Resource) ? st.Resource : [st.Resource]).map(flattenReference).sort(),
      }))
      .filter((st) => !st.actions.every((a) => a.startsWith('logs:') || a.startsWith('xray:')));
  };

  test('may start executions of the daily machine only, and see or stop only those executions', () => {
    const states = grants().filter((g) => g.actions.some((a) => a.startsWith('states:')));
    expect(states).toEqual([
      { actions: ['states:StartExecution'], resources: [`<${daily}>`] },
      {
        actions: ['states:DescribeExecution', 'states:StopExecution'],
        resources: [expect.stringMatching(new RegExp(`:execution:.*"Ref":"${daily}".*\\*$`))],
      },
    ]);
  });

  test('may otherwise only invoke its three functions and manage the .sync completion rule', () => {
    const other = grants().filter((g) => !g.actions.some((a) => a.startsWith('states:')));
    const fns = ['Planner', 'FailureDescriber', 'Summarizer'].map((p) =>
      logicalId(s.template, 'AWS::Lambda::Function', `Backfill${p}Function`),
    );
    expect(other).toEqual([
      {
        actions: ['lambda:InvokeFunction'],
        resources: fns.flatMap((fn) => [`<${fn}.Arn>`, `<${fn}.Arn>:*`]).sort(),
      },
      {
        actions: ['events:DescribeRule', 'events:PutRule', 'events:PutTargets'],
        resources: [
          'arn:<AWS::Partition>:events:<AWS::Region>:<AWS::AccountId>:rule/StepFunctionsGetEventsForStepFunctionsExecutionRule',
        ],
      },
    ]);
  });

  test("the daily machine's role gains nothing from the back-fill", () => {
    const machine = s.template.toJSON().Resources[daily].Properties as {
      RoleArn: { 'Fn::GetAtt': [string] };
    };
    const actions = statementsOfRole(s.template, machine.RoleArn['Fn::GetAtt'][0]).flatMap(actionsOf);
    expect(actions.filter((a) => a.startsWith('states:') || a.startsWith('events:'))).toEqual([]);
  });
});
