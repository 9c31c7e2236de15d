import { createHash } from 'node:crypto';
import { Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * Redshift Serverless namespace and workgroup names: 3-64 characters, lowercase letters, digits and
 * hyphens (namespace: "between 3-64 alphanumeric characters in lowercase",
 * https://docs.aws.amazon.com/sdk-for-kotlin/api/latest/redshiftserverless/aws.sdk.kotlin.services.redshiftserverless.model/-namespace/-builder/namespace-name.html;
 * workgroup: pattern ^[a-z0-9-]+$, 3 to 64,
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-datazone-datasource-redshiftserverlessstorage.html).
 */
const MAX_LENGTH = 64;
const MIN_LENGTH = 3;

/**
 * The name of an account+region-unique resource CloudFormation cannot name itself (a Redshift
 * Serverless namespace or workgroup), derived from the stack's name: `SearchStats` -> `search-stats`,
 * `SearchStatsTest01` -> `search-stats-test01`. Two stacks with different names get different
 * names; a name too long for the limit is cut and keeps an 8-character hash of the whole, so two
 * long stack names that share a prefix still differ.
 */
export function stackScopedName(scope: IConstruct): string {
  const stackName = Stack.of(scope).stackName;
  const kebab = stackName
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/([A-Z])([A-Z][a-z])/g, '$1-$2')
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '');
  const name = kebab.length >= MIN_LENGTH ? kebab : `${kebab}-stack`.replace(/^-/, '');
  if (name.length <= MAX_LENGTH) return name;
  const hash = createHash('sha256').update(stackName).digest('hex').slice(0, 8);
  return `${name.slice(0, MAX_LENGTH - hash.length - 1).replace(/-$/, '')}-${hash}`;
}
