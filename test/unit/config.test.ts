import { InvalidRequest } from '../../lambdas/shared/errors';
import { loadPipelineConfig } from '../../lambdas/shared/function-env';

describe('pipeline configuration', () => {
  test('applies the documented defaults when only the buckets are set', () => {
    const config = loadPipelineConfig({ INCOMING_BUCKET: 'in', CLEAN_BUCKET: 'out' });
    expect(config).toEqual({
      incomingBucket: 'in',
      incomingPrefix: 'user-data/',
      cleanBucket: 'out',
      cleanPrefix: 'user-data-clean/',
      rejectedThreshold: 0.01,
      codeVersion: 'dev',
      volumeMinShare: 0.1,
      volumeLookbackDays: 7,
    });
  });

  test('names the missing variable', () => {
    expect(() => loadPipelineConfig({ CLEAN_BUCKET: 'out' })).toThrow(
      new InvalidRequest('missing environment variable INCOMING_BUCKET'),
    );
  });

  test('reads the volume guard from VOLUME_MIN_SHARE and VOLUME_LOOKBACK_DAYS', () => {
    const env = {
      INCOMING_BUCKET: 'in',
      CLEAN_BUCKET: 'out',
      VOLUME_MIN_SHARE: '0.5',
      VOLUME_LOOKBACK_DAYS: '14',
    };
    expect(loadPipelineConfig(env)).toMatchObject({ volumeMinShare: 0.5, volumeLookbackDays: 14 });
  });

  test.each([
    ['VOLUME_MIN_SHARE', '1.5'],
    ['VOLUME_MIN_SHARE', 'x'],
    ['VOLUME_LOOKBACK_DAYS', '2.5'],
    ['VOLUME_LOOKBACK_DAYS', '32'],
  ])('refuses %s=%s naming the variable', (name, value) => {
    expect(() => loadPipelineConfig({ INCOMING_BUCKET: 'in', CLEAN_BUCKET: 'out', [name]: value })).toThrow(
      new RegExp(name),
    );
  });

  test('refuses a threshold outside 0..1', () => {
    expect(() =>
      loadPipelineConfig({ INCOMING_BUCKET: 'in', CLEAN_BUCKET: 'out', REJECTED_THRESHOLD: '5' }),
    ).toThrow(/REJECTED_THRESHOLD/);
  });
});
