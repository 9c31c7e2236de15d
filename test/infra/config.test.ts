import { App } from 'aws-cdk-lib';
import { readPipelineSettings, type PipelineSettings } from '../../lib/context-settings';
import { cdkJsonContext } from './support/synth';

/** What `cdk synth -c key=value ...` reads: cdk.json's context, then the overrides (strings). */
const read = (overrides: Record<string, unknown> = {}): PipelineSettings =>
  readPipelineSettings(new App({ context: { ...cdkJsonContext(), ...overrides } }).node);

describe('the deploy-time settings', () => {
  test('cdk.json alone gives the documented defaults', () => {
    expect(read()).toEqual({
      incomingBucketName: undefined,
      cleanBucketName: undefined,
      incomingPrefix: 'user-data/',
      cleanPrefix: 'user-data-clean/',
      rejectedThreshold: 0.01,
      volumeMinShare: 0.1,
      volumeLookbackDays: 7,
      rejectedWarningThreshold: 0.005,
      scheduleCron: '30 0 * * ? *',
      scheduleEnabled: true,
      notificationEmail: undefined,
      warehouse: { kind: 'new-serverless', database: 'dev', baseCapacity: 8 },
      logRetentionDays: 30,
      codeVersion: 'dev',
      retainData: true,
    });
  });

  test('command-line values arrive as strings and are parsed', () => {
    expect(
      read({ rejectedThreshold: '0.05', scheduleHour: '6', scheduleMinute: '5', scheduleEnabled: 'false' }),
    ).toMatchObject({ rejectedThreshold: 0.05, scheduleCron: '5 6 * * ? *', scheduleEnabled: false });
  });

  test('the volume guard is set by volumeMinShare and volumeLookbackDays', () => {
    expect(read({ volumeMinShare: '0.25', volumeLookbackDays: '14' })).toMatchObject({
      volumeMinShare: 0.25,
      volumeLookbackDays: 14,
    });
    expect(() => read({ volumeMinShare: '2' })).toThrow(/context volumeMinShare/);
    expect(() => read({ volumeLookbackDays: '40' })).toThrow(/context volumeLookbackDays: must be 0\.\.31/);
  });

  test('the rejected-share warning defaults to half the failing threshold and may be set below it', () => {
    expect(read({ rejectedThreshold: '0.04' }).rejectedWarningThreshold).toBe(0.02);
    expect(read({ rejectedWarningThreshold: '0.002' }).rejectedWarningThreshold).toBe(0.002);
  });

  test('a full cron body wins over hour and minute', () => {
    expect(read({ scheduleCron: '0 6 ? * MON-FRI *', scheduleHour: '2' }).scheduleCron).toBe(
      '0 6 ? * MON-FRI *',
    );
  });

  test('an existing workgroup needs its name and id; a cluster its id and optionally a database user', () => {
    expect(
      read({ redshiftWorkgroupName: 'shared', redshiftWorkgroupId: 'wg-1', redshiftDatabase: 'stats' })
        .warehouse,
    ).toEqual({
      kind: 'existing-serverless',
      workgroupName: 'shared',
      workgroupId: 'wg-1',
      database: 'stats',
    });
    expect(read({ redshiftClusterId: 'analytics', redshiftDbUser: 'loader' }).warehouse).toEqual({
      kind: 'existing-cluster',
      clusterIdentifier: 'analytics',
      dbUser: 'loader',
      database: 'dev',
    });
  });

  test('a new workgroup can be placed in given subnets and security groups', () => {
    expect(
      read({
        redshiftSubnetIds: 'subnet-0a1b2c3d, subnet-0a1b2c3e,subnet-0a1b2c3f',
        redshiftSecurityGroupIds: ['sg-0123abcd'],
      }).warehouse,
    ).toEqual({
      kind: 'new-serverless',
      database: 'dev',
      baseCapacity: 8,
      subnetIds: ['subnet-0a1b2c3d', 'subnet-0a1b2c3e', 'subnet-0a1b2c3f'],
      securityGroupIds: ['sg-0123abcd'],
    });
  });

  test.each([
    [
      { redshiftSubnetIds: 'subnet-0a1b2c3d,,subnet-x' },
      /context redshiftSubnetIds: '', 'subnet-x' must match/,
    ],
    [{ redshiftSecurityGroupIds: [42] }, /context redshiftSecurityGroupIds: must be a comma-separated list/],
    [{ scheduleHour: '24' }, /context scheduleHour: must be 0\.\.23/],
    [{ scheduleMinute: 'half past' }, /context scheduleMinute: must be a number/],
    [{ scheduleCron: '30 0 * * ?' }, /context scheduleCron: .* six-field/],
    [{ scheduleEnabled: 'yes' }, /context scheduleEnabled: must be true or false/],
    [{ rejectedThreshold: '1.5' }, /context rejectedThreshold: must be between 0 and 1/],
    [
      { rejectedWarningThreshold: '0.01' },
      /context rejectedWarningThreshold: must be below rejectedThreshold \(0\.01\)/,
    ],
    [
      { rejectedThreshold: '0.02', rejectedWarningThreshold: '0.03' },
      /context rejectedWarningThreshold: must be below rejectedThreshold \(0\.02\)/,
    ],
    [{ incomingPrefix: 'user-data' }, /context incomingPrefix: .* must end with '\/'/],
    [{ cleanPrefix: '/clean/' }, /context cleanPrefix: .* not start with '\/'/],
    [{ notificationEmail: 'nobody' }, /context notificationEmail: 'nobody' is not an email address/],
    [{ logRetentionDays: '31' }, /context logRetentionDays: must be one of 1, 3, 5/],
    [{ redshiftBaseCapacity: '12' }, /context redshiftBaseCapacity: must be 4 or a multiple of 8/],
    [
      { redshiftWorkgroupName: 'shared' },
      /context redshiftWorkgroupId: required .* get-workgroup --workgroup-name shared/,
    ],
    [{ redshiftWorkgroupId: 'wg-1' }, /context redshiftWorkgroupName: required with redshiftWorkgroupId/],
    [
      { redshiftClusterId: 'analytics', redshiftWorkgroupName: 'shared' },
      /context redshiftClusterId: give a cluster or a workgroup, not both/,
    ],
  ])('refuses %j, naming the key', (overrides, message) => {
    expect(() => read(overrides)).toThrow(message);
  });
});
