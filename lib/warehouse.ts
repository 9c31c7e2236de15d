import { ArnFormat, CfnOutput, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as redshiftserverless from 'aws-cdk-lib/aws-redshiftserverless';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { WarehouseSettings } from './context-settings';
import type { DataApiTarget } from './data-api-target';
import { acknowledgeWildcardResources } from './nag';
import { stackScopedName } from './physical-names';
import { defaultVpcSubnetIds } from './warehouse-network';

export interface WarehouseProps {
  /** New Serverless (default) or an existing workgroup / cluster. */
  readonly settings: WarehouseSettings;
  /** The bucket COPY reads the valid searches from. */
  readonly cleanBucket: s3.IBucket;
  /** The key prefix COPY reads (data files and manifests), with trailing slash. */
  readonly copyPrefix: string;
  /**
   * Name of a new namespace (account+region unique, so derived from the stack's name).
   * @default stackScopedName(this), e.g. 'search-stats' for the stack SearchStats
   */
  readonly namespaceName?: string;
  /** Name of a new workgroup. @default stackScopedName(this), as the namespace */
  readonly workgroupName?: string;
  /** What happens to a new namespace and workgroup when the stack is deleted. @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * The warehouse the load step writes to, as a Data API target. By default a new Redshift Serverless
 * namespace + workgroup (admin password kept by Secrets Manager, never in the template), whose
 * default IAM role can read the valid-searches prefix for `COPY ... IAM_ROLE default`. For an
 * existing workgroup or cluster, the same COPY role is created and output: attach it as the default
 * IAM role there.
 */
export class Warehouse extends Construct {
  readonly target: DataApiTarget;
  /** The role `COPY ... IAM_ROLE default` runs as. */
  readonly copyRole: iam.Role;
  /** Present when this construct created the workgroup. */
  readonly workgroup?: redshiftserverless.CfnWorkgroup;

  constructor(scope: Construct, id: string, props: WarehouseProps) {
    super(scope, id);
    this.copyRole = this.createCopyRole(props.cleanBucket, props.copyPrefix);
    const settings = props.settings;
    const stack = Stack.of(this);
    switch (settings.kind) {
      case 'new-serverless': {
        this.workgroup = this.createServerless(props, settings);
        this.target = {
          kind: 'serverless',
          workgroupName: this.workgroup.attrWorkgroupWorkgroupName,
          workgroupArn: this.workgroup.attrWorkgroupWorkgroupArn,
          database: settings.database,
        };
        break;
      }
      case 'existing-serverless':
        this.target = {
          kind: 'serverless',
          workgroupName: settings.workgroupName,
          workgroupArn: stack.formatArn({
            service: 'redshift-serverless',
            resource: 'workgroup',
            resourceName: settings.workgroupId,
            arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
          }),
          database: settings.database,
        };
        break;
      case 'existing-cluster':
        this.target = {
          kind: 'cluster',
          clusterIdentifier: settings.clusterIdentifier,
          database: settings.database,
          ...(settings.dbUser === undefined ? {} : { dbUser: settings.dbUser }),
        };
        break;
    }
    if (settings.kind !== 'new-serverless') {
      new CfnOutput(this, 'CopyRoleArn', {
        value: this.copyRole.roleArn,
        description:
          'Attach this role to the existing warehouse and make it the default IAM role (COPY ... IAM_ROLE default)',
      });
    }
  }

  private createCopyRole(bucket: s3.IBucket, prefix: string): iam.Role {
    const role = new iam.Role(this, 'CopyRole', {
      description: 'Redshift COPY reads the day valid-searches files and manifests',
      assumedBy: new iam.CompositePrincipal(
        new iam.ServicePrincipal('redshift.amazonaws.com'),
        new iam.ServicePrincipal('redshift-serverless.amazonaws.com'),
      ),
    });
    const objects = bucket.arnForObjects(`${prefix}*`);
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [objects] }));
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['s3:ListBucket'],
        resources: [bucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': [`${prefix}*`] } },
      }),
    );
    acknowledgeWildcardResources(
      role,
      [objects],
      `COPY reads per-day objects whose keys are only known at run time; scoped to the ${prefix} prefix.`,
    );
    return role;
  }

  private createServerless(
    props: WarehouseProps,
    settings: Extract<WarehouseSettings, { kind: 'new-serverless' }>,
  ): redshiftserverless.CfnWorkgroup {
    const { database, baseCapacity, securityGroupIds } = settings;
    const subnetIds = settings.subnetIds ?? defaultVpcSubnetIds(this);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    // Fixed names collided with a retained copy after a failed create, and kept a second stack out
    // of the account and region: each stack now names its own.
    const name = stackScopedName(this);
    const namespace = new redshiftserverless.CfnNamespace(this, 'Namespace', {
      namespaceName: props.namespaceName ?? name,
      dbName: database,
      adminUsername: 'admin',
      manageAdminPassword: true,
      iamRoles: [this.copyRole.roleArn],
      defaultIamRoleArn: this.copyRole.roleArn,
    });
    namespace.applyRemovalPolicy(removalPolicy);
    const workgroup = new redshiftserverless.CfnWorkgroup(this, 'Workgroup', {
      workgroupName: props.workgroupName ?? name,
      namespaceName: namespace.attrNamespaceNamespaceName,
      baseCapacity,
      publiclyAccessible: false,
      ...(subnetIds === undefined ? {} : { subnetIds }),
      ...(securityGroupIds === undefined ? {} : { securityGroupIds }),
    });
    workgroup.applyRemovalPolicy(removalPolicy);
    return workgroup;
  }
}
