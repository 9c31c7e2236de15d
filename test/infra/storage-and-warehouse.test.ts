import { existsSync, mkdtempSync, writeFileSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Match } from 'aws-cdk-lib/assertions';
import { definitionOf, logicalId } from './support/definition';
import { FIXTURE_SQL, synth, type Synthesized } from './support/synth';

let s: Synthesized;
beforeAll(() => {
  s = synth();
});

describe('the buckets', () => {
  test('three new buckets: incoming, clean and their access logs, all encrypted and private', () => {
    s.template.resourceCountIs('AWS::S3::Bucket', 3);
    s.template.allResourcesProperties('AWS::S3::Bucket', {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
    });
  });

  test('every bucket refuses requests without TLS', () => {
    const policies = Object.values(s.template.findResources('AWS::S3::BucketPolicy'));
    expect(policies).toHaveLength(3);
    for (const policy of policies) {
      expect(policy.Properties.PolicyDocument.Statement).toContainEqual(
        expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      );
    }
  });

  test('the data buckets log access and abort unfinished multipart uploads after a day', () => {
    const logs = logicalId(s.template, 'AWS::S3::Bucket', 'StorageAccessLogs');
    for (const prefix of ['StorageIncoming', 'StorageClean']) {
      const bucket = s.template.toJSON().Resources[logicalId(s.template, 'AWS::S3::Bucket', prefix)];
      expect(bucket.Properties).toMatchObject({
        LoggingConfiguration: { DestinationBucketName: { Ref: logs } },
        LifecycleConfiguration: {
          Rules: [{ AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 }, Status: 'Enabled' }],
        },
      });
      expect(bucket.DeletionPolicy).toBe('Retain');
    }
  });

  test('existing buckets named in the context are used, not created', () => {
    const existing = synth({ incomingBucketName: 'upstream-drop', cleanBucketName: 'analytics-clean' });
    existing.template.resourceCountIs('AWS::S3::Bucket', 0);
    existing.template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({ INCOMING_BUCKET: 'upstream-drop', CLEAN_BUCKET: 'analytics-clean' }),
      },
    });
  });
});

describe('the warehouse', () => {
  test('a new Serverless namespace keeps its admin password in Secrets Manager and COPYs with its default role', () => {
    const copyRole = logicalId(s.template, 'AWS::IAM::Role', 'WarehouseCopyRole');
    s.template.hasResourceProperties('AWS::RedshiftServerless::Namespace', {
      NamespaceName: 'search-stats',
      DbName: 'dev',
      ManageAdminPassword: true,
      AdminUserPassword: Match.absent(),
      IamRoles: [{ 'Fn::GetAtt': [copyRole, 'Arn'] }],
      DefaultIamRoleArn: { 'Fn::GetAtt': [copyRole, 'Arn'] },
    });
    s.template.hasResourceProperties('AWS::RedshiftServerless::Workgroup', {
      WorkgroupName: 'search-stats',
      BaseCapacity: 8,
      PubliclyAccessible: false,
    });
  });

  test('the COPY role can be assumed by Redshift and Redshift Serverless only', () => {
    const copyRole =
      s.template.toJSON().Resources[logicalId(s.template, 'AWS::IAM::Role', 'WarehouseCopyRole')];
    expect(copyRole.Properties.AssumeRolePolicyDocument.Statement).toEqual([
      {
        Action: 'sts:AssumeRole',
        Effect: 'Allow',
        Principal: { Service: ['redshift-serverless.amazonaws.com', 'redshift.amazonaws.com'] },
      },
    ]);
  });

  test('database, capacity and network placement come from the context', () => {
    const custom = synth({
      redshiftDatabase: 'stats',
      redshiftBaseCapacity: '16',
      redshiftSubnetIds: 'subnet-0a1b2c3d,subnet-0a1b2c3e,subnet-0a1b2c3f',
      redshiftSecurityGroupIds: 'sg-0123abcd',
    });
    custom.template.hasResourceProperties('AWS::RedshiftServerless::Namespace', { DbName: 'stats' });
    custom.template.hasResourceProperties('AWS::RedshiftServerless::Workgroup', {
      BaseCapacity: 16,
      SubnetIds: ['subnet-0a1b2c3d', 'subnet-0a1b2c3e', 'subnet-0a1b2c3f'],
      SecurityGroupIds: ['sg-0123abcd'],
    });
  });
});

describe('the schema migrations', () => {
  test('run at deploy time through a provider that waits for completion', () => {
    const onEvent = logicalId(s.template, 'AWS::Lambda::Function', 'MigrationsOnEventFunction');
    const isComplete = logicalId(s.template, 'AWS::Lambda::Function', 'MigrationsIsCompleteFunction');
    const resources = s.template.findResources('Custom::SchemaMigrations');
    expect(Object.keys(resources)).toHaveLength(1);
    // The provider framework calls the user functions by name from its environment.
    s.template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({ USER_ON_EVENT_FUNCTION_ARN: { 'Fn::GetAtt': [onEvent, 'Arn'] } }),
      },
    });
    s.template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({ USER_IS_COMPLETE_FUNCTION_ARN: { 'Fn::GetAtt': [isComplete, 'Arn'] } }),
      },
    });
  });

  test('poll every 10 s for at most 20 minutes', () => {
    // The waiter retries isComplete IntervalSeconds apart, MaxAttempts = totalTimeout / queryInterval.
    const waiter = definitionOf(s.template, 'MigrationsProviderwaiter');
    expect(waiter.States['framework-isComplete-task']?.Retry).toContainEqual(
      expect.objectContaining({ IntervalSeconds: 10, MaxAttempts: 120, BackoffRate: 1 }),
    );
  });

  test('wait for the workgroup and the Data API grants before the first run', () => {
    const [migration] = Object.values(s.template.findResources('Custom::SchemaMigrations'));
    const dependsOn: string[] = migration?.DependsOn ?? [];
    expect(dependsOn).toContainEqual(expect.stringMatching(/^WarehouseWorkgroup/));
    expect(dependsOn).toContainEqual(expect.stringMatching(/^WarehouseClientOwnStatements/));
    expect(dependsOn).toContainEqual(expect.stringMatching(/^WarehouseClientRoleDefaultPolicy/));
  });

  test('re-run when a schema file changes, and only then', () => {
    const hashOf = (sqlDirectory: string): string => synth({}, { sqlDirectory }).stack.migrations.schemaHash;
    const copy = mkdtempSync(path.join(tmpdir(), 'schema-'));
    cpSync(FIXTURE_SQL, copy, { recursive: true });
    const before = hashOf(copy);
    expect(hashOf(copy)).toBe(before);
    writeFileSync(path.join(copy, 'schema', '002_more.sql'), 'CREATE TABLE IF NOT EXISTS more (day DATE);\n');
    expect(hashOf(copy)).not.toBe(before);
    s.template.hasResourceProperties('Custom::SchemaMigrations', {
      SchemaHash: s.stack.migrations.schemaHash,
    });
  });

  test('refuse to synthesize without schema files', () => {
    const empty = mkdtempSync(path.join(tmpdir(), 'no-schema-'));
    expect(existsSync(path.join(empty, 'schema'))).toBe(false);
    expect(() => synth({}, { sqlDirectory: empty })).toThrow(/no \.sql files/);
  });
});
