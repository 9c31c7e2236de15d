import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import type { DataApiTarget } from './data-api-target';
import { acknowledge } from './nag';

/** The database role the migrations create and grant SELECT to (sql/schema/030..060). */
export const READER_DATABASE_ROLE = 'search_stats_reader';

export interface AnalystAccessProps {
  /** The workgroup or cluster the tables live in. */
  readonly target: DataApiTarget;
  /** The database role readers get (created by the migrations). @default READER_DATABASE_ROLE */
  readonly readerDatabaseRole?: string;
}

/**
 * A read path to the tables for people (analysts, the report CLI, BI tools): a managed policy to
 * attach to an analyst's IAM role or user, allowing the Data API and temporary credentials on this
 * workgroup / cluster only, and describe / results / cancel of the statements that identity itself
 * ran. The policy lets the identity connect; reading needs the database role `search_stats_reader`
 * (README "Querying"): on Serverless the principal tag `RedshiftDbRoles` maps it at login
 * (https://docs.aws.amazon.com/redshift/latest/mgmt/redshift-iam-access-federated-db-roles.html),
 * on a provisioned cluster an admin runs `GRANT ROLE search_stats_reader TO "IAMR:<role>"`.
 */
export class AnalystAccess extends Construct {
  readonly policy: iam.ManagedPolicy;
  readonly readerDatabaseRole: string;

  constructor(scope: Construct, id: string, props: AnalystAccessProps) {
    super(scope, id);
    const { target } = props;
    this.readerDatabaseRole = props.readerDatabaseRole ?? READER_DATABASE_ROLE;
    const statements =
      target.kind === 'serverless'
        ? serverlessStatements(target.workgroupArn)
        : clusterStatements(this, target);
    this.policy = new iam.ManagedPolicy(this, 'Policy', {
      description:
        `Query the search-stats tables through the Redshift Data API as this IAM identity ` +
        `(reads need the database role ${this.readerDatabaseRole})`,
      statements: [
        ...statements,
        // Statement-level actions have no resource type: limited to the caller's own statements.
        // https://docs.aws.amazon.com/redshift/latest/mgmt/data-api-access.html
        new iam.PolicyStatement({
          sid: 'OwnStatements',
          actions: [
            'redshift-data:DescribeStatement',
            'redshift-data:GetStatementResult',
            'redshift-data:CancelStatement',
          ],
          resources: ['*'],
          conditions: { StringEquals: { 'redshift-data:statement-owner-iam-userid': '${aws:userid}' } },
        }),
      ],
    });
    acknowledge(
      this.policy,
      'IAM5[Resource::*]',
      'redshift-data DescribeStatement/GetStatementResult/CancelStatement have no resource type (IAM requires "*"); ' +
        'the statement-owner-iam-userid = aws:userid condition limits them to the caller’s own statements. ' +
        'On Serverless, tag:GetResources/GetTagKeys (no resource type) let the RedshiftDbRoles tag reach the login.',
    );
  }
}

function serverlessStatements(workgroupArn: string): iam.PolicyStatement[] {
  return [
    new iam.PolicyStatement({
      sid: 'RunQueriesOnTheWorkgroup',
      actions: ['redshift-data:ExecuteStatement', 'redshift-data:BatchExecuteStatement'],
      resources: [workgroupArn],
    }),
    new iam.PolicyStatement({
      sid: 'TemporaryCredentials',
      actions: ['redshift-serverless:GetCredentials'],
      resources: [workgroupArn],
    }),
    // "Signing in using IAM credentials": the identity's RedshiftDbRoles tag is read at login.
    // https://docs.aws.amazon.com/redshift/latest/mgmt/redshift-iam-access-federated-db-roles.html
    new iam.PolicyStatement({
      sid: 'ReadDbRolesTag',
      actions: ['tag:GetResources', 'tag:GetTagKeys'],
      resources: ['*'],
    }),
  ];
}

function clusterStatements(
  scope: Construct,
  target: Extract<DataApiTarget, { kind: 'cluster' }>,
): iam.PolicyStatement[] {
  const arn = (resource: string, resourceName: string): string =>
    Stack.of(scope).formatArn({
      service: 'redshift',
      resource,
      resourceName,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
  return [
    new iam.PolicyStatement({
      sid: 'RunQueriesOnTheCluster',
      actions: ['redshift-data:ExecuteStatement', 'redshift-data:BatchExecuteStatement'],
      resources: [arn('cluster', target.clusterIdentifier)],
    }),
    // The caller's own database user (IAM:<user> / IAMR:<role>), for this database only.
    new iam.PolicyStatement({
      sid: 'TemporaryCredentials',
      actions: ['redshift:GetClusterCredentialsWithIAM'],
      resources: [arn('dbname', `${target.clusterIdentifier}/${target.database}`)],
    }),
  ];
}
