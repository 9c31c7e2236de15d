import { Template } from 'aws-cdk-lib/assertions';
import { cdkJsonContext, FIXTURE_ENTRIES, FIXTURE_SQL } from '../infra/support/synth';
import { awsTestContext, buildAwsTestStack, uniqueStackName } from './deploy-and-run';

/** The opt-in real-account test's synth, without AWS: the stack it would deploy, as it would deploy it. */
describe('the opt-in real-account test stack', () => {
  const stackName = uniqueStackName(Date.UTC(2026, 0, 1));
  const stack = buildAwsTestStack(
    stackName,
    { ...cdkJsonContext(), 'aws:cdk:bundling-stacks': [] },
    { entries: FIXTURE_ENTRIES, sqlDirectory: FIXTURE_SQL },
  );
  const template = Template.fromStack(stack);

  test('is named per run and passes the same context to cdk deploy and destroy', () => {
    expect(stackName).toMatch(/^SearchStatsAwsTest[0-9a-z]+$/);
    expect(stack.stackName).toBe(stackName);
    expect(uniqueStackName(Date.UTC(2026, 0, 2))).not.toBe(stackName);
    expect(awsTestContext(stackName)).toEqual({ stackName, retainData: 'false', scheduleEnabled: 'false' });
  });

  test('claims its own warehouse names, keeps nothing after destroy and runs on no schedule', () => {
    const name = `search-stats-aws-test${stackName.slice('SearchStatsAwsTest'.length)}`;
    template.hasResourceProperties('AWS::RedshiftServerless::Workgroup', { WorkgroupName: name });
    template.hasResourceProperties('AWS::Events::Rule', { State: 'DISABLED' });
    for (const type of ['AWS::S3::Bucket', 'AWS::RedshiftServerless::Namespace', 'AWS::KMS::Key']) {
      for (const resource of Object.values(template.findResources(type))) {
        expect((resource as { DeletionPolicy?: string }).DeletionPolicy).toBe('Delete');
      }
    }
  });

  test('outputs what the script reads: the incoming bucket, the daily state machine, the workgroup', () => {
    const outputs = Object.keys(template.toJSON().Outputs as Record<string, unknown>);
    expect(outputs).toEqual(
      expect.arrayContaining(['IncomingBucketName', 'StateMachineArn', 'WarehouseName']),
    );
  });
});
