import { cdkJsonContext } from '../../local/runner/definition';
import { deployedScaleOut, modeInput } from '../../local/runner/run-mode';

describe('run --mode: the execution input on the local definition', () => {
  test('auto keeps the single Clean step when the deployed stack (cdk.json) has no scale-out path', () => {
    const deployed = deployedScaleOut(cdkJsonContext());
    expect(deployed).toBeUndefined();
    expect(modeInput('auto', deployed)).toEqual({ mode: 'single' });
  });

  test('auto lets the size decide when the deployed context turns the scale-out path on', () => {
    const deployed = deployedScaleOut({ ...cdkJsonContext(), scaleOutThresholdBytes: 1000 });
    expect(deployed?.thresholdBytes).toBe(1000);
    expect(modeInput('auto', deployed)).toEqual({});
  });

  test('single and scale-out force their path whatever the deployed context', () => {
    for (const deployed of [undefined, deployedScaleOut({ scaleOut: true })]) {
      expect(modeInput('single', deployed)).toEqual({ mode: 'single' });
      expect(modeInput('scale-out', deployed)).toEqual({ mode: 'scale-out' });
    }
  });
});
