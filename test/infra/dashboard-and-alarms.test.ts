import { logicalId } from './support/definition';
import { synth, type Synthesized } from './support/synth';

let s: Synthesized;
let alarmTopic: string;
beforeAll(() => {
  s = synth();
  alarmTopic = logicalId(s.template, 'AWS::SNS::Topic', 'AlarmsTopic');
});

interface Widget {
  readonly type: string;
  readonly properties: {
    readonly title?: string;
    readonly markdown?: string;
    readonly metrics?: readonly (readonly unknown[])[];
    readonly alarms?: readonly string[];
    readonly annotations?: { readonly horizontal?: readonly { label: string; value: number }[] };
  };
}

/** `Ref X` -> `ref:X`, `Fn::GetAtt [X, A]` -> `X.A`: the body as the console would read it. */
function render(part: unknown): string {
  if (typeof part === 'string') return part;
  const token = part as { Ref?: string; 'Fn::GetAtt'?: [string, string] };
  if (token.Ref) return `ref:${token.Ref}`;
  if (token['Fn::GetAtt']) return token['Fn::GetAtt'].join('.');
  throw new Error(`unexpected token in DashboardBody: ${JSON.stringify(part)}`);
}

function dashboardWidgets(synthesized: Synthesized): Widget[] {
  const dashboards = Object.values(synthesized.template.findResources('AWS::CloudWatch::Dashboard'));
  expect(dashboards).toHaveLength(1);
  const body = (dashboards[0] as { Properties: { DashboardBody: unknown } }).Properties.DashboardBody as
    string | { 'Fn::Join': [string, unknown[]] };
  const text = typeof body === 'string' ? body : body['Fn::Join'][1].map(render).join(body['Fn::Join'][0]);
  return (JSON.parse(text) as { widgets: Widget[] }).widgets;
}

const widget = (widgets: Widget[], title: string): Widget => {
  const found = widgets.find((w) => w.properties.title === title);
  if (!found) throw new Error(`no widget '${title}' in ${widgets.map((w) => w.properties.title).join(', ')}`);
  return found;
};

/** A metric's identity in a widget: namespace, name and dimensions, without its render options. */
const identities = (w: Widget): string[] =>
  (w.properties.metrics ?? []).map((m) => m.filter((part) => typeof part === 'string').join(' '));

describe('the operations dashboard', () => {
  test('is deployed with the stack, named after the stack and its region (dashboards are global)', () => {
    s.template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    s.template.hasResourceProperties('AWS::CloudWatch::Dashboard', {
      DashboardName: { 'Fn::Join': ['', ['SearchStats-', { Ref: 'AWS::Region' }]] },
    });
  });

  test('graphs the daily volumes and the rejected share the Lambdas publish, with the warning and failing levels', () => {
    const widgets = dashboardWidgets(s);
    expect(identities(widget(widgets, 'Daily volumes (rows)'))).toEqual([
      'SearchStats RowsRead service SearchStats step clean',
      'SearchStats RowsKept service SearchStats step clean',
      'SearchStats RowsDuplicate service SearchStats step clean',
      'SearchStats RowsRejected service SearchStats step clean',
      'SearchStats RowsLoaded service SearchStats step load',
    ]);
    const share = widget(widgets, 'Rejected share (%)');
    expect(identities(share)).toEqual(['SearchStats RejectedShare service SearchStats step clean']);
    expect(share.properties.annotations?.horizontal).toEqual([
      expect.objectContaining({ label: 'warning', value: 0.5 }),
      expect.objectContaining({ label: 'fails the day', value: 1 }),
    ]);
  });

  test('graphs each step duration and the load time', () => {
    const widgets = dashboardWidgets(s);
    expect(identities(widget(widgets, 'Step duration (max per day, ms)'))).toEqual([
      'SearchStats StepDuration service SearchStats step validate',
      'SearchStats StepDuration service SearchStats step clean',
      'SearchStats StepDuration service SearchStats step load',
    ]);
    expect(identities(widget(widgets, 'Load time and input size'))).toEqual([
      'SearchStats StepDuration service SearchStats step load',
      'SearchStats InputBytes service SearchStats step clean',
    ]);
  });

  test('graphs failures and retries: the daily executions and each step Lambda errors and duration', () => {
    const widgets = dashboardWidgets(s);
    const machine = logicalId(s.template, 'AWS::StepFunctions::StateMachine', 'WorkflowStateMachine');
    expect(identities(widget(widgets, 'Runs (daily state machine)'))).toEqual(
      ['ExecutionsSucceeded', 'ExecutionsFailed', 'ExecutionThrottled', 'ExecutionsTimedOut'].map(
        (name) => `AWS/States ${name} StateMachineArn ref:${machine}`,
      ),
    );
    const lambdas = identities(widget(widgets, 'Lambda errors (each one retried or failed a step)'));
    for (const step of ['Validate', 'Clean', 'Load']) {
      const fn = logicalId(s.template, 'AWS::Lambda::Function', `Functions${step}Function`);
      expect(lambdas).toContain(`AWS/Lambda Errors FunctionName ref:${fn}`);
      expect(lambdas).toContain(`AWS/Lambda Duration FunctionName ref:${fn}`);
    }
  });

  test('shows back-fill progress: the Backfill executions and the days they run', () => {
    const widgets = dashboardWidgets(s);
    const backfill = logicalId(s.template, 'AWS::StepFunctions::StateMachine', 'BackfillStateMachine');
    const machine = logicalId(s.template, 'AWS::StepFunctions::StateMachine', 'WorkflowStateMachine');
    expect(identities(widget(widgets, 'Back-fill progress (per hour)'))).toEqual([
      `AWS/States ExecutionsStarted StateMachineArn ref:${backfill}`,
      `AWS/States ExecutionsSucceeded StateMachineArn ref:${backfill}`,
      `AWS/States ExecutionsFailed StateMachineArn ref:${backfill}`,
      `AWS/States ExecutionsSucceeded StateMachineArn ref:${machine}`,
      `AWS/States ExecutionsFailed StateMachineArn ref:${machine}`,
    ]);
  });

  test("shows the state of the four alarms (the Trigger's dead letters among them)", () => {
    const alarms = widget(dashboardWidgets(s), 'Alarms').properties.alarms ?? [];
    expect(alarms).toHaveLength(4);
    for (const prefix of [
      'FailedRunsAlarm',
      'StaleDataAlarm',
      'RejectedShareAlarm',
      'TriggerDeadLettersAlarm',
    ]) {
      const id = logicalId(s.template, 'AWS::CloudWatch::Alarm', prefix);
      expect(alarms).toContain(`${id}.Arn`);
    }
  });

  test('metrics follow the stack name, which the Lambdas publish under as their service', () => {
    const named = synth({}, { stackName: 'search-stats-prod' });
    named.template.hasResourceProperties('AWS::CloudWatch::Dashboard', {
      DashboardName: { 'Fn::Join': ['', ['search-stats-prod-', { Ref: 'AWS::Region' }]] },
    });
    expect(identities(widget(dashboardWidgets(named), 'Rejected share (%)'))).toEqual([
      'SearchStats RejectedShare service search-stats-prod step clean',
    ]);
    for (const step of ['Validate', 'Clean', 'Load']) {
      const fn = logicalId(named.template, 'AWS::Lambda::Function', `Functions${step}Function`);
      expect(named.template.toJSON().Resources[fn].Properties.Environment.Variables).toMatchObject({
        POWERTOOLS_SERVICE_NAME: 'search-stats-prod',
        POWERTOOLS_METRICS_NAMESPACE: 'SearchStats',
      });
    }
  });
});

describe('the data-freshness alarm', () => {
  test('fires when no day was loaded in 26 hours (26 of 26 hourly periods, no data breaching) and notifies the operations topic', () => {
    s.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'SearchStats',
      MetricName: 'DaysLoaded',
      Dimensions: [
        { Name: 'service', Value: 'SearchStats' },
        { Name: 'step', Value: 'load' },
      ],
      Statistic: 'Sum',
      Period: 3600,
      EvaluationPeriods: 26,
      DatapointsToAlarm: 26,
      Threshold: 1,
      ComparisonOperator: 'LessThanThreshold',
      TreatMissingData: 'breaching',
      AlarmActions: [{ Ref: alarmTopic }],
    });
  });
});

describe('the rejected-share alarm', () => {
  test('warns above half the failing threshold by default (0.5% of rows) and notifies the operations topic', () => {
    s.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'SearchStats',
      MetricName: 'RejectedShare',
      Dimensions: [
        { Name: 'service', Value: 'SearchStats' },
        { Name: 'step', Value: 'clean' },
      ],
      Statistic: 'Maximum',
      Period: 3600,
      EvaluationPeriods: 1,
      Threshold: 0.5,
      ComparisonOperator: 'GreaterThanThreshold',
      TreatMissingData: 'notBreaching',
      AlarmActions: [{ Ref: alarmTopic }],
    });
  });

  test('takes its level from the context', () => {
    synth({ rejectedThreshold: '0.05', rejectedWarningThreshold: '0.02' }).template.hasResourceProperties(
      'AWS::CloudWatch::Alarm',
      { MetricName: 'RejectedShare', Threshold: 2 },
    );
  });

  test('a warning level at or above the failing threshold fails the synth, naming the key', () => {
    expect(() => synth({ rejectedWarningThreshold: '0.01' })).toThrow(
      /context rejectedWarningThreshold: must be below rejectedThreshold/,
    );
  });
});
