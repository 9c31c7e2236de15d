import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { readPipelineSettings } from '../../lib/context-settings';
import { SearchStatsStack } from '../../lib/search-stats-stack';
import { cdkJsonContext, FIXTURE_ENTRIES, FIXTURE_SQL } from './support/synth';

const ENV = { account: '123456789012', region: 'eu-west-1' };
/** Where the CDK CLI stores its default-VPC lookup for ENV (the key `cdk context` lists). */
const LOOKUP_KEY =
  'vpc-provider:account=123456789012:filter.isDefault=true:region=eu-west-1:returnAsymmetricSubnets=true';

/** The stack as `cdk deploy` synthesizes it with credentials for ENV, given the lookup's answer. */
function synthInAccount(context: Record<string, unknown>): Template {
  const app = new App({ context: { ...cdkJsonContext(), 'aws:cdk:bundling-stacks': [], ...context } });
  const stack = new SearchStatsStack(app, 'SearchStats', {
    env: ENV,
    entries: FIXTURE_ENTRIES,
    sqlDirectory: FIXTURE_SQL,
  });
  return Template.fromStack(stack);
}

const defaultVpc = (zones: string[]) => ({
  vpcId: 'vpc-0default',
  availabilityZones: [],
  subnetGroups: [
    {
      name: 'Public',
      type: 'Public',
      subnets: zones.map((zone, i) => ({
        subnetId: `subnet-0000000${i}`,
        availabilityZone: zone,
        routeTableId: `rtb-${i}`,
        cidr: `172.31.${i * 16}.0/20`,
      })),
    },
  ],
});

describe('the workgroup network', () => {
  test('given subnets must be at least three distinct ones', () => {
    const read = (redshiftSubnetIds: string) =>
      readPipelineSettings(new App({ context: { ...cdkJsonContext(), redshiftSubnetIds } }).node);
    expect(() => read('subnet-0a1b2c3d,subnet-0a1b2c3e')).toThrow(
      /context redshiftSubnetIds: a Redshift Serverless workgroup needs at least three distinct subnets in three Availability Zones, got 2/,
    );
    expect(() => read('subnet-0a1b2c3d,subnet-0a1b2c3d,subnet-0a1b2c3e')).toThrow(/got 2/);
    expect(read('subnet-0a1b2c3d,subnet-0a1b2c3e,subnet-0a1b2c3f').warehouse).toMatchObject({
      subnetIds: ['subnet-0a1b2c3d', 'subnet-0a1b2c3e', 'subnet-0a1b2c3f'],
    });
  });

  test("without given subnets, the account's default VPC subnets are looked up and used", () => {
    const template = synthInAccount({ [LOOKUP_KEY]: defaultVpc(['eu-west-1a', 'eu-west-1b', 'eu-west-1c']) });
    template.hasResourceProperties('AWS::RedshiftServerless::Workgroup', {
      SubnetIds: ['subnet-00000000', 'subnet-00000001', 'subnet-00000002'],
    });
  });

  test('a region without a default VPC fails the synth saying what to set', () => {
    const lookupFailed = {
      $providerError: 'Could not find any VPCs matching {"filter":{"isDefault":"true"}}',
      $dontSaveContext: true,
    };
    expect(() => synthInAccount({ [LOOKUP_KEY]: lookupFailed })).toThrow(
      /context redshiftSubnetIds: none given, and no default VPC was found in 123456789012\/eu-west-1 .*set -c redshiftSubnetIds=subnet-a,subnet-b,subnet-c/,
    );
  });

  test('a default VPC in fewer than three Availability Zones fails the synth saying what to set', () => {
    expect(() => synthInAccount({ [LOOKUP_KEY]: defaultVpc(['eu-west-1a', 'eu-west-1b']) })).toThrow(
      /context redshiftSubnetIds: none given, and the default VPC vpc-0default has 2 subnet\(s\) in 2 Availability Zone\(s\)/,
    );
  });

  test('given subnets need no lookup', () => {
    const template = synthInAccount({ redshiftSubnetIds: 'subnet-0a1b2c3d,subnet-0a1b2c3e,subnet-0a1b2c3f' });
    template.hasResourceProperties('AWS::RedshiftServerless::Workgroup', {
      SubnetIds: ['subnet-0a1b2c3d', 'subnet-0a1b2c3e', 'subnet-0a1b2c3f'],
    });
  });
});
