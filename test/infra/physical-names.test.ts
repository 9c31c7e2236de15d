import { App, Stack } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import { readStackName } from '../../lib/context-settings';
import { stackScopedName } from '../../lib/physical-names';
import { synth } from './support/synth';

/**
 * `*Name` properties that are not a resource's account- or region-unique name: an inline policy's
 * name is unique within its role only, a database name within its namespace, a topic's display name
 * and an alarm's metric name are labels. Any other literal `*Name` would be claimed by both stacks.
 */
const NOT_PHYSICAL = new Set([
  'AWS::IAM::Policy.PolicyName',
  'AWS::RedshiftServerless::Namespace.DbName',
  'AWS::SNS::Topic.DisplayName',
  'AWS::CloudWatch::Alarm.MetricName',
]);

interface Resource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
}

/** Every literal (not computed by CloudFormation) `*Name` property value, as `Type.Property=value`. */
function literalNames(template: Template): string[] {
  const resources = template.toJSON().Resources as Record<string, Resource>;
  return Object.values(resources).flatMap((resource) =>
    Object.entries(resource.Properties ?? {})
      .filter(([key, value]) => key.endsWith('Name') && typeof value === 'string')
      .filter(([key]) => !NOT_PHYSICAL.has(`${resource.Type}.${key}`))
      .map(([key, value]) => `${resource.Type}.${key}=${String(value)}`),
  );
}

describe('physical names', () => {
  // Scale-out on, so every resource the app can create is there.
  const first = synth({ scaleOut: true }, {}, 'SearchStats');
  const second = synth({ scaleOut: true }, {}, 'SearchStatsStaging');

  test('two stacks with different names claim no physical name in common', () => {
    const shared = literalNames(first.template).filter((name) =>
      literalNames(second.template).includes(name),
    );
    expect(shared).toEqual([]);
  });

  test('the namespace and workgroup are named after the stack', () => {
    for (const [{ template }, name] of [
      [first, 'search-stats'],
      [second, 'search-stats-staging'],
    ] as const) {
      template.hasResourceProperties('AWS::RedshiftServerless::Namespace', { NamespaceName: name });
      template.hasResourceProperties('AWS::RedshiftServerless::Workgroup', { WorkgroupName: name });
    }
  });

  test('a derived name fits Redshift Serverless (lowercase, digits, hyphens, 3-64) and stays unique when cut', () => {
    const nameOf = (stackName: string) => stackScopedName(new Stack(new App(), stackName));
    const long = 'SearchStats' + 'X'.repeat(100);
    for (const stackName of ['SearchStats', 'A1', 'MyETLStack-2', long, `${long}Y`]) {
      expect(nameOf(stackName)).toMatch(/^[a-z0-9-]{3,64}$/);
    }
    expect(nameOf(long)).not.toBe(nameOf(`${long}Y`));
    expect(nameOf('MyETLStack-2')).toBe('my-etl-stack-2');
  });
});

describe('the context key stackName', () => {
  const read = (context: Record<string, unknown>) => readStackName(new App({ context }).node);

  test('defaults to SearchStats and names the stack', () => {
    expect(read({})).toBe('SearchStats');
    expect(read({ stackName: 'SearchStatsTest1' })).toBe('SearchStatsTest1');
  });

  test('refuses a name CloudFormation would refuse', () => {
    expect(() => read({ stackName: '1stack' })).toThrow(
      /context stackName: '1stack' must start with a letter/,
    );
    expect(() => read({ stackName: 'search_stats' })).toThrow(/context stackName/);
  });
});

describe('the context key retainData', () => {
  const retainedTypes = [
    'AWS::S3::Bucket',
    'AWS::RedshiftServerless::Namespace',
    'AWS::RedshiftServerless::Workgroup',
    'AWS::KMS::Key',
  ];
  const policies = (template: Template, type: string) =>
    Object.values(template.findResources(type)).map((r) => (r as { DeletionPolicy?: string }).DeletionPolicy);

  test('by default the buckets, the warehouse and the keys outlive the stack', () => {
    const { template } = synth();
    for (const type of retainedTypes) {
      expect(policies(template, type).length).toBeGreaterThan(0);
      expect(policies(template, type).every((p) => p === 'Retain')).toBe(true);
    }
  });

  test('false deletes them with the stack, emptying the buckets first', () => {
    const { template } = synth({ retainData: 'false' });
    for (const type of retainedTypes) {
      expect(policies(template, type).every((p) => p === 'Delete')).toBe(true);
    }
    expect(Object.keys(template.findResources('Custom::S3AutoDeleteObjects'))).toHaveLength(3);
  });
});
