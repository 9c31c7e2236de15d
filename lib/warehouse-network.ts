import { ContextProvider, Stack, Token } from 'aws-cdk-lib';
import * as cxschema from 'aws-cdk-lib/cloud-assembly-schema';
import { PROVIDER_ERROR_KEY } from 'aws-cdk-lib/cx-api';
import type { IConstruct } from 'constructs';
import { ContextError } from './context-settings';

/**
 * A Serverless workgroup needs at least three subnets spanning three Availability Zones; in US West
 * (N. California) three subnets across two ("Three subnets",
 * https://docs.aws.amazon.com/redshift/latest/mgmt/serverless-usage-considerations.html).
 */
export const MIN_WORKGROUP_SUBNETS = 3;
const MIN_AZS_DEFAULT = 3;
const MIN_AZS_BY_REGION: Readonly<Record<string, number>> = { 'us-west-1': 2 };

/** The part of the CDK CLI's VPC lookup answer we read. */
interface VpcLookup {
  readonly vpcId?: string;
  readonly subnetGroups?: readonly {
    readonly subnets: readonly { subnetId: string; availabilityZone: string }[];
  }[];
}

const SET_SUBNETS =
  'set -c redshiftSubnetIds=subnet-a,subnet-b,subnet-c (at least three subnets in three Availability Zones) ' +
  'and, if the VPC has no usable default security group, -c redshiftSecurityGroupIds=sg-...';

/**
 * The subnets of a new workgroup when the context names none: those of the account's default VPC,
 * found at synth by the CDK CLI's VPC lookup, so a region without a default VPC (or one with too few
 * Availability Zones) fails the synth naming what to set, instead of failing the deploy after the
 * namespace was created. Without a concrete account and region (`cdk synth` without credentials)
 * nothing can be looked up: the subnets are left to the service, which uses the default VPC.
 */
export function defaultVpcSubnetIds(scope: IConstruct): string[] | undefined {
  const stack = Stack.of(scope);
  if (Token.isUnresolved(stack.account) || Token.isUnresolved(stack.region)) return undefined;
  const query = {
    provider: cxschema.ContextProvider.VPC_PROVIDER,
    props: { filter: { isDefault: 'true' }, returnAsymmetricSubnets: true },
  };
  const raw: unknown = scope.node.tryGetContext(ContextProvider.getKey(scope, query).key);
  const lookupError =
    typeof raw === 'object' && raw !== null
      ? (raw as Record<string, unknown>)[PROVIDER_ERROR_KEY]
      : undefined;
  if (lookupError !== undefined) {
    throw new ContextError(
      'redshiftSubnetIds',
      `none given, and no default VPC was found in ${stack.account}/${stack.region} (${String(lookupError)}): ${SET_SUBNETS}`,
    );
  }
  // Undefined on the first pass: the CLI looks the VPC up and synthesizes again with the answer.
  const vpc = ContextProvider.getValue(scope, { ...query, dummyValue: undefined }).value as
    VpcLookup | undefined;
  if (vpc === undefined) return undefined;
  const subnets = (vpc.subnetGroups ?? []).flatMap((group) => group.subnets);
  const zones = new Set(subnets.map((subnet) => subnet.availabilityZone));
  const minZones = MIN_AZS_BY_REGION[stack.region] ?? MIN_AZS_DEFAULT;
  if (subnets.length < MIN_WORKGROUP_SUBNETS || zones.size < minZones) {
    throw new ContextError(
      'redshiftSubnetIds',
      `none given, and the default VPC ${vpc.vpcId ?? ''} has ${subnets.length} subnet(s) in ${zones.size} ` +
        `Availability Zone(s); a Serverless workgroup needs ${MIN_WORKGROUP_SUBNETS} in ${minZones}: ${SET_SUBNETS}`,
    );
  }
  return subnets.map((subnet) => subnet.subnetId);
}
