import { ENV } from '../lambdas/shared/function-env';

/** A Redshift Serverless workgroup reached through the Data API with IAM credentials. */
export interface ServerlessDataApiTarget {
  readonly kind: 'serverless';
  readonly workgroupName: string;
  /** `arn:...:redshift-serverless:<region>:<account>:workgroup/<workgroup-id>` (IAM scopes to the id). */
  readonly workgroupArn: string;
  readonly database: string;
}

/** A provisioned Redshift cluster reached through the Data API with IAM credentials. */
export interface ClusterDataApiTarget {
  readonly kind: 'cluster';
  readonly clusterIdentifier: string;
  readonly database: string;
  /** Database user for `GetClusterCredentials`. @default the caller's IAM identity (`GetClusterCredentialsWithIAM`) */
  readonly dbUser?: string;
}

/** Where the Lambdas send their SQL. */
export type DataApiTarget = ServerlessDataApiTarget | ClusterDataApiTarget;

/** The environment variables (`lambdas/shared/function-env.ts` ENV) that point a Lambda at the target. */
export function dataApiEnvironment(target: DataApiTarget): Record<string, string> {
  if (target.kind === 'serverless') {
    return { [ENV.workgroupName]: target.workgroupName, [ENV.database]: target.database };
  }
  return {
    [ENV.clusterIdentifier]: target.clusterIdentifier,
    [ENV.database]: target.database,
    ...(target.dbUser === undefined ? {} : { [ENV.dbUser]: target.dbUser }),
  };
}
