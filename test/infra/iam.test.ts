import { flattenReference } from '../../lib/nag';
import { logicalId } from './support/definition';
import { actionsOf, actionsOfRole, roleOfFunction, statementsOfRole, type Statement } from './support/iam';
import { synth, type Synthesized } from './support/synth';

const LOGS = ['logs:CreateLogStream', 'logs:PutLogEvents'];
const XRAY = ['xray:PutTelemetryRecords', 'xray:PutTraceSegments'];

/** A statement with its resources flattened the way cdk-nag prints them (`<Id.Arn>/prefix/*`). */
const flat = (statement: Statement) => ({
  actions: actionsOf(statement).sort(),
  resources: (Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource])
    .map(flattenReference)
    .sort(),
  condition: statement.Condition,
});

function roleOf(s: Synthesized, functionPrefix: string): string {
  return roleOfFunction(s.template, logicalId(s.template, 'AWS::Lambda::Function', functionPrefix));
}

function grantsOf(s: Synthesized, functionPrefix: string) {
  return statementsOfRole(s.template, roleOf(s, functionPrefix))
    .map(flat)
    .filter((st) => !st.actions.every((a) => a.startsWith('logs:') || a.startsWith('xray:')));
}

let s: Synthesized;
let incoming: string;
let clean: string;
beforeAll(() => {
  s = synth();
  incoming = logicalId(s.template, 'AWS::S3::Bucket', 'StorageIncoming');
  clean = logicalId(s.template, 'AWS::S3::Bucket', 'StorageClean');
});

describe('least-privilege grants', () => {
  test('Validate may only list the incoming prefix (the listing gives key, ETag and size)', () => {
    expect(actionsOfRole(s.template, roleOf(s, 'FunctionsValidateFunction'))).toEqual(
      [...LOGS, 's3:ListBucket', ...XRAY].sort(),
    );
    expect(grantsOf(s, 'FunctionsValidateFunction')).toEqual([
      {
        actions: ['s3:ListBucket'],
        resources: [`<${incoming}.Arn>`],
        condition: { StringLike: { 's3:prefix': ['user-data/*'] } },
      },
    ]);
  });

  test('Clean may read and list the incoming prefix, write, delete and abort uploads under the four output prefixes, and read the run records', () => {
    expect(grantsOf(s, 'FunctionsCleanFunction')).toEqual([
      { actions: ['s3:GetObject'], resources: [`<${incoming}.Arn>/user-data/*`], condition: undefined },
      {
        actions: ['s3:ListBucket'],
        resources: [`<${incoming}.Arn>`],
        condition: { StringLike: { 's3:prefix': ['user-data/*'] } },
      },
      {
        actions: ['s3:AbortMultipartUpload', 's3:DeleteObject', 's3:PutObject'],
        resources: ['rejected/*', 'runs/*', 'user-data-clean/*', 'valid-searches/*'].map(
          (p) => `<${clean}.Arn>/${p}`,
        ),
        condition: undefined,
      },
      // The volume guard: previous days' run records; ListBucket makes a missing one a 404, not a 403.
      { actions: ['s3:GetObject'], resources: [`<${clean}.Arn>/runs/*`], condition: undefined },
      {
        actions: ['s3:ListBucket'],
        resources: [`<${clean}.Arn>`],
        condition: { StringLike: { 's3:prefix': ['runs/*'] } },
      },
    ]);
  });

  test("Load may run SQL on the workgroup and see or cancel only its own role's statements", () => {
    const workgroup = logicalId(s.template, 'AWS::RedshiftServerless::Workgroup', 'WarehouseWorkgroup');
    const role = roleOf(s, 'FunctionsLoadFunction');
    expect(grantsOf(s, 'FunctionsLoadFunction')).toEqual([
      {
        actions: ['redshift-data:BatchExecuteStatement', 'redshift-serverless:GetCredentials'],
        resources: [`<${workgroup}.Workgroup.WorkgroupArn>`],
        condition: undefined,
      },
      {
        actions: [
          'redshift-data:CancelStatement',
          'redshift-data:DescribeStatement',
          'redshift-data:GetStatementResult',
        ],
        resources: ['*'],
        condition: {
          StringLike: {
            'redshift-data:statement-owner-iam-userid': {
              'Fn::Join': ['', [{ 'Fn::GetAtt': [role, 'RoleId'] }, ':*']],
            },
          },
        },
      },
    ]);
  });

  test('the migrations run as the same role as Load (one database user owns the tables)', () => {
    const load = roleOf(s, 'FunctionsLoadFunction');
    expect(roleOf(s, 'MigrationsOnEventFunction')).toBe(load);
    expect(roleOf(s, 'MigrationsIsCompleteFunction')).toBe(load);
  });

  test('the COPY role may only read the valid-searches prefix', () => {
    const copyRole = logicalId(s.template, 'AWS::IAM::Role', 'WarehouseCopyRole');
    expect(statementsOfRole(s.template, copyRole).map(flat)).toEqual([
      { actions: ['s3:GetObject'], resources: [`<${clean}.Arn>/valid-searches/*`], condition: undefined },
      {
        actions: ['s3:ListBucket'],
        resources: [`<${clean}.Arn>`],
        condition: { StringLike: { 's3:prefix': ['valid-searches/*'] } },
      },
    ]);
  });

  test('the state machine may invoke the three steps, publish to the topic and use its key', () => {
    const role = (s.template.toJSON().Resources as Record<string, { Properties: { RoleArn?: unknown } }>)[
      logicalId(s.template, 'AWS::StepFunctions::StateMachine', 'WorkflowStateMachine')
    ]?.Properties.RoleArn as { 'Fn::GetAtt': [string, string] };
    expect(
      actionsOfRole(s.template, role['Fn::GetAtt'][0]).filter(
        (a) => !a.startsWith('logs:') && !a.startsWith('xray:'),
      ),
    ).toEqual(['kms:Decrypt', 'kms:GenerateDataKey', 'lambda:InvokeFunction', 'sns:Publish']);
  });

  test('no identity policy anywhere grants a wildcard action', () => {
    type Document = { Statement: Statement[] };
    const policies = Object.values(s.template.findResources('AWS::IAM::Policy')) as {
      Properties: { PolicyDocument: Document };
    }[];
    const roles = Object.values(s.template.findResources('AWS::IAM::Role')) as {
      Properties: { Policies?: { PolicyDocument: Document }[] };
    }[];
    const documents = [
      ...policies.map((p) => p.Properties.PolicyDocument),
      ...roles.flatMap((r) => (r.Properties.Policies ?? []).map((p) => p.PolicyDocument)),
    ];
    const actions = documents.flatMap((d) => d.Statement.flatMap(actionsOf));
    expect(actions.length).toBeGreaterThan(20);
    expect(actions.filter((action) => action.includes('*'))).toEqual([]);
  });
});

describe('grants for an existing warehouse', () => {
  test('a provisioned cluster with a database user: SQL on the cluster, credentials for that user and database', () => {
    const cluster = synth({
      redshiftClusterId: 'analytics',
      redshiftDbUser: 'loader',
      redshiftDatabase: 'stats',
    });
    const arn = (rest: string) => `arn:<AWS::Partition>:redshift:<AWS::Region>:<AWS::AccountId>:${rest}`;
    expect(grantsOf(cluster, 'FunctionsLoadFunction').slice(0, 2)).toEqual([
      {
        actions: ['redshift-data:BatchExecuteStatement'],
        resources: [arn('cluster:analytics')],
        condition: undefined,
      },
      {
        actions: ['redshift:GetClusterCredentials'],
        resources: [arn('dbname:analytics/stats'), arn('dbuser:analytics/loader')],
        condition: undefined,
      },
    ]);
    cluster.template.resourceCountIs('AWS::RedshiftServerless::Workgroup', 0);
    expect(Object.keys(cluster.template.findOutputs('*'))).toContainEqual(
      expect.stringMatching(/^WarehouseCopyRoleArn/),
    );
  });

  test('a provisioned cluster without a database user: credentials for the IAM identity', () => {
    const cluster = synth({ redshiftClusterId: 'analytics' });
    expect(grantsOf(cluster, 'FunctionsLoadFunction')[1]).toEqual({
      actions: ['redshift:GetClusterCredentialsWithIAM'],
      resources: ['arn:<AWS::Partition>:redshift:<AWS::Region>:<AWS::AccountId>:dbname:analytics/dev'],
      condition: undefined,
    });
  });

  test('an existing Serverless workgroup is scoped by its id and addressed by its name', () => {
    const existing = synth({
      redshiftWorkgroupName: 'shared',
      redshiftWorkgroupId: 'a1b2c3d4-0000-1111-2222-333344445555',
    });
    expect(grantsOf(existing, 'FunctionsLoadFunction')[0]?.resources).toEqual([
      'arn:<AWS::Partition>:redshift-serverless:<AWS::Region>:<AWS::AccountId>:workgroup/a1b2c3d4-0000-1111-2222-333344445555',
    ]);
    existing.template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: {
          REDSHIFT_WORKGROUP: 'shared',
          REDSHIFT_DATABASE: 'dev',
          NODE_OPTIONS: '--enable-source-maps',
        },
      },
    });
    existing.template.resourceCountIs('AWS::RedshiftServerless::Namespace', 0);
  });
});
