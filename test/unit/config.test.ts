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
    });
  });

  test('names the missing variable', () => {
    expect(() => loadPipelineConfig({ CLEAN_BUCKET: 'out' })).toThrow(
      new InvalidRequest('missing environment variable INCOMING_BUCKET'),
    );
  });

  test('refuses a threshold outside 0..1', () => {
    expect(() =>
      loadPipelineConfig({ INCOMING_BUCKET: 'in', CLEAN_BUCKET: 'out', REJECTED_THRESHOLD: '5' }),
    ).toThrow(/REJECTED_THRESHOLD/);
  });
});
