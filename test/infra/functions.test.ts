import { Match } from 'aws-cdk-lib/assertions';
import { logicalId } from './support/definition';
import { synth, type Synthesized } from './support/synth';

let synthesized: Synthesized;
beforeAll(() => {
  synthesized = synth();
});

const fn = (prefix: string) => {
  const { template } = synthesized;
  const id = logicalId(template, 'AWS::Lambda::Function', prefix);
  return { id, props: template.toJSON().Resources[id].Properties as Record<string, unknown> };
};

const POWERTOOLS_ENV = {
  NODE_OPTIONS: '--enable-source-maps',
  // The `service` dimension is the stack's name (synth() names the stack SearchStats).
  POWERTOOLS_SERVICE_NAME: 'SearchStats',
  POWERTOOLS_METRICS_NAMESPACE: 'SearchStats',
};
const PIPELINE_ENV = {
  INCOMING_BUCKET: { Ref: expect.stringMatching(/^StorageIncoming/) },
  INCOMING_PREFIX: 'user-data/',
  CLEAN_BUCKET: { Ref: expect.stringMatching(/^StorageClean/) },
  CLEAN_PREFIX: 'user-data-clean/',
  REJECTED_THRESHOLD: '0.01',
  VOLUME_MIN_SHARE: '0.1',
  VOLUME_LOOKBACK_DAYS: '7',
  CODE_VERSION: 'dev',
  ...POWERTOOLS_ENV,
};
const WAREHOUSE_ENV = {
  REDSHIFT_WORKGROUP: {
    'Fn::GetAtt': [expect.stringMatching(/^WarehouseWorkgroup/), 'Workgroup.WorkgroupName'],
  },
  REDSHIFT_DATABASE: 'dev',
};

describe('the pipeline functions', () => {
  const ALL = [
    'FunctionsValidateFunction',
    'FunctionsCleanFunction',
    'FunctionsLoadFunction',
    'MigrationsOnEventFunction',
    'MigrationsIsCompleteFunction',
  ];

  test.each(ALL)('%s runs Node.js 22 on ARM64 with X-Ray active', (prefix) => {
    expect(fn(prefix).props).toMatchObject({
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      TracingConfig: { Mode: 'Active' },
    });
  });

  test.each(ALL)('%s logs to its own log group, kept 30 days', (prefix) => {
    const { template } = synthesized;
    const logGroup = (fn(prefix).props.LoggingConfig as { LogGroup: { Ref: string } }).LogGroup.Ref;
    expect(template.toJSON().Resources[logGroup]).toMatchObject({
      Type: 'AWS::Logs::LogGroup',
      Properties: { RetentionInDays: 30 },
    });
  });

  test('Validate and Clean get the pipeline configuration, nothing of the warehouse', () => {
    for (const prefix of ['FunctionsValidateFunction', 'FunctionsCleanFunction']) {
      expect(fn(prefix).props.Environment).toEqual({ Variables: PIPELINE_ENV });
    }
  });

  test('Load gets the pipeline configuration and the Data API target', () => {
    expect(fn('FunctionsLoadFunction').props.Environment).toEqual({
      Variables: { ...PIPELINE_ENV, ...WAREHOUSE_ENV },
    });
  });

  test('the migrate handlers get only the Data API target and export onEvent / isComplete', () => {
    expect(fn('MigrationsOnEventFunction').props).toMatchObject({
      Handler: 'index.onEvent',
      Environment: { Variables: { ...WAREHOUSE_ENV, ...POWERTOOLS_ENV } },
    });
    expect(fn('MigrationsIsCompleteFunction').props).toMatchObject({ Handler: 'index.isComplete' });
  });

  test('Clean has 1024 MB and 15 minutes; Validate 256 MB and 1 minute; Load 256 MB and 15 minutes', () => {
    expect(fn('FunctionsCleanFunction').props).toMatchObject({ MemorySize: 1024, Timeout: 900 });
    expect(fn('FunctionsValidateFunction').props).toMatchObject({ MemorySize: 256, Timeout: 60 });
    expect(fn('FunctionsLoadFunction').props).toMatchObject({
      MemorySize: 256,
      Timeout: 900,
      Handler: 'index.handler',
    });
  });

  test('no function role carries a managed policy', () => {
    synthesized.template.allResourcesProperties('AWS::IAM::Role', { ManagedPolicyArns: Match.absent() });
  });

  test('pipeline settings from the context reach the functions', () => {
    const { template } = synth({
      incomingBucketName: 'upstream-drop',
      incomingPrefix: 'drops/',
      rejectedThreshold: '0.05',
      volumeMinShare: '0.2',
      volumeLookbackDays: '14',
      codeVersion: 'v1.2.3',
      logRetentionDays: '90',
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          INCOMING_BUCKET: 'upstream-drop',
          INCOMING_PREFIX: 'drops/',
          REJECTED_THRESHOLD: '0.05',
          VOLUME_MIN_SHARE: '0.2',
          VOLUME_LOOKBACK_DAYS: '14',
          CODE_VERSION: 'v1.2.3',
        }),
      },
    });
    template.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: 90 });
  });
});
