import * as path from 'node:path';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { METRICS_NAMESPACE } from '../lambdas/shared/metric-names';
import { acknowledge, XRAY_REASON } from './nag';
import { metricsServiceName } from './pipeline-metrics';

/** The repository root: entries, the lock file and `sql/` are found from here. */
export const PROJECT_ROOT = path.resolve(__dirname, '..');

/** The runtime every pipeline function uses. */
export const PIPELINE_RUNTIME = lambda.Runtime.NODEJS_22_X;

export interface PipelineFunctionProps {
  /** The TypeScript entry file. */
  readonly entry: string;
  /** The exported function to run. @default 'handler' */
  readonly handler?: string;
  readonly description: string;
  /** @default 256 */
  readonly memorySize?: number;
  /** @default Duration.minutes(1) */
  readonly timeout?: Duration;
  /**
   * Environment variables (NODE_OPTIONS for source maps, and the Powertools service name and metrics
   * namespace, are added). @default none
   */
  readonly environment?: Record<string, string>;
  /** Retention of the function's log group. @default logs.RetentionDays.ONE_MONTH */
  readonly logRetention?: logs.RetentionDays;
  /** What happens to the log group when the stack is deleted. @default RemovalPolicy.DESTROY */
  readonly logRemovalPolicy?: RemovalPolicy;
  /** A role shared with other functions. @default a new role with only this function's log permissions */
  readonly role?: iam.Role;
  /** A directory copied into the bundle as `sql/` (read at run time, see lambdas/shared/sql-files.ts). @default nothing copied */
  readonly sqlDirectory?: string;
}

/**
 * One pipeline Lambda: Node.js on ARM64, bundled locally by esbuild (minified, source maps, the
 * AWS SDK bundled so the tested version is the deployed one), X-Ray active, its own log group with
 * a retention, and a role holding nothing but what it is granted (no managed policies).
 */
export class PipelineFunction extends Construct {
  readonly function: nodejs.NodejsFunction;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: PipelineFunctionProps) {
    super(scope, id);
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
      removalPolicy: props.logRemovalPolicy ?? RemovalPolicy.DESTROY,
    });
    this.role =
      props.role ??
      new iam.Role(this, 'Role', {
        assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
        description: `${props.description} (function role)`,
      });
    this.logGroup.grantWrite(this.role);

    const sqlDirectory = props.sqlDirectory;
    this.function = new nodejs.NodejsFunction(this, 'Function', {
      entry: props.entry,
      handler: props.handler ?? 'handler',
      description: props.description,
      runtime: PIPELINE_RUNTIME,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? 256,
      timeout: props.timeout ?? Duration.minutes(1),
      tracing: lambda.Tracing.ACTIVE,
      logGroup: this.logGroup,
      role: this.role,
      environment: {
        ...props.environment,
        NODE_OPTIONS: '--enable-source-maps',
        // Powertools Metrics/Tracer read these: the `service` dimension and the EMF namespace.
        POWERTOOLS_SERVICE_NAME: metricsServiceName(this),
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
      },
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: path.join(PROJECT_ROOT, 'package-lock.json'),
      bundling: {
        minify: true,
        sourceMap: true,
        target: 'node22',
        format: nodejs.OutputFormat.CJS,
        externalModules: [],
        forceDockerBundling: false,
        ...(sqlDirectory === undefined
          ? {}
          : {
              commandHooks: {
                beforeBundling: () => [],
                beforeInstall: () => [],
                afterBundling: (_inputDir: string, outputDir: string) => [
                  `cp -R "${sqlDirectory}" "${path.join(outputDir, 'sql')}"`,
                ],
              },
            }),
      },
    });
    acknowledge(this.role, 'IAM5[Resource::*]', XRAY_REASON);
    acknowledge(
      this.function,
      'L1',
      `Pinned to ${PIPELINE_RUNTIME.name}, the newest runtime the project's Node toolchain and tests run on; ` +
        'moving to a newer runtime is a deliberate, tested change, not a silent one.',
    );
  }
}
