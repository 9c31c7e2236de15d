import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { CustomResource, Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct, type IDependable } from 'constructs';
import { dataApiEnvironment, type DataApiTarget } from './data-api-target';
import { PipelineFunction } from './pipeline-function';
import { acknowledge, acknowledgeInvokeGrants, STATE_MACHINE_DELIVERY_REASON } from './nag';

export interface SchemaMigrationsProps {
  /** The migrate handler (exports `onEvent` and `isComplete`). */
  readonly entry: string;
  /** `sql/`: its `schema/*.sql` files run in name order; the whole folder is bundled. */
  readonly sqlDirectory: string;
  readonly target: DataApiTarget;
  /** The Data API role, shared with the load step so both are the same database user. */
  readonly role: iam.Role;
  /** Resources the first migration must wait for (the role's policies, the workgroup). @default none */
  readonly dependsOn?: IDependable[];
  readonly logRetention: logs.RetentionDays;
  /** How often the provider asks `isComplete`. @default Duration.seconds(10) */
  readonly queryInterval?: Duration;
  /** How long the provider waits for the statements before failing the deployment. @default Duration.minutes(20) */
  readonly totalTimeout?: Duration;
  /**
   * How long one `isComplete` invocation may apply migrations (it stops 20 s before its end and the
   * provider asks again). @default Duration.minutes(5)
   */
  readonly isCompleteTimeout?: Duration;
}

/**
 * Migrates the warehouse tables at deploy time: a custom resource whose `isComplete` applies the
 * `sql/schema` files not recorded in `schema_migrations` yet, through the Data API, each in its own
 * transaction (`lambdas/migrate/apply-migrations.ts`). The files' hash is a property, so a new or
 * changed schema file runs the migrations on deploy; only unrecorded files are applied.
 */
export class SchemaMigrations extends Construct {
  readonly resource: CustomResource;
  /** SHA-256 of the schema files' names and contents. */
  readonly schemaHash: string;

  constructor(scope: Construct, id: string, props: SchemaMigrationsProps) {
    super(scope, id);
    const handler = (name: 'onEvent' | 'isComplete'): PipelineFunction =>
      new PipelineFunction(this, name === 'onEvent' ? 'OnEvent' : 'IsComplete', {
        entry: props.entry,
        handler: name,
        description: `Schema migrations (${name}): applies new sql/schema files through the Redshift Data API`,
        ...(name === 'isComplete' ? { timeout: props.isCompleteTimeout ?? Duration.minutes(5) } : {}),
        environment: dataApiEnvironment(props.target),
        logRetention: props.logRetention,
        role: props.role,
        sqlDirectory: props.sqlDirectory,
      });
    const onEvent = handler('onEvent');
    const isComplete = handler('isComplete');
    const userFunctions = [onEvent.function.functionArn, isComplete.function.functionArn];
    const providerLogs = new logs.LogGroup(this, 'ProviderLogs', {
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // Own roles for the framework functions: log writes to their log group, no managed policy.
    const frameworkRole = (roleId: string): iam.Role => {
      const role = new iam.Role(this, roleId, {
        assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
        description: 'Custom resource provider framework (schema migrations)',
      });
      providerLogs.grantWrite(role);
      acknowledgeInvokeGrants(role, userFunctions);
      return role;
    };
    const provider = new cr.Provider(this, 'Provider', {
      onEventHandler: onEvent.function,
      isCompleteHandler: isComplete.function,
      queryInterval: props.queryInterval ?? Duration.seconds(10),
      totalTimeout: props.totalTimeout ?? Duration.minutes(20),
      logGroup: providerLogs,
      frameworkOnEventRole: frameworkRole('FrameworkOnEventRole'),
      frameworkCompleteAndTimeoutRole: frameworkRole('FrameworkWaiterRole'),
      disableWaiterStateMachineLogging: false,
      waiterStateMachineLogOptions: {
        destination: new logs.LogGroup(this, 'WaiterLogs', {
          retention: props.logRetention,
          removalPolicy: RemovalPolicy.DESTROY,
        }),
        level: sfn.LogLevel.ALL,
        includeExecutionData: true,
      },
    });
    // The waiter state machine is the provider's own; it invokes the framework's isComplete / onTimeout.
    acknowledge(provider, 'IAM5[Resource::*]', STATE_MACHINE_DELIVERY_REASON);
    acknowledge(
      provider,
      'SF2',
      "The provider framework's waiter state machine (a poll loop around isComplete) has no tracing option; " +
        'its executions are logged at level ALL and the migrate functions it calls are traced with X-Ray.',
    );
    const frameworkFunctions = ['framework-isComplete', 'framework-onTimeout'].map(
      (child) => (provider.node.findChild(child) as lambda.IFunction).functionArn,
    );
    acknowledgeInvokeGrants(provider, frameworkFunctions);

    this.schemaHash = hashSchema(this, path.join(props.sqlDirectory, 'schema'));
    this.resource = new CustomResource(this, 'Resource', {
      serviceToken: provider.serviceToken,
      resourceType: 'Custom::SchemaMigrations',
      properties: { SchemaHash: this.schemaHash },
    });
    for (const dependency of props.dependsOn ?? []) this.resource.node.addDependency(dependency);
  }
}

function hashSchema(scope: Construct, dir: string): string {
  const files = existsSync(dir) ? readdirSync(dir).filter((file) => file.endsWith('.sql')) : [];
  if (files.length === 0) {
    throw new Error(`${scope.node.path}: no .sql files in ${dir}: the migrations have nothing to run`);
  }
  const hash = createHash('sha256');
  for (const file of files.sort())
    hash
      .update(file)
      .update('\0')
      .update(readFileSync(path.join(dir, file)))
      .update('\0');
  return hash.digest('hex');
}
