/**
 * The scale-out path as CloudFormation gets it: the Choice after Validate, the Distributed Map's
 * fields, the three functions and what each may do, and (run on aws-local-stepfunctions with the
 * steps stubbed) which days take which path.
 */
import { App } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { StateMachine, type RunOptions, type StateMachineDefinition } from 'aws-local-stepfunctions';
import { NON_RETRYABLE_ERRORS } from '../../lambdas/shared/errors';
import { localizeDistributedMaps } from '../../local/runner/distributed-map-definition';
import type { AslDefinition as ResolvedAsl } from '../../local/runner/resolve-template';
import { flattenReference } from '../../lib/nag';
import { scaleOutSettingsFromContext } from '../../lib/workflow/scale-out-settings';
import { definitionOf, logicalId, type AslDefinition } from '../infra/support/definition';
import { actionsOf, roleOfFunction, statementsOfRole, type Statement } from '../infra/support/iam';
import { synth, type Synthesized } from '../infra/support/synth';

/** The documented defaults (the `@default`s of ScaleOutSettings, the README's context table). */
const DEFAULT_SCALE_OUT_SETTINGS = {
  thresholdBytes: 268_435_456,
  maxConcurrency: 5,
  maxItemsPerBatch: 5000,
  maxInputBytesPerBatch: 229_376,
};

const THRESHOLD = 1_048_576;
let s: Synthesized;
let asl: AslDefinition;
let clean: string;
beforeAll(() => {
  s = synth({ scaleOutThresholdBytes: String(THRESHOLD), scaleOutMaxConcurrency: 50 });
  asl = definitionOf(s.template);
  clean = logicalId(s.template, 'AWS::S3::Bucket', 'StorageClean');
});

const state = (name: string) => {
  const found = asl.States[name];
  if (!found) throw new Error(`no state ${name}`);
  return found;
};
const fnArn = (prefix: string) => `arn:${logicalId(s.template, 'AWS::Lambda::Function', prefix)}`;
const flat = (st: Statement) => ({
  actions: actionsOf(st).sort(),
  resources: (Array.isArray(st.Resource) ? st.Resource : [st.Resource]).map(flattenReference).sort(),
});

describe('the daily machine with the scale-out path', () => {
  test('chooses after Validate (a current version): mode "scale-out", mode "single", then the object size against the threshold', () => {
    expect(state('Validate').Next).toBe('IsCurrentVersion');
    expect(state('IsCurrentVersion').Default).toBe('ChooseCleanPath');
    const mode = (value: string) => ({
      And: [
        { Variable: '$.mode', IsPresent: true },
        { Variable: '$.mode', StringEquals: value },
      ],
    });
    expect(state('ChooseCleanPath')).toMatchObject({
      Type: 'Choice',
      Choices: [
        { ...mode('scale-out'), Next: 'Prepare' },
        { ...mode('single'), Next: 'Clean' },
        { Variable: '$.day.source.bytes', NumericGreaterThan: THRESHOLD, Next: 'Prepare' },
      ],
      Default: 'Clean',
    });
  });

  test('runs Prepare -> CleanBatches -> Combine -> Load, Combine leaving the CleanResult where Clean does', () => {
    expect(state('Prepare')).toMatchObject({
      Resource: fnArn('ScaleOutPrepareFunction'),
      InputPath: '$.day',
      ResultPath: '$.prepared',
      Next: 'CleanBatches',
    });
    expect(state('CleanBatches')).toMatchObject({ ResultPath: '$.map', Next: 'Combine' });
    expect(state('Combine')).toMatchObject({
      Resource: fnArn('ScaleOutCombineFunction'),
      ResultPath: '$.clean',
      Next: 'Load',
    });
    expect(state('Combine').InputPath).toBeUndefined();
    expect(state('Clean').Next).toBe('Load');
  });

  test.each(['Prepare', 'Combine'])('%s has the steps retry policy and its own failure message', (step) => {
    expect(state(step).Retry).toEqual([
      { ErrorEquals: [...NON_RETRYABLE_ERRORS], MaxAttempts: 0 },
      { ErrorEquals: ['States.ALL'], IntervalSeconds: 300, MaxAttempts: 3, BackoffRate: 1 },
    ]);
    expect(state(step).Catch).toEqual([
      { ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: `${step}Failed` },
    ]);
    expect(state(`${step}Failed`).Parameters).toMatchObject({ step, 'date.$': '$.day.date' });
  });

  test('CleanBatches reads the staging CSV with its header row, from the bucket and key Prepare returned', () => {
    expect(state('CleanBatches').ItemReader).toEqual({
      Resource: 'arn:aws:states:::s3:getObject',
      ReaderConfig: { InputType: 'CSV', CSVHeaderLocation: 'FIRST_ROW' },
      Parameters: { 'Bucket.$': '$.prepared.staging.bucket', 'Key.$': '$.prepared.staging.key' },
    });
  });

  test('CleanBatches gives each row its item index and batches rows with the run’s shared input', () => {
    expect(state('CleanBatches')).toMatchObject({
      ItemSelector: { 'index.$': '$$.Map.Item.Index', 'row.$': '$$.Map.Item.Value' },
      ItemBatcher: {
        MaxItemsPerBatch: DEFAULT_SCALE_OUT_SETTINGS.maxItemsPerBatch,
        MaxInputBytesPerBatch: DEFAULT_SCALE_OUT_SETTINGS.maxInputBytesPerBatch,
        BatchInput: {
          'date.$': '$.day.date',
          'runId.$': '$.day.runId',
          'partsPrefix.$': '$.prepared.partsPrefix',
        },
      },
    });
  });

  test('CleanBatches runs the worker in Express children, 50 at once, tolerating no failure', () => {
    expect(state('CleanBatches')).toMatchObject({
      Type: 'Map',
      MaxConcurrency: 50,
      ToleratedFailurePercentage: 0,
      ItemProcessor: {
        ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'EXPRESS' },
        StartAt: 'CleanBatch',
        States: { CleanBatch: { Type: 'Task', Resource: fnArn('ScaleOutCleanBatchFunction'), End: true } },
      },
    });
    expect((state('CleanBatches').ItemProcessor as AslDefinition).States.CleanBatch?.Retry).toEqual([
      { ErrorEquals: [...NON_RETRYABLE_ERRORS], MaxAttempts: 0 },
      { ErrorEquals: ['States.ALL'], IntervalSeconds: 5, MaxAttempts: 3, BackoffRate: 2 },
    ]);
  });

  test('CleanBatches writes the Map Run results to S3 (compact JSON) under the run’s prefix', () => {
    expect(state('CleanBatches').ResultWriter).toEqual({
      Resource: 'arn:aws:states:::s3:putObject',
      Parameters: { 'Bucket.$': '$.prepared.staging.bucket', 'Prefix.$': '$.prepared.resultsPrefix' },
      WriterConfig: { OutputType: 'JSON', Transformation: 'COMPACT' },
    });
  });

  test('a failed Map Run is retried like a step, then notified as CleanBatches', () => {
    expect(state('CleanBatches').Retry).toEqual([
      { ErrorEquals: ['States.ALL'], IntervalSeconds: 300, MaxAttempts: 3, BackoffRate: 1 },
    ]);
    expect(state('CleanBatches').Catch).toEqual([
      { ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'CleanBatchesFailed' },
    ]);
  });
});

describe('what the scale-out path may do', () => {
  const grants = (prefix: string) =>
    statementsOfRole(
      s.template,
      roleOfFunction(s.template, logicalId(s.template, 'AWS::Lambda::Function', prefix)),
    )
      .map(flat)
      .filter((st) => !st.actions.every((a) => a.startsWith('logs:') || a.startsWith('xray:')));

  test('Prepare reads and lists day files and writes the scale-out prefix; CleanBatch only the scale-out prefix', () => {
    const incoming = logicalId(s.template, 'AWS::S3::Bucket', 'StorageIncoming');
    expect(grants('ScaleOutPrepareFunction')).toEqual([
      { actions: ['s3:GetObject'], resources: [`<${incoming}.Arn>/user-data/*`] },
      { actions: ['s3:ListBucket'], resources: [`<${incoming}.Arn>`] },
      { actions: ['s3:AbortMultipartUpload', 's3:PutObject'], resources: [`<${clean}.Arn>/scale-out/*`] },
    ]);
    expect(grants('ScaleOutCleanBatchFunction')).toEqual([
      { actions: ['s3:GetObject', 's3:PutObject'], resources: [`<${clean}.Arn>/scale-out/*`] },
    ]);
  });

  test('Combine reads the scale-out prefix and writes the day outputs, as Clean does', () => {
    expect(grants('ScaleOutCombineFunction')).toEqual([
      { actions: ['s3:GetObject'], resources: [`<${clean}.Arn>/scale-out/*`] },
      {
        actions: ['s3:AbortMultipartUpload', 's3:DeleteObject', 's3:PutObject'],
        resources: ['rejected/*', 'runs/*', 'user-data-clean/*', 'valid-searches/*'].map(
          (p) => `<${clean}.Arn>/${p}`,
        ),
      },
      { actions: ['s3:GetObject'], resources: [`<${clean}.Arn>/runs/*`] },
      { actions: ['s3:ListBucket'], resources: [`<${clean}.Arn>`] },
    ]);
  });

  test('the state machine reads and writes S3 only under the scale-out prefix, and starts its own children', () => {
    const role = logicalId(s.template, 'AWS::IAM::Role', 'WorkflowStateMachineRole');
    const s3Statements = statementsOfRole(s.template, role)
      .map(flat)
      .filter((st) => st.actions.some((a) => a.startsWith('s3:')));
    expect([...new Set(s3Statements.flatMap((st) => st.resources))]).toEqual([`<${clean}.Arn>/scale-out/*`]);
    expect([...new Set(s3Statements.flatMap((st) => st.actions))].sort()).toEqual([
      's3:AbortMultipartUpload',
      's3:GetObject',
      's3:ListMultipartUploadParts',
      's3:PutObject',
    ]);
    const actions = statementsOfRole(s.template, role).flatMap(actionsOf);
    expect(actions).toEqual(
      expect.arrayContaining(['states:StartExecution', 'states:DescribeExecution', 'states:StopExecution']),
    );
  });

  test('the staging objects expire after a week', () => {
    const bucket = s.template.toJSON().Resources[clean];
    expect(bucket.Properties.LifecycleConfiguration.Rules).toContainEqual({
      Id: 'expire-scale-out-staging',
      Prefix: 'scale-out/',
      ExpirationInDays: 7,
      Status: 'Enabled',
    });
  });

  test('cdk-nag AwsSolutions leaves no unacknowledged finding', () => {
    const report = new AwsSolutionsChecks(undefined, { verbose: true }).validateScope(s.stack);
    expect(
      report.violations.map(
        (v) => `${v.ruleName}: ${v.violatingResources.map((r) => r.constructPath).join(', ')}`,
      ),
    ).toEqual([]);
  });
});

describe('the scale-out settings', () => {
  const read = (context: Record<string, unknown>) => scaleOutSettingsFromContext(new App({ context }).node);

  test('are off unless the context turns them on; the threshold alone turns them on', () => {
    expect(read({})).toBeUndefined();
    expect(read({ scaleOutThresholdBytes: '0' })).toEqual({
      ...DEFAULT_SCALE_OUT_SETTINGS,
      thresholdBytes: 0,
    });
    expect(read({ scaleOut: 'true' })).toEqual(DEFAULT_SCALE_OUT_SETTINGS);
    expect(read({ scaleOut: false, scaleOutThresholdBytes: 5 })).toBeUndefined();
  });

  test.each([
    [{ scaleOut: 'yes' }, /scaleOut: must be true or false/],
    [{ scaleOutThresholdBytes: '-1' }, /scaleOutThresholdBytes: must be an integer/],
    [
      { scaleOut: true, scaleOutMaxConcurrency: 20_000 },
      /scaleOutMaxConcurrency: must be an integer from 1 to 10000/,
    ],
    [{ scaleOut: true, scaleOutMaxInputBytesPerBatch: 300_000 }, /scaleOutMaxInputBytesPerBatch/],
  ])('refuse %j', (context, message) => {
    expect(() => read(context)).toThrow(message);
  });
});

describe('which days take which path (the definition on aws-local-stepfunctions, steps stubbed)', () => {
  type LocalHandlers = NonNullable<NonNullable<RunOptions['overrides']>['taskResourceLocalHandlers']>;

  async function pathOf(input: Record<string, unknown>, bytes: number): Promise<string[]> {
    const { definition } = localizeDistributedMaps(asl as unknown as ResolvedAsl);
    const machine = new StateMachine(definition as unknown as StateMachineDefinition, {
      validationOptions: { checkArn: false },
    });
    const called: string[] = [];
    const step = (name: string, result: unknown) => async (payload: unknown) => {
      called.push(name);
      if (name === 'Load') expect(payload).toEqual({ via: called.includes('Combine') ? 'Combine' : 'Clean' });
      return result as never;
    };
    const day = { date: '2021-07-05', runId: 'r', source: { bytes } };
    const handlers = {
      Validate: step('Validate', day),
      Clean: step('Clean', { via: 'Clean' }),
      Prepare: step('Prepare', { staging: {} }),
      CleanBatches: step('CleanBatches', { ResultWriterDetails: {} }),
      Combine: step('Combine', { via: 'Combine' }),
      Load: step('Load', {}),
      NotifyFailure: step('NotifyFailure', {}),
    };
    await machine.run(
      { date: '2021-07-05', ...input },
      {
        overrides: { taskResourceLocalHandlers: handlers as LocalHandlers },
        context: { Execution: { Name: 'exec' } },
      },
    ).result;
    return called;
  }

  test.each([
    [
      'a day above the threshold',
      {},
      THRESHOLD + 1,
      ['Validate', 'Prepare', 'CleanBatches', 'Combine', 'Load'],
    ],
    ['a day at the threshold', {}, THRESHOLD, ['Validate', 'Clean', 'Load']],
    [
      'a small day with mode "scale-out"',
      { mode: 'scale-out' },
      10,
      ['Validate', 'Prepare', 'CleanBatches', 'Combine', 'Load'],
    ],
    ['a large day with mode "single"', { mode: 'single' }, THRESHOLD * 10, ['Validate', 'Clean', 'Load']],
    ['an unknown mode, by size', { mode: 'fast' }, 10, ['Validate', 'Clean', 'Load']],
  ])('%s', async (_name, input, bytes, expected) => {
    expect(await pathOf(input, bytes)).toEqual(expected);
  });
});
