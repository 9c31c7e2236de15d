import { Match } from 'aws-cdk-lib/assertions';
import { logicalId } from './support/definition';
import { synth, type Synthesized } from './support/synth';

const OWN_STATEMENTS = {
  Sid: 'OwnStatements',
  Effect: 'Allow',
  Action: [
    'redshift-data:CancelStatement',
    'redshift-data:DescribeStatement',
    'redshift-data:GetStatementResult',
  ],
  Resource: '*',
  Condition: { StringEquals: { 'redshift-data:statement-owner-iam-userid': '${aws:userid}' } },
};

describe('the analysts’ read path on the new Serverless workgroup', () => {
  let s: Synthesized;
  beforeAll(() => {
    s = synth();
  });

  test('a managed policy lets an identity query this workgroup only and read its own statements’ results', () => {
    const workgroup = logicalId(s.template, 'AWS::RedshiftServerless::Workgroup', 'WarehouseWorkgroup');
    const workgroupArn = { 'Fn::GetAtt': [workgroup, 'Workgroup.WorkgroupArn'] };
    s.template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: [
          {
            Sid: 'RunQueriesOnTheWorkgroup',
            Effect: 'Allow',
            Action: ['redshift-data:BatchExecuteStatement', 'redshift-data:ExecuteStatement'],
            Resource: workgroupArn,
          },
          {
            Sid: 'TemporaryCredentials',
            Effect: 'Allow',
            Action: 'redshift-serverless:GetCredentials',
            Resource: workgroupArn,
          },
          {
            Sid: 'ReadDbRolesTag',
            Effect: 'Allow',
            Action: ['tag:GetResources', 'tag:GetTagKeys'],
            Resource: '*',
          },
          OWN_STATEMENTS,
        ],
      },
    });
  });

  test('the policy is attached to nobody by the stack: an admin attaches it to the analyst’s identity', () => {
    s.template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      Roles: Match.absent(),
      Users: Match.absent(),
      Groups: Match.absent(),
    });
  });

  test('stack outputs name the policy and the database role readers need', () => {
    const policy = logicalId(s.template, 'AWS::IAM::ManagedPolicy', 'AnalystAccessPolicy');
    s.template.hasOutput('AnalystPolicyArn', { Value: { Ref: policy } });
    s.template.hasOutput('ReaderDatabaseRole', { Value: 'search_stats_reader' });
  });
});

test('on an existing provisioned cluster the policy names that cluster and its database', () => {
  const { template } = synth({ redshiftClusterId: 'analytics', redshiftDatabase: 'stats' });
  const arn = (resource: string) => ({
    'Fn::Join': [
      '',
      [
        'arn:',
        { Ref: 'AWS::Partition' },
        ':redshift:',
        { Ref: 'AWS::Region' },
        ':',
        { Ref: 'AWS::AccountId' },
        `:${resource}`,
      ],
    ],
  });
  template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
    PolicyDocument: {
      Statement: [
        {
          Sid: 'RunQueriesOnTheCluster',
          Effect: 'Allow',
          Action: ['redshift-data:BatchExecuteStatement', 'redshift-data:ExecuteStatement'],
          Resource: arn('cluster:analytics'),
        },
        {
          Sid: 'TemporaryCredentials',
          Effect: 'Allow',
          Action: 'redshift:GetClusterCredentialsWithIAM',
          Resource: arn('dbname:analytics/stats'),
        },
        OWN_STATEMENTS,
      ],
    },
  });
});
