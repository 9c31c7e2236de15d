import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import type { DataApiTarget } from './data-api-target';
import { acknowledge } from './nag';

/** The Data API actions the load and migration functions use (every statement goes as a batch). */
export const DATA_API_EXECUTE_ACTIONS = ['redshift-data:BatchExecuteStatement'];
/** GetStatementResult: the migrations read the versions already applied. */
export const DATA_API_STATEMENT_ACTIONS = [
  'redshift-data:DescribeStatement',
  'redshift-data:CancelStatement',
  'redshift-data:GetStatementResult',
];

/**
 * The Data API's condition key holding the `aws:userid` of the principal that submitted a statement
 * (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonredshiftdataapi.html#amazonredshiftdataapi-redshift-data_statement-owner-iam-userid).
 */
export const STATEMENT_OWNER_KEY = 'redshift-data:statement-owner-iam-userid';

/**
 * `<role unique id>:*`: every session of `role`, and nobody else. A Lambda's `aws:userid` is
 * `<role unique id>:<role session name>` and Lambda names the session after the function
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-unique-ids),
 * so the usual `StringEquals ... ${aws:userid}` lets a function see only its own statements: the
 * migrations' isComplete could not describe what their onEvent submitted (the same trap:
 * https://github.com/grafana/redshift-datasource/issues/836). The unique id (`AROA...`) is never
 * reused, unlike a role name, so a later role of the same name matches nothing.
 */
export function statementOwnerPattern(role: iam.Role): string {
  return `${role.roleId}:*`;
}

/**
 * The Lambda role that runs SQL on the target through the Data API, with nothing else: execute on
 * the workgroup / cluster, temporary credentials for it, and describe / cancel of the statements
 * any function running as this role started (see `statementOwnerPattern`). The load step and the schema migrations share it on purpose: with IAM
 * credentials each role is its own database user, and the tables belong to the one that created
 * them (REDSHIFT.md), so the role that migrates is the role that loads.
 */
export class WarehouseClientRole extends Construct {
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, target: DataApiTarget) {
    super(scope, id);
    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Runs the pipeline SQL (schema migrations and day loads) through the Redshift Data API',
    });
    this.role = role;
    const stack = Stack.of(this);
    if (target.kind === 'serverless') {
      role.addToPrincipalPolicy(
        new iam.PolicyStatement({ actions: DATA_API_EXECUTE_ACTIONS, resources: [target.workgroupArn] }),
      );
      role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          actions: ['redshift-serverless:GetCredentials'],
          resources: [target.workgroupArn],
        }),
      );
    } else {
      const redshiftArn = (resource: string, resourceName: string): string =>
        stack.formatArn({
          service: 'redshift',
          resource,
          resourceName,
          arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        });
      const cluster = target.clusterIdentifier;
      role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          actions: DATA_API_EXECUTE_ACTIONS,
          resources: [redshiftArn('cluster', cluster)],
        }),
      );
      const dbName = redshiftArn('dbname', `${cluster}/${target.database}`);
      role.addToPrincipalPolicy(
        target.dbUser === undefined
          ? new iam.PolicyStatement({
              actions: ['redshift:GetClusterCredentialsWithIAM'],
              resources: [dbName],
            })
          : new iam.PolicyStatement({
              actions: ['redshift:GetClusterCredentials'],
              resources: [redshiftArn('dbuser', `${cluster}/${target.dbUser}`), dbName],
            }),
      );
    }
    // Statement-level actions have no resource type: scope them to statements this role started.
    const statements = new iam.Policy(this, 'OwnStatements', {
      statements: [
        new iam.PolicyStatement({
          actions: DATA_API_STATEMENT_ACTIONS,
          resources: ['*'],
          conditions: { StringLike: { [STATEMENT_OWNER_KEY]: statementOwnerPattern(role) } },
        }),
      ],
    });
    statements.attachToRole(role);
    acknowledge(
      statements,
      'IAM5[Resource::*]',
      'redshift-data DescribeStatement/CancelStatement have no resource type (IAM requires "*"); the ' +
        'statement-owner-iam-userid condition limits them to statements started by a session of this role.',
    );
  }
}
